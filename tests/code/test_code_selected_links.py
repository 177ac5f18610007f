"""A provider module a key selects: its reads are its feature's, not the app's demands.

GUARDED-ELSEWHERE (holdout5): anything-llm's ``getVectorDbClass`` loads one vector store of
many, ``switch (process.env.VECTOR_DB) { case "pinecone": require(...) }``, and each store
reads its own keys (``PINECONE_API_KEY``); postiz's short-link service picks a provider only
``if (process.env.KUTT_API_KEY) return new Kutt()``; firecrawl searches with Serper only
``if (process.env.SERPER_API_KEY)``.  EC901 told every such app that nothing sets every
provider's key.  Negative controls: a provider the app registers plainly (postiz's social
channels, all constructed in one list) and the ``default`` case's module keep their reads
required, and so does a provider also imported plainly elsewhere.

Every case runs the real CLI on a real git repository in ``tmp_path``.
"""

from __future__ import annotations

from pathlib import Path

from tests.harness import findings, isolated, repository, unset_reads

PACKAGE = '{"name": "server", "private": true, "scripts": {"start": "node index.js"}}'

FACTORY = """\
function getVectorDbClass() {
  const selection = process.env.VECTOR_DB ?? "lance";
  switch (selection) {
    case "pinecone":
      const { Pinecone } = require("./providers/pinecone");
      return new Pinecone();
    default:
      const { Lance } = require("./providers/lance");
      return new Lance();
  }
}
module.exports = { getVectorDbClass };
"""

PINECONE = """\
class Pinecone {
  connect() {
    return fetch(process.env.PINECONE_API_KEY);
  }
}
module.exports = { Pinecone };
"""

LANCE = """\
class Lance {
  connect() {
    return fetch(process.env.LANCE_URI);
  }
}
module.exports = { Lance };
"""

SHORT_LINKS = """\
import { Kutt } from "./providers/kutt";
import { Empty } from "./providers/empty";

export function getProvider() {
  if (process.env.KUTT_API_KEY) {
    return new Kutt();
  }
  return new Empty();
}
"""

KUTT = """\
export class Kutt {
  headers() {
    return fetch(process.env.KUTT_DOMAIN);
  }
}
"""

EMPTY = """\
export class Empty {
  domain() {
    return process.env.EMPTY_DOMAIN;
  }
}
"""


def _ec901(files: dict[str, str], tmp_path: Path) -> set[str]:
    root = repository(tmp_path / "project", {"package.json": PACKAGE, ".env": "", **files})
    unset = ("--select", "EC901,EC906")  # a plain read nothing sets: EC906, off by default
    return unset_reads(findings(isolated(root, "check", "--format", "json", *unset)))


def test_a_module_a_switch_case_requires_reads_only_for_its_provider(tmp_path: Path) -> None:
    found = _ec901(
        {
            "index.js": 'const { getVectorDbClass } = require("./factory");\n'
            "getVectorDbClass().connect();\n",
            "factory.js": FACTORY,
            "providers/pinecone.js": PINECONE,
            "providers/lance.js": LANCE,
        },
        tmp_path,
    )
    assert "PINECONE_API_KEY" not in found  # loaded only when VECTOR_DB selects it
    assert "LANCE_URI" in found  # the default case runs wherever nothing else is chosen


def test_a_module_used_only_where_its_key_is_set_reads_for_its_feature(tmp_path: Path) -> None:
    found = _ec901(
        {
            "index.js": 'import { getProvider } from "./short-links";\ngetProvider();\n',
            "short-links.js": SHORT_LINKS,
            "providers/kutt.js": KUTT,
            "providers/empty.js": EMPTY,
        },
        tmp_path,
    )
    assert "KUTT_DOMAIN" not in found  # Kutt is built only `if (process.env.KUTT_API_KEY)`
    assert "EMPTY_DOMAIN" in found  # the fallback is built wherever no key is set


def test_a_provider_also_imported_plainly_keeps_its_reads(tmp_path: Path) -> None:
    found = _ec901(
        {
            "index.js": 'import { getProvider } from "./short-links";\n'
            'import { Kutt } from "./providers/kutt";\n'
            "getProvider();\nexport const all = [new Kutt()];\n",
            "short-links.js": SHORT_LINKS,
            "providers/kutt.js": KUTT,
            "providers/empty.js": EMPTY,
        },
        tmp_path,
    )
    assert "KUTT_DOMAIN" in found  # index.js builds it wherever it runs
