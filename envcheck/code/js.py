"""Env reads, env-file loads and model literals of one JS/TS file, from its tree-sitter tree.

The file is parsed, never run: tree-sitter (imported here, lazily) gives a
tree even for a file with syntax errors, with ``ERROR`` nodes where it could
not follow; facts are read from the parts that parse and the file gets a
``syntax`` note.  The walk skips every subtree whose text holds none of the
tokens a fact needs (:data:`_PRUNE`), so a large component costs little more
than its parse.

What is recognised, and how each read's *kind* is decided, is documented
in :mod:`envcheck.code`; this module is the JS/TS half of it.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from envcheck.code.optional_options import WHOLE, is_agent_config, is_optional_option
from envcheck.code.raw import ENV_FILE_NAME, MODE, NAMED, OTHER, UNSET, FileFacts

if TYPE_CHECKING:
    from collections.abc import Callable

    from tree_sitter import Node, Parser

    _Atom = Callable[[Node], bool | None]
    _Subject = Callable[[Node], bool]

__all__ = ["GRAMMARS", "extract", "extract_embedded"]

GRAMMARS = {
    ".js": "javascript",
    ".jsx": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".ts": "typescript",
    ".mts": "typescript",
    ".cts": "typescript",
    ".tsx": "tsx",
}
"""File suffix -> grammar.  ``.d.ts`` files declare types and read nothing (the walk skips them)."""

_PRUNE = re.compile(rb"env|Env|ENV|config|model|require|import|parse")
"""A subtree with none of these in its text holds no fact (every fact's code has one)."""
_PRUNE_BELOW = 48  # bytes: checking smaller subtrees costs more than walking them

_PARSERS: dict[str, Parser] = {}

_DOTENV = {"dotenv": "dotenv", "@dotenvx/dotenvx": "dotenv", "dotenv-flow": "dotenv-flow"}
_SIDE_EFFECT_LOADS = {
    "dotenv/config": "dotenv",
    "@dotenvx/dotenvx/config": "dotenv",
    "dotenv-flow/config": "dotenv-flow",
}
_PATH_MODULES = {"path", "node:path", "path/posix", "node:path/posix", "upath", "pathe"}
_VITE_BUILTINS = {"MODE", "DEV", "PROD", "SSR", "BASE_URL"}
# Wasp's validated env objects: ``import { env } from "wasp/server"`` (the server's
# variables, checked against the app's ``envValidationSchema`` at start) and
# ``"wasp/client"`` (the client's ``REACT_APP_`` ones).
_WASP_ENV_MODULES = frozenset({"wasp/server", "wasp/client"})
_CONVERTERS = {
    "Number",
    "parseInt",
    "parseFloat",
    "Number.parseInt",
    "Number.parseFloat",
    "String",
    "Boolean",
    "BigInt",
}
"""Calls whose result stands for the value they convert (``Number(process.env.PORT)``): how
the code uses the result is how it uses the read."""
_RADIX_CONVERTERS = {"parseInt", "Number.parseInt"}
"""Converters that take a second argument, the radix (``parseInt(process.env.N, 10)``)."""
_VALUE_TESTS = {
    "Boolean",
    "Number.isFinite",
    "Number.isNaN",
    "isFinite",
    "isNaN",
    "Number.isInteger",
}
"""Calls that test a value (``Number.isFinite(Number(process.env.X))``): a test, no use."""
_LOGGERS = re.compile(r"^console\.(?:log|info|warn|error|debug|trace)$")
"""Calls that only print their arguments: ``undefined`` is printed, nothing fails.  Only a
read written into the call counts: a local's first use in one (``const k = ...;
console.log(k); use(k)``) says nothing of its next."""
_TESTS = {"??", "||", "&&", "===", "!==", "==", "!="}
_WRAPPERS = {
    "parenthesized_expression",
    "as_expression",
    "satisfies_expression",
    "type_assertion",
    "non_null_expression",  # `process.env.X!`: a type assertion, nothing at run time
}
_OPTIONAL_MARKERS = {"optional", "default", "prefault", "nullish", "catch"}
_FUNCTIONS = {
    "arrow_function",
    "function_expression",
    "function",
    "function_declaration",
    "generator_function",
    "generator_function_declaration",
}
_BLOCKS = {"statement_block", "program"}
_USES = frozenset({"identifier", "shorthand_property_identifier"})
"""The nodes a use of an imported name is (a type name or a property is none)."""
_ENV_TOKEN = re.compile(rb"process\.env|import\.meta\.env|Deno\.env|Bun\.env")
"""A read of the env in a span of source (what a ``switch`` on a key tests)."""
_LEAVES = {"return_statement", "break_statement", "continue_statement"}
_GUARD_ANCESTORS = 128
"""Ancestors of a read looked at for a guard: real guards are a few levels up, and the
bound keeps a pathological nesting linear."""
_GUARD_EXITS = 32
"""Early exits (``if (!x) return``) before a read looked at per block, nearest first."""
_CONDITION_DEPTH = 24
"""Nesting of ``&&`` / ``||`` / ``!`` followed inside one condition."""
_HELPER_DEPTH = 4
"""Local schema helpers followed through one another (``const a = () => b()``)."""
_CHAIN_STEPS = 32
"""Calls of one schema chain (``z.string().min(1).url()``) walked down to its root."""
_ACCESSOR_CALLS = 1024
"""Calls of one env accessor (``validateEnv("X")``) read as reads of the key they name: a
config module calls its accessor once per key, a few dozen times."""
_IMPLY_STEPS = 256
"""Nodes one guard question may look at, module constants followed included: a flag
built from other flags (``const a = b && c``) can name each constant many times, and
this bound keeps such a web linear in the reads it guards."""
_ALIAS_USES = 32
"""Uses of a ``const k = process.env.X`` looked at for a later test of ``k``."""
_LOAD_CALLS = 3
"""Functions followed from a throwing test to the top-level call that runs it at load."""
_MEMBER_SCAN = 512
"""Nodes looked at after ``this.f = process.env.X`` for the first use of ``this.f``."""
_TABLE_USES = 16
"""Uses of a module constant looked at to see where an object holding a read goes."""
_NAMES_ENV_FILES = re.compile(ENV_FILE_NAME)
"""Only a file naming an env file can have a function that names env files by mode
(:meth:`_Extractor._bind_namer`)."""
_NAMERS = 64  # file-naming functions kept per file
_NAMER_STATEMENTS = 64  # statements of a file-naming function's body looked at
_NAMER_CHOICES = 64  # entries of its table
_NAMER_DEPTH = 8  # expressions nested in one choice
_OBJECT_NESTING = 8
"""Object literals climbed from a read to the call that receives them."""
_SERVER_CALLS = frozenset(
    {
        "createServerOnlyFn",
        "serverOnly$",
        "server$",
        "routeLoader$",
        "routeAction$",
        "globalAction$",
    }
)
"""Calls whose function argument runs only on the server, whatever module holds it: TanStack
Start's ``createServerOnlyFn(fn)``, Qwik's ``server$(fn)`` and route loaders/actions."""
_SERVER_CHAINS = {
    "createServerFn": "handler",
    "createIsomorphicFn": "server",
    "createMiddleware": "server",
}
"""Builder chains whose one method takes the server's function: TanStack Start's
``createServerFn(...).validator(...).handler(fn)`` (a server function: the client calls it
over HTTP) and ``createIsomorphicFn().server(fn).client(...)``."""
_SERVER_EXPORTS = frozenset(
    {"loader", "action", "getServerSideProps", "getStaticProps", "getStaticPaths"}
)
"""Route-module exports the framework runs only on the server and strips from the browser
bundle: React Router / Remix ``loader`` and ``action``, Next.js Pages data functions."""
_SERVER_TOKENS = re.compile(
    rb"use server|createServerFn|createServerOnlyFn|createIsomorphicFn|createMiddleware|\$\("
    rb"|loader|action|getServerSideProps|getStaticProps|getStaticPaths"
)
"""A file without one of these holds no server function (:meth:`_Extractor._server_only`)."""
_JSON_CALLS = {"JSON.stringify", "json", "typedjson", "Response.json", "NextResponse.json"}
"""Calls that serialise their first argument to JSON, where ``undefined`` is dropped
(``typedjson``: remix-typedjson's ``json``).  Any ``<x>.json(value)`` (``res.json``,
``c.json``) counts too."""
_EQUALITY = {"===", "!==", "==", "!="}
# The conventional names of a config section's on/off flag (rules.code: GUARDED-ELSEWHERE).
_SWITCH_NAMES = frozenset({"enabled", "enable", "isEnabled", "disabled", "disable", "isDisabled"})
_SWITCH_SCAN = 64  # nodes of a switch's value looked at for an env read
_SECTION_SCAN = 512  # nodes of a provider's section looked at for a fallback
_CHECK_SCAN = 16384
"""Nodes of a function returning a settings object looked at for a check of the whole env
(:meth:`_Extractor._checks_env`): a config builder of a hundred fields is a few thousand."""
_FLAG_WORDS = frozenset({"ENABLED", "ENABLE", "DISABLED", "DISABLE"})
"""Words of an env key that make it an on/off flag (``NEXT_PUBLIC_GITLAB_ENABLED``): an
entry naming such a key as a string is the feature the flag turns on."""
_ENV_NAME = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")
_SELECTOR = re.compile(r"(?i)(?:provider|driver)s?$")
"""A config property that picks which providers run (``provider``, ``storageProvider``,
``socialAuthProviders``, ``driver``): its sibling sections are the providers' settings."""
_OPTIONAL_CALLS = (b".optional(", b".default(", b".prefault(", b".nullish(", b".catch(")
_SCHEMA_LIBRARIES = (b"zod", b"valibot", b"z.")
"""A file without one of each exports no function returning an optional schema
(:func:`may_export_schema_helpers`); looked for as bytes, in every JS/TS file."""
_ZOD_PARSE = {"parse", "safeParse", "parseAsync", "safeParseAsync"}
_ZOD_OBJECT = {"object", "strictObject", "looseObject", "extend"}
_MODE_NAMES = {"mode", "NODE_ENV", "nodeEnv"}
_MODE_KEY = re.compile(r"(?:^|_)(?:ENV|ENVIRONMENT|MODE|STAGE)$")
"""A key naming the mode the app runs in (``NODE_ENV``, ``APP_ENV``, ``VERCEL_ENV``): a
switch over it picks among modes, each one the app runs in, not among optional set-ups."""
_MODEL_CALLS = {"create", "stream", "parse", "generateContent", "getGenerativeModel"}
_AI_CHAIN_WORDS = {"chat", "completions", "messages", "responses", "embeddings", "beta"}
SDK_PROVIDERS = {
    "openai": "openai",
    "@anthropic-ai/sdk": "anthropic",
    "groq-sdk": "groq",
    "@mistralai/mistralai": "mistral",
    "@google/generative-ai": "gemini",
    "@google/genai": "gemini",
    "together-ai": "together",
    "cohere-ai": "cohere",
}
_AI_SDK_FACTORY = "@ai-sdk/"


def _parser(grammar: str) -> Parser:
    """One parser per grammar per process: building a Language costs more than a small parse."""
    parser = _PARSERS.get(grammar)
    if parser is None:
        import tree_sitter

        if grammar == "javascript":
            import tree_sitter_javascript

            language = tree_sitter_javascript.language()
        else:
            import tree_sitter_typescript

            language = (
                tree_sitter_typescript.language_tsx()
                if grammar == "tsx"
                else tree_sitter_typescript.language_typescript()
            )
        parser = _PARSERS[grammar] = tree_sitter.Parser(tree_sitter.Language(language))
    return parser


def extract(data: bytes, name: str, grammar: str, facts: FileFacts) -> None:
    """Add the facts of the JS/TS source ``data`` (file base name ``name``) to ``facts``."""
    extractor = _Extractor(data, name, facts, side=None, line_offset=0, col_offset=0)
    extractor.run(grammar)
    if facts.links:
        facts.selected = extractor.selected_links(facts.links)


def may_export_schema_helpers(data: bytes) -> bool:
    """Whether a file may export a function returning an optional schema: it exports, calls
    ``.default(`` (or another marker, :data:`_OPTIONAL_CALLS`) and names zod (or valibot:
    t3-env takes either).  A file without an env token is parsed for nothing else
    (:func:`extract_schema_helpers`)."""
    return (
        b"export" in data
        and any(name in data for name in _SCHEMA_LIBRARIES)
        and any(call in data for call in _OPTIONAL_CALLS)
    )


def extract_schema_helpers(data: bytes, name: str, grammar: str, facts: FileFacts) -> None:
    """Only :attr:`FileFacts.schema_helpers` of a file that reads no env (homarr's
    ``packages/core/src/infrastructure/env/schemas.ts``): its top level is bound and its
    exports looked at; nothing is walked, no note is made."""
    extractor = _Extractor(data, name, facts, side=None, line_offset=0, col_offset=0)
    extractor.root = _parser(grammar).parse(data).root_node
    for statement in extractor.root.named_children:
        extractor._bind(statement)
    extractor._export_schema_helpers()


def extract_embedded(
    data: bytes,
    name: str,
    grammar: str,
    facts: FileFacts,
    *,
    side: str | None,
    line_offset: int,
    col_offset: int,
) -> None:
    """The same for a script embedded in another file (Astro frontmatter, a ``<script>``):
    positions are shifted to the host file and every read gets ``side``."""
    _Extractor(data, name, facts, side=side, line_offset=line_offset, col_offset=col_offset).run(
        grammar
    )


def _text(node: Node) -> str:
    raw = node.text
    return "" if raw is None else raw.decode("utf-8", "replace")


def _unwrap(node: Node | None) -> Node | None:
    while node is not None and node.type in _WRAPPERS:
        node = node.named_children[0] if node.named_child_count else None
    return node


def _string(node: Node | None) -> str | None:
    """The value of a string literal, or a template literal with no substitution."""
    node = _unwrap(node)
    if node is None:
        return None
    if node.type == "string":
        return _text(node)[1:-1]
    if node.type == "template_string" and not any(
        c.type == "template_substitution" for c in node.named_children
    ):
        return _text(node)[1:-1]
    return None


def _member_names(node: Node) -> tuple[Node | None, str | None]:
    """(object, property name) of a member expression."""
    prop = node.child_by_field_name("property")
    return _unwrap(node.child_by_field_name("object")), None if prop is None else _text(prop)


def _object_pairs(node: Node | None) -> Iterator[tuple[str, Node | None, Node]]:
    """(key, value, key node) of each literal key of an object literal."""
    node = _unwrap(node)
    if node is None or node.type != "object":
        return
    for child in node.named_children:
        if child.type == "pair":
            key = child.child_by_field_name("key")
            if key is None:
                continue
            name = _string(key) if key.type == "string" else _text(key)
            if key.type in ("property_identifier", "string", "number") and name:
                yield name, child.child_by_field_name("value"), key
        elif child.type == "shorthand_property_identifier":
            yield _text(child), None, child


def _first_arg(call: Node, index: int = 0) -> Node | None:
    args = call.child_by_field_name("arguments")
    if args is None:
        return None
    named = [a for a in args.named_children if a.type != "comment"]
    return named[index] if len(named) > index else None


def _declared_parameters(function: Node) -> list[Node]:
    """The parameters of a function, in order (``v => ...``: its one bare parameter)."""
    parameters = function.child_by_field_name("parameters")
    if parameters is None:
        single = function.child_by_field_name("parameter")
        return [] if single is None else [single]
    return [p for p in parameters.named_children if p.type != "comment"]


def _parameter_name(parameter: Node) -> str | None:
    """The name a parameter binds: ``key``, ``key: string``, ``key?: string``; None for a
    pattern or a rest parameter."""
    if parameter.type in ("required_parameter", "optional_parameter"):
        parameter = parameter.child_by_field_name("pattern") or parameter
    elif parameter.type == "assignment_pattern":
        parameter = parameter.child_by_field_name("left") or parameter
    return _text(parameter) if parameter.type == "identifier" else None


def _filtered(array: Node) -> bool:
    """``[a, b].filter(...)``: a list whose missing entries are dropped (``.filter(Boolean)``,
    ``.filter((h) => !!h)``): an element read from the environment may be absent."""
    member = array.parent
    while member is not None and member.type in _WRAPPERS:
        array, member = member, member.parent
    if member is None or member.type != "member_expression":
        return False
    if member.child_by_field_name("object") != array:
        return False
    prop = member.child_by_field_name("property")
    call = member.parent
    if prop is None or _text(prop) != "filter" or call is None:
        return False
    if call.type != "call_expression":
        return False
    test = _unwrap(_first_arg(call))
    if test is None:
        return False
    if test.type == "identifier":
        return _text(test) == "Boolean"
    if test.type not in _FUNCTIONS:
        return False
    parameters = test.child_by_field_name("parameters")
    single = test.child_by_field_name("parameter")
    if single is None and parameters is not None and parameters.named_child_count == 1:
        single = parameters.named_children[0]
        single = single.child_by_field_name("pattern") or single
    body = _unwrap(test.child_by_field_name("body"))
    if single is None or body is None:
        return False
    name = _text(single)
    text = "".join(_text(body).split())
    return text in (
        name,
        f"!!{name}",
        f"Boolean({name})",
        f"{name}!==undefined",
        f"{name}!=null",
        f"{name}!==null",
    )


def _converts(call: Node, args: Node, argument: Node) -> bool:
    """``Number(X)``, ``parseInt(X, 10)``: ``call`` only converts ``argument``, so its result
    stands for it (see :data:`_CONVERTERS`)."""
    fn = call.child_by_field_name("function")
    if fn is None or _text(fn) not in _CONVERTERS:
        return False
    named = [a for a in args.named_children if a.type != "comment"]
    if named[:1] != [argument]:
        return False
    return len(named) == 1 or (len(named) == 2 and _text(fn) in _RADIX_CONVERTERS)


def _length_of(node: Node, subject: _Subject) -> bool:
    """``X?.length`` (or ``X.length``) with ``X`` what ``subject`` tests for."""
    if node.type != "member_expression":
        return False
    obj, prop = _member_names(node)
    return prop == "length" and obj is not None and subject(obj)


def _default_choice(default: Node | None) -> frozenset[str] | None:
    """What a parameter's default chooses: its string, nothing for ``null`` /
    ``undefined``; None for no default or one not written out."""
    node = _unwrap(default)
    if node is None:
        return None
    if node.type in ("null", "undefined") or _text(node) == "undefined":
        return frozenset()
    chosen = _string(node)
    return None if chosen is None else frozenset({chosen})


def _case_labels(case: Node) -> Iterator[Node | None]:
    """The labels that reach ``case``'s body: its own, then those of the empty cases that
    fall into it (``case "prometheus": case undefined: ...``); None for a ``default``."""
    node: Node | None = case
    while node is not None and node.type in ("switch_case", "switch_default"):
        yield node.child_by_field_name("value") if node.type == "switch_case" else None
        node = node.prev_named_sibling
        if node is None or node.child_by_field_name("body") is not None:
            return


def _case_runs_unset(case: Node, unset: frozenset[str] = frozenset()) -> bool:
    """A missing key reaches ``case``: one of its labels is ``default``, ``undefined`` or
    one of the values ``unset`` the choice falls back to."""
    return any(
        label is None
        or label.type == "undefined"
        or _text(label) == "undefined"
        or _string(label) in unset
        for label in _case_labels(case)
    )


def _unset_throws(switch: Node) -> bool:
    """``switch (X) { ... default: throw ... }`` with no ``case undefined:``: a missing key
    reaches the ``default``, which throws (or exits)."""
    body = switch.child_by_field_name("body")
    cases = [] if body is None else body.named_children
    if any(c.type == "switch_case" and _case_runs_unset(c) for c in cases):
        return False
    default = next((c for c in cases if c.type == "switch_default"), None)
    if default is None:
        return False
    statements = [c for c in default.children_by_field_name("body") if c.type != "comment"]
    return bool(statements) and _exit_kind(statements[-1]) == "throw"


def _operator(node: Node) -> str | None:
    operator = node.child_by_field_name("operator")
    return None if operator is None else operator.type


def _optionally_chained(parent: Node, current: Node) -> bool:
    """``current?.x``, ``current?.[i]``, ``current?.()``: the code copes with undefined."""
    field = "function" if parent.type == "call_expression" else "object"
    return parent.child_by_field_name(field) == current and any(
        c.type == "optional_chain" for c in parent.children
    )


_THROW_ON_UNDEFINED = frozenset({"URL", "JSON.parse", "Buffer.from", "BigInt", "atob"})
"""Calls that throw when handed ``undefined`` (``new URL(undefined)``: "Invalid URL")."""
_CLIENT_KEY_ARGUMENT: dict[str, str | int] = {
    "openai": "apiKey",
    "groq-sdk": "apiKey",
    "together-ai": "apiKey",
    "stripe": 0,
    "resend": 0,
}
"""SDK clients whose constructor throws without their key (the option, or the position
of the argument): ``new OpenAI({ apiKey: undefined })`` with no ``OPENAI_API_KEY``
throws "The OPENAI_API_KEY environment variable is missing or empty" as the module
loads; ``new Stripe(undefined)`` "Neither apiKey nor config.authenticator provided";
``new Resend(undefined)`` "Missing API key"."""


def _value_use(read: Node) -> tuple[Node, Node | None, bool]:
    """The outermost node of ``read`` through wrappers, its parent, and whether a
    TypeScript non-null ``!`` was among the wrappers."""
    current, parent, non_null = read, read.parent, False
    while parent is not None and parent.type in _WRAPPERS:
        non_null = non_null or parent.type == "non_null_expression"
        current, parent = parent, parent.parent
    return current, parent, non_null


def _callee(call: Node | None) -> Node | None:
    if call is None:
        return None
    if call.type == "new_expression":
        return call.child_by_field_name("constructor")
    if call.type == "call_expression":
        return call.child_by_field_name("function")
    return None


def _finds_within(root: Node, limit: int, hit: Callable[[Node], bool]) -> bool:
    """Whether some node under ``root`` is a ``hit``, looking at most ``limit`` nodes: a
    larger tree counts as found (the cautious answer for the callers, which all ask
    "might this section hold a fallback, a check of the env object, ...")."""
    stack = [root]
    for _ in range(limit):
        if not stack:
            return False
        node = stack.pop()
        if hit(node):
            return True
        stack.extend(node.named_children)
    return True


def _literal(node: Node | None) -> bool:
    """``true``, ``"DATABASE_URL"``, ``5432``, ``undefined``, ``null``: a constant branch."""
    node = _unwrap(node)
    if node is None:
        return False
    if node.type == "identifier":
        return _text(node) == "undefined"
    return node.type in ("true", "false", "null", "undefined", "string", "number")


def _exit_kind(statement: Node | None) -> str | None:
    """How a statement always leaves: ``throw`` (a throw, ``process.exit(1)``, an exit with
    a code not known here), ``leave`` (return, break, continue, and an exit that succeeds:
    ``process.exit(0)``, ``process.exit()``), or None when it may fall through.

    Only a failure makes the key tested the app's requirement.  mem0's examples end
    ``if (!process.env.REDIS_URL) { console.log("Skipping Redis test"); process.exit(0); }``:
    without the key the program stops as a success, having done nothing -- the code copes,
    as an early ``return`` does."""
    if statement is None:
        return None
    if statement.type == "statement_block":
        body = [c for c in statement.named_children if c.type != "comment"]
        return _exit_kind(body[-1]) if body else None
    if statement.type == "throw_statement":
        return "throw"
    if statement.type in _LEAVES:
        return "leave"
    if statement.type == "expression_statement" and statement.named_child_count:
        call = _unwrap(statement.named_children[0])
        fn = None if call is None else call.child_by_field_name("function")
        if call is not None and call.type == "call_expression" and fn is not None:
            if _text(fn) in ("process.exit", "Deno.exit"):
                return "leave" if _exits_successfully(call) else "throw"
    return None


def _exits_successfully(call: Node) -> bool:
    """``process.exit()`` / ``process.exit(0)``: the exit code is 0 (``process.exitCode``
    left unset, as a program that says it skips leaves it)."""
    args = call.child_by_field_name("arguments")
    named = [] if args is None else [a for a in args.named_children if a.type != "comment"]
    if not named:
        return True
    code = _unwrap(named[0])
    return len(named) == 1 and code is not None and code.type == "number" and _text(code) == "0"


def _typeof_test(node: Node, subjects: tuple[str, ...]) -> bool | None:
    """``typeof <subject> === "undefined"``: True; ``!==`` (or ``!=``): False; else None."""
    if node.type != "binary_expression":
        return None
    operator = _operator(node)
    if operator not in ("===", "==", "!==", "!="):
        return None
    left = _unwrap(node.child_by_field_name("left"))
    right = _unwrap(node.child_by_field_name("right"))
    for subject, other in ((left, right), (right, left)):
        if (
            subject is not None
            and subject.type == "unary_expression"
            and _operator(subject) == "typeof"
            and _string(other) == "undefined"
        ):
            argument = _unwrap(subject.child_by_field_name("argument"))
            if argument is not None and _text(argument) in subjects:
                return operator in ("===", "==")
    return None


class _Extractor:
    """One pass over one tree; bindings are what the file imports and names at top level."""

    def __init__(
        self,
        data: bytes,
        name: str,
        facts: FileFacts,
        side: str | None,
        line_offset: int,
        col_offset: int,
    ) -> None:
        self.data = data
        self.name = name
        self.facts = facts
        self.side = side
        self.line_offset = line_offset
        self.col_offset = col_offset
        self.imports: dict[str, tuple[str, str | None]] = {}  # local -> (module, imported name)
        self.consts: dict[str, Node] = {}
        self.clients: dict[str, str] = {}  # local -> provider, from `new OpenAI()`
        self.suppressed: list[tuple[int, int]] = []  # byte ranges whose reads a schema owns
        self.functions: dict[str, Node] = {}  # top-level `function f() {}`
        self.types: dict[str, Node] = {}  # top-level `interface T {}`, `type T = ...`, classes
        self.constants: set[str] = set()  # top-level names declared `const` (never reassigned)
        self.vite_config = name.startswith("vite.config.")
        self.next_config = name.startswith("next.config.")
        self.agent_config = is_agent_config(name)  # newrelic.js: the agent's options
        # A `typeof window` guard can only be where the text says `typeof`.
        self.may_guard_side = b"typeof" in data
        self.may_serve = _SERVER_TOKENS.search(data) is not None
        self._names: dict[str, tuple[list[int], list[Node]]] | None = None  # identifier uses
        self._calls: dict[str, list[Node]] | None = None  # function name -> its calls
        self._env_checked: dict[int, bool] = {}  # function id -> it checks the env whole
        self._leaving: dict[int, bool] = {}  # object id -> a returned settings object
        self._exits: dict[int, list[Node]] = {}  # block id -> its early-exit `if`s, in order
        self._switches: dict[int, bool] = {}  # object id -> a property is a switch
        # object id -> its provider selectors: (pair, (string literals, fallback))
        self._selectors: dict[int, list[tuple[Node, tuple[frozenset[str], str]]]] = {}
        self._section_defaults: dict[int, bool] = {}  # section id -> a read in it defaults
        # Where this module tests a key for presence without failing (`!!X`, `if (!k)
        # return`): key -> the functions (0: module level) holding such a test; the keys a
        # module-level test throws or exits for; the required reads by position.  See
        # `_relax_tested`.
        self._soft_tested: dict[str, set[int]] = {}
        self._fails_at_load: set[str] = set()
        self._fails_empty: set[str] = set()  # keys whose module-level `!X` test throws
        self._throws_at_load = False
        self._required_reads: dict[tuple[int, int], Node] = {}
        self._accessors: set[str] = set()  # functions whose calls were read as reads
        self.may_name_files = _NAMES_ENV_FILES.search(data) is not None
        self._helper: tuple[str, str] | None = None  # the load path's file-naming call
        self._namer_candidates: list[tuple[str, Node]] = []  # top-level functions, by name
        self._exported: list[tuple[str, str]] = []  # (name exported as, local name)

    # -- positions and output --------------------------------------------------------

    def _pos(self, node: Node) -> tuple[int, int]:
        row, column = node.start_point
        col = column + 1 + (self.col_offset if row == 0 else 0)
        return row + 1 + self.line_offset, col

    def _read(
        self,
        key: str | None,
        kind: str,
        form: str,
        source: str,
        node: Node,
        *,
        side: str | None = None,
        pattern: str | None = None,
        rejects_empty: bool = False,
    ) -> None:
        line, col = self._pos(node)
        side = side or self.side
        if side != "server" and self.may_guard_side and self._guarded(node, self._server_atom):
            side = "server"  # `if (typeof window !== "undefined") return` ran before it
        if side != "server" and self.may_serve and self._server_only(node):
            side = "server"  # createServerFn().handler(() => process.env.X), "use server"
        asserted = kind == "required" and (form == "schema" or self._asserts(node))
        self.facts.reads.append(
            (key, kind, form, source, side, line, col, pattern, rejects_empty, asserted)
        )

    def _load(
        self, loader: str, target: str, node: Node, found: list[tuple[str, str]] | None
    ) -> None:
        line, col = self._pos(node)
        specs = tuple(found or ())
        helper, self._helper = self._helper, None  # set by the `_paths` that gave `found`
        if helper is not None and (len(specs) != 1 or NAMED not in specs[0][1]):
            helper, specs = None, ()  # one of several paths: not followed
        resolved = bool(specs) and helper is None
        self.facts.loads.append((loader, target, specs, resolved, line, col, helper))

    # -- the walk ------------------------------------------------------------------------

    def run(self, grammar: str) -> None:
        tree = _parser(grammar).parse(self.data)
        root = self.root = tree.root_node
        if root.has_error:
            self.facts.failed = True
            line, col = self._first_error(root)
            self.facts.notes.append(
                (
                    "syntax",
                    "syntax error; facts read from the parts that parse",
                    line,
                    col,
                )
            )
        for statement in root.named_children:
            self._bind(statement)
        if self.may_name_files:  # after binding: a table may be declared below its function
            for name, function in self._namer_candidates:
                self._bind_namer(name, function)
        self._export_schema_helpers()
        first_read = len(self.facts.reads)
        stack = [root]
        data = self.data
        prune = not (self.vite_config or self.next_config)  # `build: { lib }` has no token
        while stack:
            node = stack.pop()
            handler = _HANDLERS.get(node.type)
            if handler is not None and handler(self, node):
                continue
            if node.child_count == 0:
                continue
            start, end = node.start_byte, node.end_byte
            if prune and end - start > _PRUNE_BELOW and _PRUNE.search(data, start, end) is None:
                continue
            stack.extend(reversed(node.children))
        self._relax_tested(first_read)
        self._assert_failing_at_load(first_read)

    def _assert_failing_at_load(self, first_read: int) -> None:
        """Every required read of a key a module-level test throws (or exits) for: the
        code says the app cannot start without it, wherever the read sits in the module;
        and with a falsy test (``if (!process.env.X) throw``) not with ``X=`` either
        (``rejects_empty``: nextcrm's ``lib/minio.ts`` beside a template that ships the
        keys empty)."""
        if not self._fails_at_load:
            return
        reads = self.facts.reads
        for index in range(first_read, len(reads)):
            key, kind, form, source, side, line, col, pattern, rejects, asserted = reads[index]
            if kind != "required" or key not in self._fails_at_load:
                continue
            rejects = rejects or key in self._fails_empty
            reads[index] = (key, kind, form, source, side, line, col, pattern, rejects, True)

    def _relax_tested(self, first_read: int) -> None:
        """A key this module tests for presence somewhere, with a fallback rather than a
        failure (``const enabled = !!process.env.REDIS_URL``, ``isConfigured() { return
        Boolean(process.env.K) }``, ``if (!url) return`` in another function), is one the
        module runs without: its other plain reads here are optional too (a client built
        from it behind that flag, a getter its callers test).  Not when a test at module
        level throws or exits for it: then the app fails at start without the key.  A test
        in the read's own function does not count: there the branches decide (a read on the
        wrong branch of ``if (X) {} else { use(X) }`` stays required)."""
        if not self._soft_tested:
            return
        reads = self.facts.reads
        families = self._tested_families()
        for index in range(first_read, len(reads)):
            key, kind, form, source, side, line, col, pattern, rejects_empty, said = reads[index]
            if kind == "required" and self._behind_a_family_test(key, line, col, families):
                reads[index] = (
                    *(key, "feature", form, source, side),
                    *(line, col, pattern, rejects_empty, said),
                )
                continue
            tested_in = self._soft_tested.get(key or "")
            if kind != "required" or not tested_in or key in self._fails_at_load:
                continue
            node = self._required_reads.get((line, col))
            if node is None or form not in ("member", "subscript", "call"):
                continue
            if tested_in - {self._function_of(node)}:
                reads[index] = (
                    *(key, "optional", form, source, side),
                    *(line, col, pattern, rejects_empty, False),
                )

    def _tested_families(self) -> dict[str, set[int]]:
        """The name families (``STRIPE_`` of ``STRIPE_SECRET_KEY``) of the keys this module
        tests for presence with a fallback inside a function, and those functions."""
        families: dict[str, set[int]] = {}
        for key, functions in self._soft_tested.items():
            head, underscore, _ = key.partition("_")
            inside = functions - {0, -1}
            if underscore and head and inside and key not in self._fails_at_load:
                families.setdefault(head + "_", set()).update(inside)
        return families

    def _behind_a_family_test(
        self, key: str | None, line: int, col: int, families: dict[str, set[int]]
    ) -> bool:
        """saaskit's ``utils/stripe.ts``: ``isStripeEnabled() { return
        Deno.env.has("STRIPE_SECRET_KEY") }`` beside ``getStripePremiumPlanPriceId() {
        return Deno.env.get("STRIPE_PREMIUM_PLAN_PRICE_ID") }``.  A module that offers a
        presence test of a key of the feature (its name family, ``STRIPE_``) in a function
        of its own is asked first by its callers (``if (!isStripeEnabled()) return``): a
        plain read of another key of the family inside another function runs only when
        the feature is on (``feature``).  Not a read at load (the app starts with it), nor
        a key the module itself tests (the rule above), nor one of another family."""
        if key is None or key in self._soft_tested:
            return False
        head, underscore, _ = key.partition("_")
        tested_in = families.get(head + "_") if underscore and head else None
        node = self._required_reads.get((line, col)) if tested_in else None
        if node is None or tested_in is None:
            return False
        function = self._function_of(node)
        return function > 0 and bool(tested_in - {function})

    def _first_error(self, root: Node) -> tuple[int, int]:
        stack = [root]
        while stack:
            node = stack.pop()
            if node.is_error or node.is_missing:
                return self._pos(node)
            if node.has_error:
                stack.extend(reversed(node.children))
        return self._pos(root)

    # -- links run only where a key selects them -----------------------------------------

    def selected_links(self, links: list[str]) -> list[str]:
        """The modules of ``links`` this file runs only where a key selects them: each
        ``require("x")`` / ``import("x")`` of one sits in a ``case`` of a ``switch`` (a
        provider factory: ``case "pinecone": const { Pinecone } = require(...)``) or on a
        branch taken only where some key is set (``if (process.env.SERPER_API_KEY)``), and
        each use of what an ``import`` statement binds from it does (``if
        (process.env.DUB_TOKEN) return new Dub()``).  Not the ``default`` case: it runs
        wherever nothing else is chosen.  A module re-exported, imported for its side
        effects or used anywhere else runs wherever this file does.  The package decides
        whose reads that makes optional (:func:`envcheck.code.links.selected_only`)."""
        root = getattr(self, "root", None)
        if root is None:
            return []
        data = self.data
        found: list[str] = []
        for spec in links:
            quoted = re.escape(spec.encode("utf-8"))
            places = [m.start() for m in re.finditer(rb"[\"'`]" + quoted + rb"[\"'`]", data)]
            names = [local for local, (source, _) in self.imports.items() if source == spec]
            if places and self._only_selected(root, places, names):
                found.append(spec)
        return found

    def _only_selected(self, root: Node, places: list[int], names: list[str]) -> bool:
        """Every place ``spec`` is named (``places``: byte offsets of its string) is a
        selected ``require`` / ``import()``, or an ``import`` statement each of whose
        ``names`` is used (at least once) only on selected branches."""
        statements: list[Node] = []
        for offset in places:
            node = root.descendant_for_byte_range(offset, offset + 1)
            while node is not None and node.type not in ("call_expression", "import_statement"):
                if node.type in ("export_statement", "program"):
                    return False
                node = node.parent
            if node is None:
                return False
            if node.type == "import_statement":
                statements.append(node)
            elif not self._selected(node):
                return False
        if not statements:
            return True
        if not names:
            return False  # `import "x"`: run for its side effects
        uses = 0
        for name in names:
            pattern = rb"(?<![\w$.])" + re.escape(name.encode("utf-8")) + rb"(?![\w$])"
            for match in re.finditer(pattern, self.data):
                if any(s.start_byte <= match.start() < s.end_byte for s in statements):
                    continue
                node = root.descendant_for_byte_range(match.start(), match.end())
                if node is None or node.type not in _USES:
                    continue  # a string, a comment, a type, a property name
                if not self._selected(node):
                    return False
                uses += 1
        return uses > 0

    def _selected(self, node: Node) -> bool:
        """``node`` runs only in a ``case`` of a ``switch`` on a key, or where some key is
        set."""
        parent = node.parent
        for _ in range(_GUARD_ANCESTORS):
            if parent is None:
                break
            if parent.type == "switch_case" and parent.parent is not None:
                switch = parent.parent.parent  # switch_body -> switch_statement
                if switch is not None and self._keyed(switch.child_by_field_name("value")):
                    return True
            parent = parent.parent
        return self._feature_guarded(node)

    def _keyed(self, value: Node | None) -> bool:
        """The value a ``switch`` tests is a key's: it reads the env, or is a name declared
        from a read in an enclosing block (``const selection = provider ??
        process.env.LLM_PROVIDER``).  Not an event's type (a webhook's dispatch runs every
        case as its events come)."""
        value = _unwrap(value)
        if value is None:
            return False
        if _ENV_TOKEN.search(self.data, value.start_byte, value.end_byte):
            return True
        if value.type != "identifier":
            return False
        name, block = _text(value), value.parent
        while block is not None:
            if block.type in _BLOCKS:
                for statement in block.named_children:
                    if statement.start_byte >= value.start_byte:
                        break
                    if statement.type not in ("lexical_declaration", "variable_declaration"):
                        continue
                    for declarator in statement.named_children:
                        named = declarator.child_by_field_name("name")
                        init = declarator.child_by_field_name("value")
                        if named is not None and init is not None and _text(named) == name:
                            found = _ENV_TOKEN.search(self.data, init.start_byte, init.end_byte)
                            return found is not None
            block = block.parent
        return False

    # -- bindings (top level) ----------------------------------------------------------

    def _bind(self, statement: Node) -> None:
        if statement.type == "export_statement":
            inner = statement.child_by_field_name("declaration")
            if inner is None:
                self._bind_export_clause(statement)
                return
            if not any(c.type == "default" for c in statement.children):  # imported as "default"
                self._exported.extend((n, n) for n in _declared_names(inner))
            statement = inner
        if statement.type == "import_statement":
            self._bind_import(statement)
        elif statement.type == "function_declaration":
            name = statement.child_by_field_name("name")
            if name is not None:
                self.functions.setdefault(_text(name), statement)
                self._namer_candidates.append((_text(name), statement))
        elif statement.type in _TYPE_DECLARATIONS:
            name = statement.child_by_field_name("name")
            if name is not None:
                self.types.setdefault(_text(name), statement)
        elif statement.type in ("lexical_declaration", "variable_declaration"):
            constant = statement.child_count > 0 and statement.children[0].type == "const"
            for declarator in statement.named_children:
                if declarator.type == "variable_declarator":
                    self._bind_declarator(declarator)
                    name = declarator.child_by_field_name("name")
                    if constant and name is not None and name.type == "identifier":
                        self.constants.add(_text(name))

    def _bind_export_clause(self, statement: Node) -> None:
        """``export { a, b as c }`` of this file's own names (not a re-export ``from``)."""
        if statement.child_by_field_name("source") is not None:
            return
        for clause in statement.named_children:
            if clause.type != "export_clause":
                continue
            for spec in clause.named_children:
                name = spec.child_by_field_name("name")
                alias = spec.child_by_field_name("alias") or name
                if spec.type == "export_specifier" and name is not None and alias is not None:
                    self._exported.append((_text(alias), _text(name)))

    def _export_schema_helpers(self) -> None:
        """The names this file exports of functions whose result is a schema that says
        optional, or of such schemas (:attr:`FileFacts.schema_helpers`): homarr's
        ``export const createBooleanSchema = (defaultValue: boolean) => z.stringbool({...
        }).default(defaultValue)``, which its t3-env files in other packages call for each
        flag.  Only a file whose text may hold one (:func:`may_export_schema_helpers`)."""
        if not self._exported or not may_export_schema_helpers(self.data):
            return
        found = self.facts.schema_helpers
        for exported, local in self._exported:
            if exported not in found and self._helper_optional(local, 0):
                found.append(exported)

    def _bind_import(self, statement: Node) -> None:
        source = _string(statement.child_by_field_name("source"))
        if source is None:
            return
        clause = next((c for c in statement.named_children if c.type == "import_clause"), None)
        if clause is None:
            return
        for part in clause.named_children:
            if part.type == "identifier":
                self.imports[_text(part)] = (source, None)
            elif part.type == "namespace_import":
                for ident in part.named_children:
                    if ident.type == "identifier":
                        self.imports[_text(ident)] = (source, None)
            elif part.type == "named_imports":
                for spec in part.named_children:
                    if spec.type != "import_specifier":
                        continue
                    imported = spec.child_by_field_name("name")
                    alias = spec.child_by_field_name("alias") or imported
                    if imported is not None and alias is not None:
                        self.imports[_text(alias)] = (source, _text(imported))

    def _bind_declarator(self, declarator: Node) -> None:
        name = declarator.child_by_field_name("name")
        value = _unwrap(declarator.child_by_field_name("value"))
        if name is None or value is None:
            return
        required = self._required_module(value)
        if name.type == "identifier":
            self.consts.setdefault(_text(name), value)
            if value.type in ("arrow_function", "function_expression", "function"):
                self._namer_candidates.append((_text(name), value))
            if required is not None:
                self.imports[_text(name)] = (required, None)
            provider = self._constructed_provider(value)
            if provider is not None:
                self.clients[_text(name)] = provider
        elif name.type == "object_pattern" and required is not None:
            for prop in name.named_children:
                if prop.type == "shorthand_property_identifier_pattern":
                    self.imports[_text(prop)] = (required, _text(prop))
                elif prop.type == "pair_pattern":
                    key = prop.child_by_field_name("key")
                    local = prop.child_by_field_name("value")
                    if key is not None and local is not None and local.type == "identifier":
                        self.imports[_text(local)] = (required, _text(key))

    def _required_module(self, value: Node) -> str | None:
        """``"dotenv"`` for ``require("dotenv")`` (also ``await import("dotenv")``)."""
        node = _unwrap(value)
        if node is not None and node.type == "await_expression" and node.named_child_count:
            node = _unwrap(node.named_children[0])
        if node is None or node.type != "call_expression":
            return None
        fn = node.child_by_field_name("function")
        if (
            fn is None
            or fn.type not in ("identifier", "import")
            or _text(fn)
            not in (
                "require",
                "import",
            )
        ):
            return None
        return _string(_first_arg(node))

    def _asserts(self, read: Node) -> bool:
        """The code at ``read`` says the value must be there: TypeScript's non-null
        ``process.env.X!`` as the module loads, a member or call on the value itself
        (``process.env.X.split(",")`` throws on ``undefined``), the argument of a call that
        throws on ``undefined`` (:data:`_THROW_ON_UNDEFINED`), or the key of an SDK client
        whose constructor throws without it (:data:`_CLIENT_KEY_ARGUMENT`) as the module
        loads -- built in a function or a constructor (a provider class a switch elsewhere
        picks), the client's own error stops only that feature, as a test that throws there
        does (``feature`` reads).  The value's further path (a variable, a parameter) is not
        followed: what is not said at the read is not said.

        A non-null ``!`` is a type assertion: nothing checks it at run time.  Where it runs
        as the module loads (``const url = process.env.X!``, ``new Stripe(
        process.env.KEY!)``) the author states what the app starts with; in a function run
        later -- gpt-researcher's ``<GoogleAnalytics gaId={process.env.NEXT_PUBLIC_GA_ID!}
        />`` in its root layout, a provider's ``build: () => ({ clientId: X! })`` -- it only
        quiets the compiler where the value is handed on (an ``undefined`` prop renders
        nothing), so it says no more than the plain read would."""
        current, parent, non_null = _value_use(read)
        if non_null and self._runs_at_load(read):
            return True
        if parent is None:
            return False
        if parent.type in ("member_expression", "subscript_expression"):
            return parent.child_by_field_name("object") == current and not _optionally_chained(
                parent, current
            )
        if parent.type == "pair" and parent.child_by_field_name("value") == current:
            options = parent.parent
            name = parent.child_by_field_name("key")
            if options is None or options.type != "object" or name is None:
                return False
            holder = options.parent
            if (
                holder is None
                or holder.type != "arguments"
                or holder.named_children[:1] != [options]
            ):
                return False
            wanted = self._client_key_argument(holder.parent)
            named = isinstance(wanted, str) and wanted == _text(name).strip("\"'")
            return named and self._runs_at_load(holder)
        if parent.type != "arguments":
            return False
        callee = _callee(parent.parent)
        if callee is None:
            return False
        position = parent.named_children.index(current) if current in parent.named_children else -1
        if position == 0 and _text(callee) in _THROW_ON_UNDEFINED:
            return True
        return self._client_key_argument(parent.parent) == position and self._runs_at_load(parent)

    def _client_key_argument(self, call: Node | None) -> str | int | None:
        """:data:`_CLIENT_KEY_ARGUMENT`'s entry for ``new X(...)`` with ``X`` imported from an
        SDK that throws without its key; None for any other call."""
        if call is None or call.type != "new_expression":
            return None
        ctor = call.child_by_field_name("constructor")
        if ctor is None or ctor.type != "identifier":
            return None
        module = self.imports.get(_text(ctor), ("", None))[0]
        return _CLIENT_KEY_ARGUMENT.get(module)

    def _constructed_provider(self, node: Node) -> str | None:
        if node.type != "new_expression":
            return None
        ctor = node.child_by_field_name("constructor")
        if ctor is None:
            return None
        if ctor.type == "member_expression":
            ctor = _member_names(ctor)[0]
        if ctor is None or ctor.type != "identifier":
            return None
        module = self.imports.get(_text(ctor), ("", None))[0]
        return SDK_PROVIDERS.get(module)

    # -- env objects and kinds -----------------------------------------------------------

    def _env_source(self, node: Node | None) -> str | None:
        """``process.env`` / ``import.meta.env`` / ``Bun.env`` / SvelteKit ``env``, or None."""
        node = _unwrap(node)
        if node is None:
            return None
        if node.type == "identifier":
            module = self.imports.get(_text(node))
            if (
                module
                and module[1] == "env"
                and (module[0].startswith("$env/dynamic/") or module[0] in _WASP_ENV_MODULES)
            ):
                return module[0]
            return None
        if node.type != "member_expression":
            return None
        obj, prop = _member_names(node)
        if prop != "env" or obj is None:
            return None
        if obj.type == "identifier" and _text(obj) in ("process", "Bun"):
            return f"{_text(obj)}.env"
        if obj.type == "meta_property":
            return "import.meta.env"
        return None

    def _kind(self, node: Node, key: str | None) -> str:
        """``optional`` when the read has a fallback, is only tested, or is made only where
        the key was tested set; ``required`` otherwise, and when a missing key throws."""
        if self.agent_config:
            return "optional"  # newrelic.js: a monitoring agent's option, off without it
        self._throws_at_load = False  # set by a use of the value that throws as the module loads
        kind = self._use_kind(node, 0)
        if key is None:
            return kind
        if kind == "required" and self._throws_at_load:
            self._fails_at_load.add(key)  # `const k = X; if (!k) throw` at module level
        atom = self._key_atom(key)
        if kind == "required" and self._guarded(node, atom):
            return "optional"
        if kind == "required" and self._feature_guarded(node):
            return "feature"  # if (process.env.A) use(process.env.B): needed when A is on
        if kind == "required" and self._switched_by_name(node, key):
            return "feature"  # providers.includes("openid") && <b>{VITE_OPENID_NAME}</b>
        if kind == "required" and self._selected_case(node):
            return "feature"  # switch (LLM_PROVIDER) { case "groq": return process.env.G }
        if kind == "optional" and self._throws_when_unset(node, atom):
            if not self._runs_at_load(node):
                return "feature"  # the function fails with its own message, when it runs
            self._fails_at_load.add(key)
            _, test, _ = _value_use(node)
            if test is not None and test.type == "unary_expression" and _operator(test) == "!":
                self._fails_empty.add(key)  # `if (!process.env.X) throw`: "" is falsy too
            return "required"
        alias_tested = self._alias_tested(node)
        if alias_tested or self._presence_test(node):
            self._soft_tested.setdefault(key, set()).add(self._function_of(node))
        if kind == "required" and alias_tested:
            return "optional"  # `const k = X; log(k); if (!k) return`: tested later on
        if kind == "required":
            self._required_reads[self._pos(node)] = node
        return kind

    def _use_kind(self, node: Node, depth: int) -> str:
        """The kind of the value at ``node`` from how its parents use it."""
        current = node
        parent = node.parent
        while parent is not None:
            kind = parent.type
            if kind in _WRAPPERS:
                current, parent = parent, parent.parent
                continue
            if kind == "arguments":
                call = parent.parent
                fn = None if call is None else call.child_by_field_name("function")
                if depth == 0 and fn is not None and _LOGGERS.match(_text(fn)):
                    return "optional"  # console.log("X", process.env.X): printed, not used
                if call is not None and fn is not None and parent.named_child_count == 1:
                    if _text(fn) in _VALUE_TESTS:
                        return "optional"  # Boolean(process.env.X): a test
                if call is not None and _converts(call, parent, current):
                    current, parent = call, call.parent
                    continue
                if call is not None and self._optional_option(call, parent, current, WHOLE):
                    return "optional"  # posthog.init(process.env.KEY): off without it
                if call is not None and self._parsed_with_default(call):
                    return "optional"  # z.string().default("x").parse(process.env.X)
                if call is not None and self._parameter_copes(call, parent, current, depth):
                    return "optional"  # cutoffFromEnv(process.env.X, "2026-01-01")
                if call is not None and self._passes_through(call, parent, current):
                    current, parent = call, call.parent  # toValidNumber(process.env.X) || 8192
                    continue
                return "required"
            if kind == "pair" and parent.child_by_field_name("value") == current:
                return self._property_kind(parent)
            if kind == "array" and _filtered(parent):
                return "optional"  # [process.env.A, process.env.B].filter(Boolean)
            if kind in ("member_expression", "subscript_expression", "call_expression"):
                return "optional" if _optionally_chained(parent, current) else "required"
            if kind == "binary_expression":
                return "optional" if _operator(parent) in _TESTS else "required"
            if kind == "unary_expression":
                if _operator(parent) == "+":
                    current, parent = parent, parent.parent  # +process.env.N: Number(...)
                    continue
                optional = _operator(parent) in ("!", "typeof")
                return "optional" if optional else "required"
            if kind == "ternary_expression":
                condition = parent.child_by_field_name("condition")
                if condition == current:
                    return "optional"
                current, parent = parent, parent.parent  # a branch: its value is the whole's
                continue
            if kind in ("if_statement", "while_statement", "do_statement"):
                return "optional"
            if kind == "switch_statement" and parent.child_by_field_name("value") == current:
                return "optional"  # switch (X) { case "s3": ... }: compared, as X === "s3"
            if kind == "variable_declarator" and parent.child_by_field_name("value") == current:
                return self._first_use_kind(parent, depth)
            if kind == "assignment_expression" and parent.child_by_field_name("right") == current:
                return self._field_kind(parent, depth)
            return "required"
        return "required"

    def _parameter_copes(self, call: Node, args: Node, argument: Node, depth: int) -> bool:
        """``f(process.env.X, "fallback")`` with ``f`` a function of this file whose
        parameter for the read has a default (``(v = "d") =>``) or is first used as a test
        that does not throw (``if (!override) return new Date(fallbackIso)``, ``v ?? d``):
        the function copes without the key."""
        fn = _unwrap(call.child_by_field_name("function"))
        if fn is None or depth > 3:
            return False
        named = [a for a in args.named_children if a.type != "comment"]
        if argument not in named:
            return False
        if self._fallback_after(fn, named, named.index(argument)):
            return True
        if fn.type != "identifier":
            return False
        name = _text(fn)
        function = self.functions.get(name) or self.consts.get(name)
        if function is None or function.type not in _FUNCTIONS:
            return False
        declared = _declared_parameters(function)
        index = named.index(argument)
        if index >= len(declared):
            return False
        parameter = declared[index]
        if parameter.type == "assignment_pattern" or (
            parameter.type in ("required_parameter", "optional_parameter")
            and parameter.child_by_field_name("value") is not None
        ):
            return True  # (v = "d") => ...: a missing key takes the default
        if parameter.type in ("required_parameter", "optional_parameter"):
            parameter = parameter.child_by_field_name("pattern") or parameter
        body = function.child_by_field_name("body")
        if parameter.type != "identifier" or body is None:
            return False
        use = self._first_use(_text(parameter), body.start_byte, body.end_byte)
        if use is None or self._use_kind(use, depth + 1) != "optional":
            return False
        return not self._throws_when_unset(use, self._name_atom(_text(parameter)))

    def _fallback_after(self, fn: Node, named: list[Node], index: int) -> bool:
        """``parseEnvBoolean(import.meta.env.X, false)`` with ``parseEnvBoolean`` imported
        from the project's own code (``./``, ``../``, ``@/``, ``~/``, ``#``), or a method of
        the object's own class (``this.prepareBooleanFlag(value, fallbackValue)`` with
        ``const fallbackValue = false``): a helper whose body is elsewhere, handed a
        literal of the value it converts to right after the read (in place or in a
        ``const``), is the "parse, or fall back" idiom (Hexabot's ``utils/env.ts``).  A
        number, a boolean or arithmetic of numbers only: a string after the read is more
        often a mode (``decode(X, "base64")``), and a package's function is not the
        project's helper."""
        if index + 1 >= len(named) or not self._own_helper(fn):
            return False
        after = _unwrap(named[index + 1])
        if after is not None and after.type == "identifier":
            after = self._const_value(after)
        return _literal_value(after)

    def _own_helper(self, fn: Node) -> bool:
        """``fn`` names the project's own code: a function imported from one of its modules
        (:data:`_OWN_MODULES`) or a method of ``this``."""
        if fn.type == "identifier":
            module = self.imports.get(_text(fn), (None, None))[0]
            return module is not None and module.startswith(_OWN_MODULES)
        if fn.type == "member_expression":
            obj = _member_names(fn)[0]
            return obj is not None and obj.type == "this"
        return False

    def _passes_through(self, call: Node, args: Node, argument: Node) -> bool:
        """``toValidNumber(process.env.X) || 8192``, ``{ db: convertStringValues(
        process.env.REDIS_DB_INDEX) }``: a helper of the project's own handed the read as
        its one argument converts it (as ``Number(...)`` does), so how the code uses the
        result is how it uses the read: a fallback or a test of the result copes with the
        key missing, a plain use does not.  A helper imported from the project's modules
        (its body is in another file), or a function of this file whose parameter is not
        first tested by a throw (``if (!v) throw ...``: it requires the key itself)."""
        fn = _unwrap(call.child_by_field_name("function"))
        named = [a for a in args.named_children if a.type != "comment"]
        if fn is None or fn.type != "identifier" or named != [argument]:
            return False
        name = _text(fn)
        if name in self.imports:
            return self._own_helper(fn)
        function = self.functions.get(name) or self.consts.get(name)
        if function is None or function.type not in _FUNCTIONS:
            return False
        declared = _declared_parameters(function)
        parameter = _parameter_name(declared[0]) if declared else None
        body = function.child_by_field_name("body")
        if parameter is None or body is None:
            return False
        use = self._first_use(parameter, body.start_byte, body.end_byte)
        return use is not None and not self._throws_when_unset(use, self._name_atom(parameter))

    def _const_value(self, name: Node) -> Node | None:
        """The value of the ``const`` the identifier ``name`` refers to: a module constant,
        or a ``const`` declared before it in a block around it (``const shouldUse = a &&
        process.env.K; if (shouldUse) ...``).  None for a ``let``, a parameter, an import."""
        text = _text(name)
        function = self._enclosing_function(name)
        start = 0 if function is None else function.start_byte
        found: Node | None = None
        for use in self._uses(text, start, name.start_byte, _ALIAS_USES):
            declarator = use.parent
            if declarator is None or declarator.type != "variable_declarator":
                continue
            statement = declarator.parent
            scope = None if statement is None else statement.parent
            if declarator.child_by_field_name("name") != use or scope is None:
                continue
            if statement is None or statement.child_count == 0:
                continue
            if statement.children[0].type != "const" or declarator.end_byte > name.start_byte:
                continue
            if scope.start_byte <= name.start_byte < scope.end_byte:
                found = _unwrap(declarator.child_by_field_name("value"))
        if found is None and text in self.constants:
            found = self.consts.get(text)
        return found

    # -- guards: where a read runs only if the key is set, or only on the server ------------

    def _first_use_kind(self, declarator: Node, depth: int) -> str:
        """``const k = process.env.X; if (!k) return null;``: the read is as optional as the
        first use of ``k`` after it in its block (one with no use at all is required)."""
        scope = None if depth > 3 else self._alias_scope(declarator)
        if scope is None:
            return "required"
        return self._binding_kind(*scope, depth)

    def _field_kind(self, assignment: Node, depth: int) -> str:
        """``this.clientId = process.env.X as string; if (!this.clientId) throw ...``: a read
        stored in a field of ``this`` is as optional as the field's first use after it in
        the same block (a constructor's test of its fields)."""
        left = _unwrap(assignment.child_by_field_name("left"))
        statement = assignment.parent
        block = None if statement is None else statement.parent
        if left is None or left.type != "member_expression" or depth > 3:
            return "required"
        if statement is None or block is None:
            return "required"
        obj, prop = _member_names(left)
        if obj is None or obj.type != "this" or prop is None:
            return "required"
        field = _text(left)
        use = self._first_member_use(field, statement.end_byte, block)
        if use is None:
            return "required"
        kind = self._use_kind(use, depth + 1)

        def atom(node: Node) -> bool | None:
            return self._set_test(
                node, lambda n: n.type == "member_expression" and _text(n) == field
            )

        if kind == "optional" and self._throws_when_unset(use, atom):
            return self._thrown_for(use)
        return kind

    def _thrown_for(self, use: Node) -> str:
        """A test of the value that throws without it: ``required`` when it runs as the module
        loads (noted for :meth:`_kind`: the code says the app needs the key), else ``feature``."""
        if self._runs_at_load(use):
            self._throws_at_load = True
            return "required"
        return "feature"

    @staticmethod
    def _first_member_use(text: str, after: int, block: Node) -> Node | None:
        """The first ``this.<field>`` spelled ``text`` in ``block`` starting at ``after`` or
        later, looked for among at most :data:`_MEMBER_SCAN` nodes."""
        stack = [c for c in reversed(block.named_children) if c.end_byte > after]
        seen = 0
        while stack and seen < _MEMBER_SCAN:
            node = stack.pop()
            seen += 1
            if node.start_byte >= after and node.type == "member_expression":
                if _text(node) == text:
                    return node
            stack.extend(c for c in reversed(node.named_children) if c.end_byte > after)
        return None

    def _binding_kind(self, name: str, start: int, end: int, depth: int) -> str:
        """The kind of a read bound to the local ``name`` (``const k = process.env.X``,
        ``const { X } = process.env``): that of the first use of ``name`` in ``[start,
        end)``; ``required`` with no use, ``feature`` or ``required`` when the use is a
        test that throws without it (inside a function, or as the module loads)."""
        use = self._first_use(name, start, end)
        if use is None:
            return "required"
        kind = self._use_kind(use, depth + 1)
        if kind == "optional" and self._throws_when_unset(use, self._name_atom(name)):
            return self._thrown_for(use)
        if kind == "required" and self._feature_guarded(use):
            return "feature"  # const S = process.env.S; ID ? new Client({ S }) : stub
        return kind

    def _first_use(self, name: str, after: int, before: int) -> Node | None:
        """The first identifier ``name`` starting in ``[after, before)``."""
        return next(self._uses(name, after, before, 1), None)

    def _uses(self, name: str, after: int, before: int, limit: int) -> Iterator[Node]:
        """The first ``limit`` identifiers ``name`` starting in ``[after, before)``, by one
        index of the whole file built on first need (a bisection per question after that)."""
        if self._names is None:
            names: dict[str, tuple[list[int], list[Node]]] = {}
            stack = [self.root]
            while stack:
                node = stack.pop()
                if node.type in _USES:
                    starts, nodes = names.setdefault(_text(node), ([], []))
                    starts.append(node.start_byte)
                    nodes.append(node)
                elif node.child_count:
                    stack.extend(reversed(node.children))
            self._names = names
        found = self._names.get(name)
        if found is None:
            return
        from bisect import bisect_left

        starts, nodes = found
        at = bisect_left(starts, after)
        for index in range(at, min(at + limit, len(starts))):
            if starts[index] >= before:
                return
            yield nodes[index]

    def _alias_scope(self, declarator: Node) -> tuple[str, int, int] | None:
        """(name, from, to) of ``const k = <read>``: where a use of ``k`` is a use of the read."""
        name = declarator.child_by_field_name("name")
        statement = declarator.parent
        if name is None or name.type != "identifier" or statement is None:
            return None
        scope = statement.parent
        while scope is not None and scope.type == "export_statement":
            scope = scope.parent
        if scope is None:
            return None
        return _text(name), declarator.end_byte, scope.end_byte

    def _alias_tested(self, node: Node) -> bool:
        """``const k = process.env.X; send(k); if (!k) return;``: a later use of ``k`` (not
        only the first) tests it without failing, so the module copes without the key."""
        current, parent = node, node.parent
        while parent is not None and parent.type in _WRAPPERS:
            current, parent = parent, parent.parent
        if parent is None or parent.type != "variable_declarator":
            return False
        if parent.child_by_field_name("value") != current:
            return False
        scope = self._alias_scope(parent)
        if scope is None:
            return False
        name, start, end = scope
        atom = self._name_atom(name)
        return any(
            self._presence_test(use) and not self._throws_when_unset(use, atom)
            for use in self._uses(name, start, end, _ALIAS_USES)
        )

    def _presence_test(self, node: Node) -> bool:
        """Whether the value at ``node`` is tested for presence, with the code going on
        either way: ``!X``, ``Boolean(X)``, ``X ? a : b``, ``if (X)``, ``X && use(X)``,
        ``X?.trim()``, ``X !== undefined``.  Not a default (``X ?? "d"``: a fallback at one
        place) nor a comparison with a value (``X === "s3"``)."""
        current, parent = node, node.parent
        for _ in range(_CONDITION_DEPTH):
            if parent is None:
                return False
            kind = parent.type
            if kind in _WRAPPERS:
                current, parent = parent, parent.parent
                continue
            if kind == "arguments":
                call = parent.parent
                fn = None if call is None else call.child_by_field_name("function")
                if call is None or fn is None:
                    return False
                if _text(fn) == "Boolean" and parent.named_child_count == 1:
                    return True
                if not _converts(call, parent, current):
                    return False
                current, parent = call, call.parent
                continue
            if kind == "unary_expression":
                return _operator(parent) in ("!", "typeof")
            if kind in ("if_statement", "while_statement", "do_statement"):
                return True
            if kind == "ternary_expression":
                return parent.child_by_field_name("condition") == current
            if kind in ("member_expression", "subscript_expression", "call_expression"):
                return _optionally_chained(parent, current)
            if kind != "binary_expression":
                return False
            operator = _operator(parent)
            left = parent.child_by_field_name("left")
            if operator == "&&" and left == current:
                return True
            if operator in ("&&", "||", "??"):
                current, parent = parent, parent.parent  # the whole is what is tested
                continue
            if operator in _EQUALITY:
                other = _unwrap(parent.child_by_field_name("right") if left == current else left)
                return other is not None and (
                    other.type in ("undefined", "null") or _text(other) == "undefined"
                )
            return False
        return False

    def _function_of(self, node: Node) -> int:
        """The id of the function ``node`` runs in; 0 when it runs as the module loads, -1
        past :data:`_GUARD_ANCESTORS` levels (a scope of its own)."""
        parent = node.parent
        for _ in range(_GUARD_ANCESTORS):
            if parent is None:
                return 0
            if parent.type in _FUNCTIONS or parent.type == "method_definition":
                return int(parent.id)
            parent = parent.parent
        return -1

    def _runs_at_load(self, node: Node, depth: int = 0) -> bool:
        """Whether ``node`` runs as the module loads: at top level, or in a function run from
        there (an IIFE, a function or class called or constructed at top level), followed
        through at most :data:`_LOAD_CALLS` functions.  A throw there stops the app at start;
        a throw in any other function stops only the feature that calls it."""
        function = self._enclosing_function(node)
        if function is None:
            return True
        if depth >= _LOAD_CALLS or function.type == "program":
            return False  # `program`: past the ancestors looked at, a scope of its own
        current, parent = function, function.parent
        while parent is not None and parent.type in _WRAPPERS:
            current, parent = parent, parent.parent
        if parent is not None and parent.type == "call_expression":
            if parent.child_by_field_name("function") == current:  # (() => {...})()
                return self._runs_at_load(parent, depth + 1)
        name = self._function_name(function)
        if name is None:
            return False
        return any(
            self._called(use) and self._runs_at_load(use, depth + 1)
            for use in self._uses(name, 0, self.root.end_byte, _ALIAS_USES)
        )

    def _enclosing_function(self, node: Node) -> Node | None:
        """The function (or method) ``node`` runs in; None at top level, the root past
        :data:`_GUARD_ANCESTORS` levels (as :meth:`_function_of`)."""
        function, ended = _enclosing(node)
        return function if ended else self.root

    def _function_name(self, function: Node) -> str | None:
        """The name the module calls ``function`` by: ``function f``, ``const f = () =>``,
        or a class's name for its constructor (``new C()``)."""
        if function.type == "method_definition":
            name = function.child_by_field_name("name")
            body = function.parent
            owner = None if body is None else body.parent
            if name is None or _text(name) != "constructor" or owner is None:
                return None
            function = owner  # class C { constructor() {...} }: named C
        name = function.child_by_field_name("name")
        if name is None:
            declarator = function.parent
            while declarator is not None and declarator.type in _WRAPPERS:
                declarator = declarator.parent
            if declarator is None or declarator.type != "variable_declarator":
                return None
            name = declarator.child_by_field_name("name")
        if name is None or name.type not in ("identifier", "type_identifier"):
            return None
        return _text(name)

    @staticmethod
    def _called(use: Node) -> bool:
        """``f(...)`` or ``new C(...)`` with ``use`` the callee."""
        current, parent = use, use.parent
        while parent is not None and parent.type in _WRAPPERS:
            current, parent = parent, parent.parent
        if parent is None:
            return False
        field = {"call_expression": "function", "new_expression": "constructor"}.get(parent.type)
        return field is not None and parent.child_by_field_name(field) == current

    # -- where a read is passed: SDK options, lookup tables, JSON ---------------------------

    def _property_kind(self, pair: Node) -> str:
        """The kind of a read written as ``{ option: process.env.X }``: optional when the
        object is an SDK option of :mod:`envcheck.code.optional_options`, a module lookup
        table whose every lookup is tested (``const hooks = { alerts: process.env.A };``
        ... ``const hook = hooks[type]; if (!hook) return``), or serialised to JSON
        (``Response.json({ faviconUrl: process.env.FAVICON_URL })``: ``undefined`` is
        dropped, the client sees no value); required otherwise (``new OpenAI({ apiKey })``)."""
        key_node = pair.child_by_field_name("key")
        obj = pair.parent
        if key_node is None or obj is None:
            return "required"
        if self.vite_config and not self._under_define(obj):
            return "optional"  # a Vite option (`server: { host }`): undefined is its default
        key = _string(key_node) if key_node.type == "string" else _text(key_node)
        if self.next_config and key != "env" and _module_object(obj):
            return "optional"  # `output: process.env.X`: a Next option, undefined its default
        for call, args, argument in self._argument_sites(obj):
            if self._optional_option(call, args, argument, key):
                return "optional"
        if self._nested_option(obj, key):
            return "optional"  # createTransport({ tls: { servername: process.env.X } })
        if self._lookups_tested(obj, key):
            return "optional"
        if key == "domain" and _cookie_attributes(obj):
            return "optional"  # { path: "/", domain: X }: no Domain is a host-only cookie
        if key is not None and self._typed_optional(obj, key):
            return "optional"  # `version?: string` in the object's own declared type
        if self._beside_a_switch(obj):
            return "feature"  # { use_env_variable: process.env.URL ? "URL" : undefined, host }
        outer = _outermost_object(obj)
        for call, args, argument in self._argument_sites(outer):
            if self._serialises(call, args, argument):
                return "optional"
        if key is not None and self._returned_settings(pair, obj, outer, key):
            return "feature"  # return { tencentSecretId: process.env.X }: its caller's choice
        return "required"

    def _returned_settings(self, pair: Node, obj: Node, outer: Node, key: str) -> bool:
        """``pair`` is a field of a settings object a function returns and no code of this
        file uses: NextChat's ``getServerSideConfig = () => ({ tencentSecretId:
        process.env.TENCENT_SECRET_ID, ... })``, anything-llm's ``currentSettings()``
        (``{ ...this.vectorDBPreferenceKeys() }``) that a route sends to the settings page.
        The read demands nothing where it is: whoever takes the field decides, and the app
        runs without it until a feature does (``feature``).  Not when this file says the
        field must be there: the read typed as set (``process.env.X!``), the object's
        declared type has the field without ``?``, the function checks the env it returns
        (``validateConfig(process.env, Validator)``, ``schema.parse(process.env)``), or this
        file calls the function and uses its result (``fetch(url, { headers: authHeaders()
        })``) other than by returning it on in such an object."""
        value = pair.child_by_field_name("value")
        while value is not None and value.type in _WRAPPERS:
            if value.type == "non_null_expression":
                return False  # `process.env.X!`: the author types the field as always set
            value = next(iter(value.named_children), None)
        declared = self._declared_type(obj)
        if declared is not None and any(
            _property_named(member, key) for member in self._type_members(declared, 0)
        ):
            return False  # the type has `key` and it is not optional (_typed_optional)
        return self._leaves_unused(outer, 0)

    def _leaves_unused(self, obj: Node, depth: int) -> bool:
        """The object literal ``obj`` is what a named function returns (``return {...}``,
        ``() => ({...})``), the function does not check the env, and every call of it in
        this file spreads its result into another such object (at most
        :data:`_HELPER_DEPTH` levels).  Not a function a framework calls by its name and
        hands the result to a page (``getServerSideProps``, whose ``undefined`` prop is an
        error, a ``loader``, SvelteKit's ``load``).  Memoized per object: each of its reads
        asks."""
        found = self._leaving.get(obj.id)
        if found is not None:
            return found
        self._leaving[obj.id] = False  # a function spreading its own result stops here
        function = _returning_function(obj)
        if function is None or depth > _HELPER_DEPTH or self._checks_env(function):
            return False
        name = _callable_name(function)
        if name is None or name in _SERVER_EXPORTS or name == "load":
            return False  # `registerAs("db", () => ({...}))`: the callee takes the result
        owner = _method_owner(function)
        for call in self._calls_of(name):
            if owner is not None and not _calls_own_method(call, owner):
                continue  # `this.limits.execute()` in a class's own `execute()`: another's
            holder = _spread_into(call)
            if holder is None or not self._leaves_unused(_outermost_object(holder), depth + 1):
                return False
        self._leaving[obj.id] = True
        return True

    def _checks_env(self, function: Node) -> bool:
        """Some call in ``function`` takes the env object itself (``validateConfig(
        process.env, V)``, ``schema.parse(process.env)``): it checks the keys it reads, so
        its reads are what the check says.  At most :data:`_CHECK_SCAN` nodes looked at (a
        longer function is taken as checking), once per function: each of its reads asks."""
        found = self._env_checked.get(function.id)
        if found is None:
            found = self._env_checked[function.id] = _finds_within(
                function,
                _CHECK_SCAN,
                lambda node: (
                    node.type == "arguments"
                    and any(self._env_source(a) is not None for a in node.named_children)
                ),
            )
        return found

    def _calls_of(self, name: str) -> list[Node]:
        """The calls in this file of a function or method named ``name``: ``name(...)``,
        ``x.name(...)``, ``this.name(...)``; one index of the file built on first need."""
        if self._calls is None:
            calls: dict[str, list[Node]] = {}
            stack = [self.root]
            while stack:
                node = stack.pop()
                if node.type == "call_expression":
                    fn = _unwrap(node.child_by_field_name("function"))
                    if fn is not None and fn.type == "identifier":
                        calls.setdefault(_text(fn), []).append(node)
                    elif fn is not None and fn.type == "member_expression":
                        called = _member_names(fn)[1]
                        if called is not None:
                            calls.setdefault(called, []).append(node)
                if node.child_count:
                    stack.extend(node.children)
            self._calls = calls
        return self._calls.get(name, [])

    def _nested_option(self, obj: Node, key: str | None) -> bool:
        """``{ tls: { servername: X } }`` passed to an SDK whose table row names the
        dotted option (``tls.servername``): the inner object's property, one level down."""
        parent = obj.parent
        while parent is not None and parent.type in _WRAPPERS:
            parent = parent.parent
        if key is None or parent is None or parent.type != "pair" or parent.parent is None:
            return False
        outer_key = parent.child_by_field_name("key")
        if outer_key is None:
            return False
        dotted = f"{_text(outer_key)}.{key}"
        return any(
            self._optional_option(call, args, argument, dotted)
            for call, args, argument in self._argument_sites(parent.parent)
        )

    def _typed_optional(self, obj: Node, key: str) -> bool:
        """The object literal's own declared type, a type of this file, says ``key?:``
        (or ``key: T | undefined``): the code that takes the object copes without it.
        The type is the one the code gives the object: ``const o: T = {...}``, the return
        type of the function that returns it, or the parameter type of this file's
        function or class constructor it is passed to (``new ClickHouse({ name: X })`` with
        ``constructor(config: ClickHouseConfig)`` and ``name?: string`` in it)."""
        declared = self._declared_type(obj)
        return declared is not None and any(
            _optional_member(member, key) for member in self._type_members(declared, 0)
        )

    def _declared_type(self, obj: Node) -> Node | None:
        """The type node the code declares for the object literal ``obj``, or None."""
        current, parent = obj, obj.parent
        while parent is not None and parent.type in _WRAPPERS:
            current, parent = parent, parent.parent
        if parent is None:
            return None
        if parent.type == "variable_declarator" and parent.child_by_field_name("value") == current:
            return _annotated(parent.child_by_field_name("type"))
        if parent.type == "return_statement":
            function = self._enclosing_function(parent)
            if function is None or function == self.root:
                return None
            return _annotated(function.child_by_field_name("return_type"))
        if parent.type != "arguments" or parent.parent is None:
            return None
        call = parent.parent
        callee = _unwrap(
            call.child_by_field_name("function") or call.child_by_field_name("constructor")
        )
        if callee is None or callee.type != "identifier":
            return None
        function = self.functions.get(_text(callee)) or self.consts.get(_text(callee))
        if call.type == "new_expression":
            function = _constructor(self.types.get(_text(callee)))
        if function is None or function.type not in (*_FUNCTIONS, "method_definition"):
            return None
        named = [a for a in parent.named_children if a.type != "comment"]
        declared = _declared_parameters(function)
        index = named.index(current) if current in named else len(declared)
        if index >= len(declared):
            return None
        return _annotated(declared[index].child_by_field_name("type"))

    def _type_members(self, node: Node, depth: int) -> Iterator[Node]:
        """The property signatures of a type: an object type, an interface, an alias of
        this file, each side of a union or an intersection (a property optional on any
        side is one the code that takes the type must cope without)."""
        if depth > _HELPER_DEPTH:
            return
        if node.type in ("object_type", "interface_body"):
            yield from (m for m in node.named_children if m.type == "property_signature")
        elif node.type in ("union_type", "intersection_type", "parenthesized_type"):
            for part in node.named_children:
                yield from self._type_members(part, depth + 1)
        elif node.type == "type_identifier":
            declaration = self.types.get(_text(node))
            if declaration is None:
                return
            body = declaration.child_by_field_name("body") or declaration.child_by_field_name(
                "value"
            )
            if body is not None and declaration.type != "class_declaration":
                yield from self._type_members(body, depth + 1)

    def _beside_a_switch(self, obj: Node) -> bool:
        """``obj``, or an object literal it is nested in, holds a switch (see
        :meth:`_is_switch`), or is the section of a provider that a selector beside it
        must pick (see :meth:`_selected_section`): the section's other plain reads are
        what the switch turns on, or the alternatives to the key it picks, so no
        requirement of the app (``feature``).  The climb goes through a property's value
        and through a call built there, directly or in an arrow function (``build: () =>
        GitlabProvider({ clientId: process.env.X })``, ``build: oauth(F, "ID", "SECRET", {
        issuer: process.env.X })``: what the entry builds is its feature's).  At most
        :data:`_OBJECT_NESTING` objects up; each object's properties are looked at once per
        file (memoized): a config of many reads stays linear."""
        current: Node | None = obj
        for _ in range(_OBJECT_NESTING):
            if current is None or current.type != "object":
                return False
            if self._holds_a_switch(current):
                return True
            pair = self._holding_pair(current)
            if pair is None or pair.parent is None:
                return False
            if self._selected_section(pair):
                return True
            current = pair.parent
        return False

    @staticmethod
    def _holding_pair(obj: Node) -> Node | None:
        """The property whose value is ``obj``, or builds it: ``{ k: obj }``, ``{ k: f(obj)
        }``, ``{ k: () => f(obj) }`` (wrappers such as ``as T`` skipped); None otherwise."""
        parent = obj.parent
        while parent is not None and parent.type in _WRAPPERS:
            parent = parent.parent
        if parent is not None and parent.type == "arguments":
            call = parent.parent
            parent = None if call is None else call.parent
            while parent is not None and parent.type in _WRAPPERS:
                parent = parent.parent
            if parent is not None and parent.type == "arrow_function":
                parent = parent.parent
        return parent if parent is not None and parent.type == "pair" else None

    def _selected_section(self, pair: Node) -> bool:
        """``pair`` is a provider's section, and a selector beside it (a property named
        like ``provider`` / ``socialAuthProviders`` that reads the env with a fallback) must
        pick that provider for it to be used: teable's storage config, ``provider:
        (process.env.BACKEND_STORAGE_PROVIDER ?? 'local') as 'local' | 'minio' | 's3'`` beside
        ``minio: {...}`` and ``s3: {...}``.  The section is named among the selector's
        string literals and is not its fallback; or the selector falls back to an empty
        list or string (``?.split(',') ?? []``: no provider unless the env lists it) and the
        section is a provider's bare settings, no read in it with a fallback of its own
        (``github: { clientID: process.env.X }``, not ``jwt: { secret: X ?? 'd' }``)."""
        key_node = pair.child_by_field_name("key")
        value = _unwrap(pair.child_by_field_name("value"))
        obj = pair.parent
        if key_node is None or value is None or value.type != "object" or obj is None:
            return False
        name = _string(key_node) if key_node.type == "string" else _text(key_node)
        selectors = self._selectors.get(obj.id)
        if selectors is None:  # once per object: a config of many sections stays linear
            selectors = [
                (sibling, found)
                for sibling in obj.named_children
                if sibling.type == "pair"
                and (sibling_key := sibling.child_by_field_name("key")) is not None
                and _SELECTOR.search(_text(sibling_key).strip("'\""))
                and (found := self._selector(sibling)) is not None
            ]
            self._selectors[obj.id] = selectors
        for sibling, (literals, fallback) in selectors:
            if sibling == pair:
                continue
            if name in literals and name != fallback:
                return True
            if fallback == "" and name not in literals and not self._defaults_within(value):
                return True
        return False

    def _selector(self, pair: Node) -> tuple[frozenset[str], str] | None:
        """A selector's string literals and its fallback (``""`` for an empty list or
        string), when its value reads the env behind ``??`` / ``||``; None otherwise.  The
        value as written, its ``as`` type included: that union names the choices."""
        value = pair.child_by_field_name("value")
        if value is None or not self._reads_env(value):
            return None
        literals: set[str] = set()
        fallback: str | None = None
        stack = [value]
        for _ in range(_SWITCH_SCAN):
            if not stack:
                break
            node = stack.pop()
            if node.type == "binary_expression" and _operator(node) in ("??", "||"):
                right = _unwrap(node.child_by_field_name("right"))
                if right is not None and right.type == "array" and not right.named_children:
                    fallback = ""
                elif right is not None:
                    fallback = _string(right) if right.type == "string" else fallback
            if node.type == "string" and (text := _string(node)):
                literals.add(text)  # `'minio'` of `as 'local' | 'minio' | 's3'`
            stack.extend(node.named_children)
        return (frozenset(literals), fallback) if fallback is not None else None

    def _defaults_within(self, section: Node) -> bool:
        """Some read in ``section`` has a fallback of its own (``??`` / ``||``), or the
        section is too large to look through (:data:`_SECTION_SCAN` nodes): no bare
        provider settings.  Memoized per section: each of its reads asks."""
        found = self._section_defaults.get(section.id)
        if found is None:
            found = self._section_defaults[section.id] = _finds_within(
                section,
                _SECTION_SCAN,
                lambda node: node.type == "binary_expression" and _operator(node) in ("??", "||"),
            )
        return found

    def _holds_a_switch(self, obj: Node) -> bool:
        """A property of ``obj`` itself is a switch (memoized per object)."""
        found = self._switches.get(obj.id)
        if found is None:
            found = any(self._is_switch(pair) for pair in obj.named_children if pair.type == "pair")
            self._switches[obj.id] = found
        return found

    def _is_switch(self, pair: Node) -> bool:
        """``pair`` turns its section on or off, or picks one of two sources, from the env:

        * a selector: ``?:`` on a presence test whose branches are both literals
          (``use_env_variable: process.env.DATABASE_URL ? "DATABASE_URL" : undefined``,
          outline's sequelize config: the ``DATABASE_*`` parts beside it are the
          alternative to the URL);
        * the section's on/off flag by its conventional name, computed from the env
          (``enabled: process.env.AUDIT_LOG_ENABLED === undefined ? true : ...``, Hexabot's
          audit section, whose backends' URLs are used only by the backend it selects).

        Not a flag of another name (``synchronize: X !== undefined ? X === "true" : d``,
        ``debug: X === "true"``: a setting, not a switch) nor a default (``X || "d"``,
        ``port: X ? parseInt(X, 10) : 5432``)."""
        value = _unwrap(pair.child_by_field_name("value"))
        if value is None:
            return False
        if value.type == "ternary_expression" and all(
            _literal(value.child_by_field_name(f)) for f in ("consequence", "alternative")
        ):
            condition = value.child_by_field_name("condition")
            atom = self._feature_atom
            return any(self._implies(condition, when, atom) for when in (True, False))
        if _names_a_flag(value):
            return True
        key_node = pair.child_by_field_name("key")
        name = None if key_node is None else (_string(key_node) or _text(key_node))
        return name in _SWITCH_NAMES and self._reads_env(value)

    def _reads_env(self, node: Node) -> bool:
        """Some read of the env within ``node`` (at most :data:`_SWITCH_SCAN` nodes)."""
        stack = [node]
        for _ in range(_SWITCH_SCAN):
            if not stack:
                return False
            current = stack.pop()
            if self._env_value(current):
                return True
            stack.extend(current.named_children)
        return False

    def _under_define(self, obj: Node) -> bool:
        """``obj`` is (inside) the value of a ``define:`` option: what Vite inlines into the
        app's bundle, the app's own configuration, so a missing key is the app's problem."""
        current: Node | None = obj
        for _ in range(_OBJECT_NESTING):
            pair = None if current is None else current.parent
            if pair is None or pair.type != "pair":
                return False
            key = pair.child_by_field_name("key")
            if key is not None and (_string(key) if key.type == "string" else _text(key)) == (
                "define"
            ):
                return True
            current = pair.parent
        return False

    def _argument_sites(self, value: Node) -> Iterator[tuple[Node, Node, Node]]:
        """(call, arguments, argument) where ``value`` is passed: directly, or as a module
        constant (``const options = {...}; plugin(options)``), its first uses only."""
        current, parent = value, value.parent
        while parent is not None and parent.type in _WRAPPERS:
            current, parent = parent, parent.parent
        if parent is None:
            return
        if parent.type == "arguments":
            call = parent.parent
            if call is not None and call.type in ("call_expression", "new_expression"):
                yield call, parent, current
            return
        name = self._constant_named(parent, current)
        if name is None:
            return
        for use in self._uses(name, 0, self.root.end_byte, _TABLE_USES):
            site, args = use, use.parent
            while args is not None and args.type in _WRAPPERS:
                site, args = args, args.parent
            if args is not None and args.type == "arguments":
                call = args.parent
                if call is not None and call.type == "call_expression":
                    yield call, args, site

    def _constant_named(self, declarator: Node, value: Node) -> str | None:
        """The name of the module constant ``declarator`` binds to ``value``, or None."""
        if declarator.type != "variable_declarator":
            return None
        if declarator.child_by_field_name("value") != value:
            return None
        name = declarator.child_by_field_name("name")
        if name is None or name.type != "identifier" or _text(name) not in self.constants:
            return None
        return _text(name) if self.consts.get(_text(name)) == _unwrap(value) else None

    def _lookups_tested(self, obj: Node, key: str | None) -> bool:
        """``obj`` is a module constant and every lookup of it that may be ``key``
        (``table[type]``, ``table.key``) is tested before use, as a read would be."""
        parent = obj.parent
        while parent is not None and parent.type in _WRAPPERS:
            obj, parent = parent, parent.parent
        name = None if parent is None else self._constant_named(parent, obj)
        if name is None or parent is None:
            return False
        uses = list(self._uses(name, parent.end_byte, self.root.end_byte, _TABLE_USES + 1))
        if not uses or len(uses) > _TABLE_USES:
            return False
        looked_up = False
        for use in uses:
            lookup = use.parent
            if lookup is not None and lookup.type == "type_query":
                continue  # `keyof typeof table`, `satisfies typeof table`: a type, no lookup
            if lookup is None or lookup.child_by_field_name("object") != use:
                return False
            if lookup.type == "member_expression":
                if _member_names(lookup)[1] != key:
                    continue
            elif lookup.type != "subscript_expression":
                return False
            if self._use_kind(lookup, 1) != "optional":
                return False
            looked_up = True
        return looked_up

    def _optional_option(self, call: Node, args: Node, argument: Node, option: str | None) -> bool:
        """Whether ``argument`` (its property ``option``, or :data:`WHOLE`) of ``call`` may be
        undefined by the SDK's design (:mod:`envcheck.code.optional_options`)."""
        if option is None:
            return False
        callee = self._callee(call)
        if callee is None:
            return False
        module, function = callee
        named = [a for a in args.named_children if a.type != "comment"]
        index = next((i for i, a in enumerate(named) if a == argument), -1)
        return index >= 0 and is_optional_option(module, function, index, option)

    def _callee(self, call: Node) -> tuple[str, str] | None:
        """(module, function) of ``init(...)`` / ``Sentry.init(...)`` / ``new Unsend(...)``
        from an import."""
        fn = _unwrap(
            call.child_by_field_name("function") or call.child_by_field_name("constructor")
        )
        if fn is None:
            return None
        if fn.type == "identifier":
            module, imported = self.imports.get(_text(fn), (None, None))
            return None if module is None else (module, imported or _text(fn))
        if fn.type == "member_expression":
            obj, prop = _member_names(fn)
            if obj is None or obj.type != "identifier" or prop is None:
                return None
            module = self.imports.get(_text(obj), (None, None))[0]
            return None if module is None else (module, prop)
        return None

    def _serialises(self, call: Node, args: Node, argument: Node) -> bool:
        """``JSON.stringify(x)``, ``json(x)``, ``Response.json(x)``, ``res.json(x)``: ``x``
        is written as JSON, where an undefined property is left out."""
        named = [a for a in args.named_children if a.type != "comment"]
        if not named or named[0] != argument:
            return False
        fn = _unwrap(call.child_by_field_name("function"))
        if fn is None:
            return False
        if _text(fn) in _JSON_CALLS:
            return True
        return fn.type == "member_expression" and _member_names(fn)[1] == "json"

    def _refers_to(self, node: Node, key: str) -> bool:
        """``node`` is a read of ``key``: ``process.env.KEY``, ``import.meta.env["KEY"]``,
        ``Deno.env.get("KEY")`` (or ``Deno.env.has("KEY")``, true exactly when it is set)."""
        if node.type == "call_expression":
            fn = node.child_by_field_name("function")
            return (
                fn is not None
                and _text(fn) in ("Deno.env.get", "Deno.env.has")
                and _string(_first_arg(node)) == key
            )
        if node.type == "member_expression":
            obj, prop = _member_names(node)
            return prop == key and self._env_source(obj) is not None
        if node.type == "subscript_expression":
            return (
                _string(node.child_by_field_name("index")) == key
                and self._env_source(node.child_by_field_name("object")) is not None
            )
        return False

    def _key_atom(self, key: str) -> _Atom:
        def atom(node: Node) -> bool | None:
            if self._in_env(node, key):
                return True  # "KEY" in process.env: set exactly when true
            return self._set_test(node, lambda n: self._refers_to(n, key))

        return atom

    def _in_env(self, node: Node, key: str) -> bool:
        """``"KEY" in process.env`` (or ``import.meta.env``, ``Bun.env``)."""
        if node.type != "binary_expression" or _operator(node) != "in":
            return False
        return _string(node.child_by_field_name("left")) == key and (
            self._env_source(node.child_by_field_name("right")) is not None
        )

    def _feature_guarded(self, node: Node) -> bool:
        """Whether ``node`` runs only where another key of its feature is set (see
        :meth:`_feature_atom`).  At load, not after ``if (!A) throw``: then the app fails
        at start without ``A``, and runs on everywhere else; in any other function, after
        it too (``if (!ID) throw ...; install({ redirectUri: REDIRECT })``: the feature
        fails with its own message)."""
        return self._guarded(node, self._feature_atom, soft=self._runs_at_load(node))

    def _switched_by_name(self, node: Node, key: str) -> bool:
        """Whether ``node`` runs only where the app's set of enabled things holds the key's
        feature: Reactive-Resume's ``{providers.includes("openid") && (...
        {VITE_OPENID_NAME} ...)}``, ``enabled.has("openid")``.  The feature is a word of the
        key (``OPENID``), not a prefix a framework asks for (``VITE_``, ``NEXT_PUBLIC_``) nor a
        word every key has (``NAME``, ``URL``, ``KEY``): the block is that feature's, off
        unless it is set up.  Not ``kind === "pagerduty"``: a dispatch over every kind
        (openstatus' channel list builds PagerDuty's install link whether or not it is set
        up)."""
        words = _feature_words(key)
        if not words:
            return False

        def atom(test: Node) -> bool | None:
            if test.type == "call_expression":
                fn = _unwrap(test.child_by_field_name("function"))
                if fn is None or fn.type != "member_expression":
                    return None
                if _member_names(fn)[1] not in ("includes", "has"):
                    return None
                named = _string(_first_arg(test))
                return True if named is not None and named.upper() in words else None
            return None

        return self._guarded(node, atom)

    def _selected_case(self, node: Node) -> bool:
        """Whether ``node`` runs only in one ``case`` of a switch over a configured choice:
        ``switch (process.env.LLM_PROVIDER) { case "groq": model = process.env.GROQ_MODEL;
        ... default: model = "--" }``, also through a ``const`` holding the read, or over a
        parameter with a default (``LangChainChatModel(provider = "openai")``).  The read is
        that provider's setting, needed when the app is set up to use it (``feature``).
        Not in a case the app takes with the key unset: ``default``, ``case undefined:``,
        the fallback's (``process.env.EMAIL_PROVIDER ?? "smtp"``: ``case "smtp"``) or the
        parameter default's.  Not a switch over the app's mode (``NODE_ENV``, ``APP_ENV``):
        every mode is one the app runs in; nor over a value whose default is not seen here
        (a parameter without one: its callers decide)."""
        current, parent = node, node.parent
        for _ in range(_GUARD_ANCESTORS):
            if parent is None:
                return False
            if parent.type == "switch_case" and parent.child_by_field_name("value") != current:
                switch = parent.parent.parent if parent.parent is not None else None
                if switch is not None and switch.type == "switch_statement":
                    unset = self._unset_choices(switch.child_by_field_name("value"), 0)
                    if unset is not None and not _case_runs_unset(parent, unset):
                        return True
            current, parent = parent, parent.parent
        return False

    def _unset_choices(self, value: Node | None, depth: int) -> frozenset[str] | None:
        """The values a configured choice takes with its key unset (``?? "smtp"``: smtp;
        none for a bare read), or None when ``value`` is no configured choice: a read of a
        key that is not a mode, a ``const`` holding one, a parameter with a default."""
        node = _unwrap(value)
        if node is None or depth > _HELPER_DEPTH:
            return None
        if node.type == "call_expression":
            fn = _unwrap(node.child_by_field_name("function"))
            args = node.child_by_field_name("arguments")
            if fn is not None and args is not None and _text(fn) in _CONVERTERS:
                return self._unset_choices(_first_arg(node), depth + 1)  # String(process.env.S)
            if fn is not None and fn.type == "member_expression":  # X.toLowerCase()
                return self._unset_choices(fn.child_by_field_name("object"), depth + 1)
            return None
        if node.type == "identifier":
            held = self._const_value(node)
            if held is None:
                return self._parameter_default(node)
            return None if held == node else self._unset_choices(held, depth + 1)
        if node.type == "binary_expression" and _operator(node) in ("??", "||"):
            fallback = _string(_unwrap(node.child_by_field_name("right")))
            left = self._unset_choices(node.child_by_field_name("left"), depth + 1)
            return None if left is None or fallback is None else left | {fallback}
        if node.type not in ("member_expression", "subscript_expression"):
            return None
        key = self._read_key(node)
        return None if key is None or _MODE_KEY.search(key) else frozenset()

    def _parameter_default(self, name: Node) -> frozenset[str] | None:
        """The choice a function makes when its caller makes none, for the parameter
        ``name``: ``{"openai"}`` for ``f(provider = "openai")``, nothing for ``f({ provider =
        null } = {})`` (no case is taken by default); None without a default (the callers
        choose, as rallly's ``createTransportForProvider(provider)`` is handed ``EMAIL_PROVIDER
        ?? "smtp"``)."""
        function = self._enclosing_function(name)
        if function is None or function.type == "program":
            return None
        wanted = _text(name)
        for parameter in _declared_parameters(function):
            pattern, default = parameter, None
            if parameter.type == "assignment_pattern":  # JavaScript: p = "x"
                pattern = parameter.child_by_field_name("left") or parameter
                default = parameter.child_by_field_name("right")
            elif parameter.type in ("required_parameter", "optional_parameter"):  # TypeScript
                pattern = parameter.child_by_field_name("pattern") or parameter
                default = parameter.child_by_field_name("value")
            if pattern.type == "object_pattern":  # ({ provider = null } = {})
                for part in pattern.named_children:
                    if part.type == "object_assignment_pattern":
                        left = part.child_by_field_name("left")
                        if left is not None and _text(left) == wanted:
                            return _default_choice(part.child_by_field_name("right"))
                    elif _text(part) == wanted:
                        return None
                continue
            if pattern.type == "identifier" and _text(pattern) == wanted:
                return _default_choice(default)
        return None

    def _read_key(self, node: Node) -> str | None:
        """The key ``node`` reads (``process.env.K``, ``process.env["K"]``), else None."""
        if node.type == "member_expression":
            obj, prop = _member_names(node)
            return prop if self._env_source(obj) is not None else None
        if self._env_source(node.child_by_field_name("object")) is None:
            return None
        return _string(node.child_by_field_name("index"))

    def _feature_atom(self, node: Node) -> bool | None:
        """What ``node`` says of *some* key being set, by presence only: ``if
        (process.env.SLACK_CLIENT_ID)``, ``"K" in process.env``, ``ID !== undefined`` with
        ``const ID = process.env.K`` at top level.  Code that runs only where another key of
        its feature is set runs without its own key too: the feature is off.  Not ``K ===
        "production"``: a mode, which one of the modes the app runs in."""
        if node.type == "binary_expression":
            operator = _operator(node)
            if operator == "in":
                return self._env_source(node.child_by_field_name("right")) is not None or None
            if operator in ("===", "=="):
                other = [_unwrap(node.child_by_field_name(f)) for f in ("left", "right")]
                if not any(o is not None and o.type in ("undefined", "null") for o in other):
                    if not any(o is not None and _text(o) == "undefined" for o in other):
                        return None
        return self._set_test(node, self._env_value)

    def _env_value(self, node: Node, depth: int = 0) -> bool:
        """``node`` is a read of some key, or a top-level constant holding one."""
        node = _unwrap(node) or node
        if node.type == "identifier":
            name = _text(node)
            value = self.consts.get(name) if name in self.constants else None
            if value is None or value == node or depth > _HELPER_DEPTH:
                return False
            return self._env_value(value, depth + 1)
        if node.type == "call_expression":
            fn = node.child_by_field_name("function")
            return fn is not None and _text(fn) in ("Deno.env.get", "Deno.env.has")
        if node.type in ("member_expression", "subscript_expression"):
            obj = node.child_by_field_name("object")
            return self._env_source(_unwrap(obj)) is not None
        return False

    def _name_atom(self, name: str) -> _Atom:
        return lambda node: self._set_test(
            node, lambda n: n.type == "identifier" and _text(n) == name
        )

    def _set_test(self, node: Node, subject: _Subject) -> bool | None:
        """What ``node`` says of a value being set: True when ``node`` truthy means it is
        set (``X``, ``X !== undefined``, ``X === "1"``), False when ``node`` falsy means it
        is (``X === undefined``, ``X == null``), None when neither."""
        if subject(node) or _length_of(node, subject):
            return True  # X, X?.length: truthy only when set
        if node.type != "binary_expression":
            return None
        operator = _operator(node)
        left = _unwrap(node.child_by_field_name("left"))
        right = _unwrap(node.child_by_field_name("right"))
        if left is not None and right is not None and _length_of(left, subject):
            bound = (operator, _text(right))
            if bound in ((">", "0"), (">=", "1"), ("!==", "0"), ("!=", "0")):
                return True  # X?.length > 0: set and not empty
        for one, other in ((left, right), (right, left)):
            if one is None or other is None:
                continue
            if one.type == "unary_expression" and _operator(one) == "typeof":
                argument = _unwrap(one.child_by_field_name("argument"))
                if argument is not None and subject(argument) and other.type == "string":
                    undefined = _string(other) == "undefined"
                    if operator in ("===", "=="):
                        return not undefined
                    if operator in ("!==", "!=") and undefined:
                        return True
                return None
            if not subject(one):
                continue
            nothing = other.type in ("undefined", "null") or _text(other) == "undefined"
            if nothing:
                if operator == "!=" or (operator == "!==" and other.type != "null"):
                    return True
                if operator == "==" or (operator == "===" and other.type != "null"):
                    return False
                return None
            if operator in ("===", "==") and other.type in ("string", "number", "template_string"):
                return True
            return None
        return None

    def _server_atom(self, node: Node) -> bool | None:
        """True when ``node`` truthy means the code runs on the server (``typeof window ===
        "undefined"``), False when ``node`` falsy means it (``typeof window !==
        "undefined"``); a top-level ``const isServer = typeof window === "undefined"`` too."""
        if node.type == "identifier":
            value = self.consts.get(_text(node))
            return None if value is None else _typeof_test(value, ("window", "document"))
        return _typeof_test(node, ("window", "document"))

    def _server_only(self, node: Node) -> bool:
        """Whether ``node`` runs in a function that only the server runs, whatever module
        holds it (a module of client code may define server functions; the framework
        splits them out): one whose body starts with ``"use server"`` (a Next.js or
        SolidStart action), one passed to :data:`_SERVER_CALLS` or to the server method of
        :data:`_SERVER_CHAINS`, or a top-level :data:`_SERVER_EXPORTS` function."""
        function = self._enclosing_function(node)
        for _ in range(_GUARD_ANCESTORS):
            if function is None or function.type == "program":
                return False
            if self._serves(function):
                return True
            function = self._enclosing_function(function)
        return False

    def _serves(self, function: Node) -> bool:
        """``function`` is a server function (see :meth:`_server_only`)."""
        body = function.child_by_field_name("body")
        if body is not None and body.type == "statement_block" and body.named_child_count:
            first = body.named_children[0]
            if first.type == "expression_statement" and first.named_child_count:
                if _string(first.named_children[0]) == "use server":
                    return True
        parent = function.parent
        while parent is not None and parent.type in _WRAPPERS:
            parent = parent.parent
        if parent is None:
            return False
        if parent.type == "arguments":
            call = parent.parent
            fn = None if call is None else _unwrap(call.child_by_field_name("function"))
            if fn is None:
                return False
            if fn.type == "identifier":
                return _text(fn) in _SERVER_CALLS
            if fn.type != "member_expression":
                return False
            method = fn.child_by_field_name("property")
            root = fn.child_by_field_name("object")
            for _ in range(_OBJECT_NESTING):  # down the chain to the builder that starts it
                root = _unwrap(root)
                if root is None or root.type != "call_expression":
                    return False
                callee = _unwrap(root.child_by_field_name("function"))
                if callee is not None and callee.type == "identifier":
                    wanted = _SERVER_CHAINS.get(_text(callee))
                    return method is not None and wanted == _text(method)
                if callee is None or callee.type != "member_expression":
                    return False
                root = callee.child_by_field_name("object")
            return False
        if function.type == "method_definition" or self._function_name(function) not in (
            _SERVER_EXPORTS
        ):
            return False
        if parent.type == "variable_declarator":  # export const loader = async () => {}
            declaration = parent.parent
            parent = None if declaration is None else declaration.parent
        return (
            parent is not None
            and parent.type == "export_statement"
            and parent.parent is not None
            and parent.parent.type == "program"
        )

    def _implies(
        self,
        condition: Node | None,
        when: bool,
        atom: _Atom,
        depth: int = 0,
        budget: list[int] | None = None,
        *,
        local: bool = True,
    ) -> bool:
        """Whether ``condition`` being truthy (``when``) or falsy implies what ``atom`` tests.

        A module constant in the condition stands for its value: ``const enabled =
        !!process.env.REDIS_URL`` makes ``if (enabled)`` a test of ``REDIS_URL``; so does a
        ``const`` of the block around (``const shouldUse = useSandbox && process.env.K;
        if (shouldUse)``) unless not ``local``.  At most :data:`_IMPLY_STEPS` nodes are
        looked at per question."""
        if budget is None:
            budget = [_IMPLY_STEPS]
        node = _unwrap(condition)
        if node is None or depth > _CONDITION_DEPTH or budget[0] <= 0:
            return False
        budget[0] -= 1
        direct = atom(node)
        if direct is not None:
            return direct == when
        if node.type == "identifier":
            name = _text(node)
            if local:
                value = self._const_value(node)
            else:
                value = self.consts.get(name) if name in self.constants else None
            if value is None or value == node:
                return False
            return self._implies(value, when, atom, depth + 1, budget, local=local)
        if node.type == "unary_expression" and _operator(node) == "!":
            argument = node.child_by_field_name("argument")
            return self._implies(argument, not when, atom, depth + 1, budget, local=local)
        if node.type == "ternary_expression":
            # `const emailEnabled = FROM && SERVER ? true : false`: the flag is its condition
            branches = [
                _unwrap(node.child_by_field_name(f)) for f in ("consequence", "alternative")
            ]
            kinds = tuple(b.type if b is not None else "" for b in branches)
            if kinds in (("true", "false"), ("false", "true")):
                condition = node.child_by_field_name("condition")
                same = kinds[0] == "true"
                return self._implies(condition, when == same, atom, depth + 1, budget, local=local)
            return False
        if node.type == "call_expression":
            fn = node.child_by_field_name("function")
            args = node.child_by_field_name("arguments")
            if fn is not None and _text(fn) == "Boolean" and args and args.named_child_count == 1:
                first = args.named_children[0]
                return self._implies(first, when, atom, depth + 1, budget, local=local)
            return False
        if node.type != "binary_expression" or _operator(node) not in ("&&", "||"):
            return False
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        either = (_operator(node) == "&&") == when  # a && b truthy: both; a || b falsy: both
        found = (
            self._implies(side, when, atom, depth + 1, budget, local=local)
            for side in (left, right)
        )
        return any(found) if either else all(found)

    def _guarded(self, node: Node, atom: _Atom, *, soft: bool = False) -> bool:
        """Whether ``node`` runs only where ``atom`` holds: on the true branch of a test of
        it (``if``, ``?:``, ``&&``), the false branch of a test of its opposite, or after an
        early exit taken when it does not hold (``if (!X) return;``).  ``soft``: not after
        an exit that throws (``if (!X) throw``: then the code fails where ``atom`` fails, and
        runs on everywhere else)."""
        current, parent = node, node.parent
        for _ in range(_GUARD_ANCESTORS):
            if parent is None:
                return False
            kind = parent.type
            if kind in ("if_statement", "ternary_expression"):
                condition = parent.child_by_field_name("condition")
                if current == parent.child_by_field_name("consequence"):
                    if self._implies(condition, True, atom):
                        return True
                elif current == parent.child_by_field_name("alternative"):
                    if self._implies(condition, False, atom):
                        return True
            elif kind == "binary_expression" and current == parent.child_by_field_name("right"):
                operator = _operator(parent)
                left = parent.child_by_field_name("left")
                if operator in ("&&", "||") and self._implies(left, operator == "&&", atom):
                    return True
            elif kind in _BLOCKS:
                for guard in self._early_exits(parent, current.start_byte):
                    if soft and _exit_kind(guard.child_by_field_name("consequence")) == "throw":
                        continue
                    # through module constants only: after a function's `const k =
                    # process.env.A; if (!k) throw`, openstatus' `new WorkOS(k, { clientId:
                    # process.env.AUTH_WORKOS_ID })` stays the app's demand
                    test = guard.child_by_field_name("condition")
                    if self._implies(test, False, atom, local=False):
                        return True
            current, parent = parent, parent.parent
        return False

    def _early_exits(self, block: Node, before: int) -> Iterator[Node]:
        """The ``if (...) return/throw`` statements of ``block`` (no ``else``) ending before
        ``before``, nearest first, at most :data:`_GUARD_EXITS`."""
        exits = self._exits.get(block.id)
        if exits is None:
            exits = self._exits[block.id] = [
                c
                for c in block.named_children
                if c.type == "if_statement"
                and c.child_by_field_name("alternative") is None
                and _exit_kind(c.child_by_field_name("consequence")) is not None
            ]
        from bisect import bisect_right

        end = bisect_right(exits, before, key=lambda guard: guard.end_byte)
        yield from reversed(exits[max(0, end - _GUARD_EXITS) : end])

    def _throws_when_unset(self, node: Node, atom: _Atom) -> bool:
        """``if (!process.env.X) throw ...``: the test at ``node`` throws (or exits) when the
        key is missing, so the key is required after all."""
        current, parent = node, node.parent
        for _ in range(_CONDITION_DEPTH):
            if parent is None:
                return False
            if parent.type == "if_statement":
                return (
                    parent.child_by_field_name("condition") == current
                    and _exit_kind(parent.child_by_field_name("consequence")) == "throw"
                    and self._implies(current, False, atom)
                )
            if parent.type == "switch_statement":
                return parent.child_by_field_name("value") == current and _unset_throws(parent)
            if parent.type not in ("unary_expression", "binary_expression", "arguments") and (
                parent.type not in _WRAPPERS and parent.type != "call_expression"
            ):
                return False
            current, parent = parent, parent.parent
        return False

    def _is_write(self, node: Node) -> bool:
        parent = node.parent
        if parent is None:
            return False
        if parent.type in ("assignment_expression", "augmented_assignment_expression"):
            return parent.child_by_field_name("left") == node
        if parent.type == "unary_expression":
            operator = parent.child_by_field_name("operator")
            return operator is not None and operator.type == "delete"
        return False

    def _is_suppressed(self, node: Node) -> bool:
        start = node.start_byte
        return any(low <= start < high for low, high in self.suppressed)

    # -- handlers ------------------------------------------------------------------------

    def on_member(self, node: Node) -> bool:
        obj, prop = _member_names(node)
        source = self._env_source(obj)
        if source is None or prop is None:
            return False
        if source == "import.meta.env" and prop in _VITE_BUILTINS:
            return True
        if self._is_write(node):
            self.facts.sets.append(prop)  # process.env.X = ...: the code sets it itself
        elif not self._is_suppressed(node):
            self._read(prop, self._kind(node, prop), "member", source, node)
        return True

    def on_subscript(self, node: Node) -> bool:
        source = self._env_source(node.child_by_field_name("object"))
        if source is None:
            return False
        index = node.child_by_field_name("index")
        key = _string(index)
        if self._is_write(node):
            if key is not None:
                self.facts.sets.append(key)
            return True
        if self._is_suppressed(node):
            return True
        if key is not None:
            self._read(key, self._kind(node, key), "subscript", source, node)
        else:
            self._read(None, "dynamic", "dynamic", source, node, pattern=self._pattern(index))
            self._accessor_reads(node, index, source)
        return False  # the index may itself read env

    def _accessor_reads(self, read: Node, index: Node | None, source: str) -> None:
        """``function validateEnv(key, defaultValue?) { const value = process.env[key]; if
        (!value) ... throw }``: a function of this module reads the key its caller names.
        Each call naming a key literally (``validateEnv("JWT_SECRET")``) is a read of that
        key, made where the call is, as ``process.env.JWT_SECRET`` written there would be;
        how the function copes with the key unset decides the read's kind
        (:meth:`_accessor_call_kind`).  Only this module's calls: an accessor imported from
        another module is not followed (each file is read alone, :mod:`envcheck.code.raw`)."""
        index = _unwrap(index)
        function = self._enclosing_function(read)
        if index is None or index.type != "identifier" or function is None:
            return
        name = None if function.type not in _FUNCTIONS else self._function_name(function)
        if name is None or name in self._accessors:
            return
        if (self.functions.get(name) or self.consts.get(name)) != function:
            return  # a nested or shadowed function: its calls cannot be told by name here
        parameters = [_parameter_name(p) for p in _declared_parameters(function)]
        if _text(index) not in parameters:
            return  # process.env[name] with `name` computed inside: no caller names it
        self._accessors.add(name)
        position = parameters.index(_text(index))
        mode = self._accessor_mode(read)
        body = function.child_by_field_name("body")
        fallbacks = [
            at
            for at, parameter in enumerate(parameters)
            if at != position and parameter and body is not None
            if self._returned(parameter, body)
        ]
        for use in self._uses(name, 0, self.root.end_byte, _ACCESSOR_CALLS):
            call = use.parent
            while call is not None and call.type in _WRAPPERS:
                call = call.parent
            if call is None or call.type != "call_expression" or not self._called(use):
                continue
            if function.start_byte <= call.start_byte < function.end_byte:
                continue  # the accessor calling itself
            key = _string(_first_arg(call, position))
            if key is None or self._is_suppressed(call):
                continue
            defaulted = any(_first_arg(call, at) is not None for at in fallbacks)
            kind = self._accessor_call_kind(call, key, mode, defaulted)
            # One that throws as the module loads is the app's validator, as a zod schema
            # parsed at start is: it speaks for the app (rules.schema._code_says_optional).
            # Its test (`if (!value) throw`) is taken to throw on "" as on a missing key.
            form = "schema" if mode == "throws" and kind == "required" else "call"
            self._read(key, kind, form, source, call, rejects_empty=form == "schema")

    def _accessor_mode(self, read: Node) -> str:
        """How an accessor copes with the key unset, from its read: ``throws`` (``if
        (!value) throw``, also after returning a default the caller gave), ``copes`` (a
        fallback or a test that goes on), ``passes`` (the value is handed on as it is:
        ``return process.env[key]``, so each call is as required as its own use)."""
        current, parent = read, read.parent
        while parent is not None and parent.type in _WRAPPERS:
            current, parent = parent, parent.parent
        text = _text(read)
        subject: Node | None = read
        atom: _Atom = lambda node: self._set_test(node, lambda n: _text(n) == text)  # noqa: E731
        if parent is not None and parent.type == "variable_declarator":
            scope = self._alias_scope(parent)
            if scope is None or parent.child_by_field_name("value") != current:
                return "passes"
            subject, atom = self._first_use(*scope), self._name_atom(scope[0])
        if subject is None or self._use_kind(subject, 1) != "optional":
            return "passes"
        return "throws" if self._throws_when_unset(subject, atom) else "copes"

    def _accessor_call_kind(self, call: Node, key: str, mode: str, defaulted: bool) -> str:
        """The kind of the read a call of an accessor makes (:meth:`_accessor_reads`): one
        that throws is *required* where the call runs as the module loads and *feature* in
        any other function, as an ``if (!process.env.X) throw`` written there would be;
        ``optional`` when the call passes the default the accessor returns, when the
        accessor copes, or behind a test of the key."""
        if mode == "passes":
            return self._kind(call, key)
        if mode == "copes" or defaulted or self._guarded(call, self._key_atom(key)):
            return "optional"
        if not self._runs_at_load(call) or self._feature_guarded(call):
            return "feature"
        self._fails_at_load.add(key)
        return "required"

    def _returned(self, name: str, body: Node) -> bool:
        """Whether the function whose ``body`` this is returns its parameter ``name`` as its
        value (``return defaultValue``, ``=> value ?? fallback``, ``x ? x : fallback``): the
        parameter is a default the caller may give."""
        for use in self._uses(name, body.start_byte, body.end_byte, _ALIAS_USES):
            current, parent = use, use.parent
            while parent is not None and (
                parent.type in _WRAPPERS
                or parent.type == "ternary_expression"
                and parent.child_by_field_name("condition") != current
                or parent.type == "binary_expression"
                and _operator(parent) in ("??", "||")
            ):
                current, parent = parent, parent.parent
            if parent is not None and parent.type == "return_statement":
                return True
            if parent is not None and parent == body.parent and current == body:
                return True  # an arrow function's expression body
        return False

    def _extends_env(self, obj: Node | None) -> bool:
        """``{ ...process.env, X: v }``: the environment of a process the code starts (a
        child's ``env``), in which the code itself sets ``X``."""
        if obj is None or obj.type != "object":
            return False
        return any(
            child.type == "spread_element"
            and child.named_child_count == 1
            and self._env_source(child.named_children[0]) is not None
            for child in obj.named_children
        )

    def _pattern(self, node: Node | None) -> str | None:
        """What a computed key's text fixes: ``NEXT_PUBLIC_*`` for a template over a prefix."""
        node = _unwrap(node)
        if node is None:
            return None
        if node.type == "template_string":
            parts = [
                "*" if c.type == "template_substitution" else _text(c)
                for c in node.named_children
                if c.type in ("string_fragment", "template_substitution")
            ]
            return "".join(parts) or None
        if node.type == "binary_expression":
            left = _string(node.child_by_field_name("left"))
            return None if left is None else left + "*"
        return None

    def on_declarator(self, node: Node) -> bool:
        name = node.child_by_field_name("name")
        value = node.child_by_field_name("value")
        source = self._env_source(value)
        if source is None or name is None or name.type != "object_pattern":
            return False
        statement = node.parent
        scope = None if statement is None else statement.parent
        while scope is not None and scope.type == "export_statement":
            scope = scope.parent
        for prop in name.named_children:
            if prop.type == "shorthand_property_identifier_pattern":
                # const { FORCE_HYPERLINK } = process.env; if (FORCE_HYPERLINK) ...: as
                # optional as the first use of the name it binds
                kind = (
                    "required"
                    if scope is None
                    else self._binding_kind(_text(prop), node.end_byte, scope.end_byte, 1)
                )
                self._read(_text(prop), kind, "destructure", source, prop)
            elif prop.type == "object_assignment_pattern":
                left = prop.child_by_field_name("left")
                if left is not None:
                    self._read(_text(left), "optional", "destructure", source, left)
            elif prop.type == "pair_pattern":
                key = prop.child_by_field_name("key")
                local = prop.child_by_field_name("value")
                if key is None:
                    continue
                text = _string(key) if key.type == "string" else _text(key)
                if key.type == "computed_property_name":
                    self._read(None, "dynamic", "dynamic", source, key)
                    continue
                optional = local is not None and local.type == "assignment_pattern"
                kind = "optional" if optional else "required"
                self._read(text, kind, "destructure", source, key)
        return True

    def on_import(self, node: Node) -> bool:
        source = _string(node.child_by_field_name("source"))
        if source is None:
            return True
        if source in _SIDE_EFFECT_LOADS:
            loader = _SIDE_EFFECT_LOADS[source]
            target = "dir" if loader == "dotenv-flow" else "file"
            self._load(loader, target, node, [("cwd", "." if target == "dir" else ".env")])
        elif source.startswith("$env/static/"):
            for spec in node.named_children:
                if spec.type != "import_clause":
                    continue
                for named in spec.named_children:
                    if named.type != "named_imports":
                        continue
                    for item in named.named_children:
                        imported = item.child_by_field_name("name")
                        if item.type == "import_specifier" and imported is not None:
                            self._read(_text(imported), "required", "import", source, imported)
        return True

    def on_pair(self, node: Node) -> bool:
        key_node = node.child_by_field_name("key")
        if key_node is None:
            return False
        key = _string(key_node) if key_node.type == "string" else _text(key_node)
        value = node.child_by_field_name("value")
        if key is not None and self._extends_env(node.parent):
            self.facts.sets.append(key)  # spawn(cmd, { env: { ...process.env, X: v } })
        if key == "envFilePath" and value is not None:
            self._load("nestjs", "file", node, self._paths(value))
        elif key == "envDir" and self.vite_config and value is not None:
            self._load("vite-envDir", "dir", node, self._paths(value))
        elif key == "env" and self.next_config and value is not None:
            self.facts.inlined.extend(k for k, _, _ in _object_pairs(value))
        elif key in ("lib", "ssr") and self.vite_config and value is not None:
            self._vite_build_mode(node, value)
        elif key == "model" and value is not None:
            self._ai_sdk_model(_unwrap(value))
        return False

    def _vite_build_mode(self, pair: Node, value: Node) -> None:
        """``build: { lib: {...} }`` or ``build: { ssr: true }``: Vite bundles a library or a
        server entry, not a browser app (:class:`envcheck.code.sides.Framework`)."""
        value = _unwrap(value) or value
        if value.type in ("false", "undefined", "null"):
            return
        owner = pair.parent.parent if pair.parent is not None else None
        if owner is not None and owner.type == "pair":
            key = owner.child_by_field_name("key")
            name = None if key is None else _string(key) if key.type == "string" else _text(key)
            if name == "build":
                self.facts.vite_library = True

    def _ai_sdk_model(self, value: Node | None) -> None:
        """``model: openai("gpt-4o")`` with ``openai`` from ``@ai-sdk/openai`` (Vercel AI SDK)."""
        if value is None or value.type != "call_expression":
            return
        fn = value.child_by_field_name("function")
        if fn is None or fn.type != "identifier":
            return
        module = self.imports.get(_text(fn), ("", None))[0]
        model = _string(_first_arg(value))
        if module.startswith(_AI_SDK_FACTORY) and model:
            provider = module[len(_AI_SDK_FACTORY) :]
            provider = "gemini" if provider == "google" else provider
            line, col = self._pos(value)
            self.facts.models.append((provider, model, line, col))

    def on_call(self, node: Node) -> bool:
        fn = _unwrap(node.child_by_field_name("function"))
        if fn is None:
            return False
        if fn.type == "identifier":
            self._call_named(node, _text(fn))
        elif fn.type == "member_expression":
            self._call_member(node, fn)
        return False

    def _call_named(self, node: Node, name: str) -> None:
        module, imported = self.imports.get(name, ("", None))
        original = imported or name
        if name == "require":
            loader = _SIDE_EFFECT_LOADS.get(_string(_first_arg(node)) or "")
            if loader is not None:
                target = "dir" if loader == "dotenv-flow" else "file"
                self._load(loader, target, node, [("cwd", "." if target == "dir" else ".env")])
        elif module in _DOTENV and original in ("config", "configDotenv"):
            self._dotenv(node, _DOTENV[module])
        elif original == "loadEnvConfig":
            self._load("@next/env", "dir", node, self._paths(_first_arg(node)))
        elif original == "loadEnv" and (module == "vite" or self.vite_config):
            self._load("vite-loadEnv", "dir", node, self._paths(_first_arg(node, 1)))
        elif original == "createEnv":
            self._t3(node)
        elif original == "cleanEnv":
            self._envalid(node)

    def _call_member(self, node: Node, fn: Node) -> None:
        obj, prop = _member_names(fn)
        if obj is None or prop is None:
            return
        if prop in ("get", "has") and obj.type == "member_expression":
            inner, env = _member_names(obj)
            if env == "env" and inner is not None and _text(inner) == "Deno":
                self._deno_get(node, tests=prop == "has")
                return
        if prop in ("config", "configDotenv"):
            module = self._module_of(obj)
            if module in _DOTENV:
                self._dotenv(node, _DOTENV[module])
                return
        if prop == "loadEnvConfig":
            self._load("@next/env", "dir", node, self._paths(_first_arg(node)))
        elif prop == "cleanEnv":
            self._envalid(node)
        elif prop == "createEnv":
            self._t3(node)
        elif prop in _ZOD_PARSE and self._env_source(_first_arg(node)) is not None:
            self._zod(node, obj, safe=prop.startswith("safe"))
        if prop in _MODEL_CALLS:
            self._model_call(node, fn)

    def _module_of(self, obj: Node) -> str | None:
        if obj.type == "identifier":
            return self.imports.get(_text(obj), (None, None))[0]
        return self._required_module(obj)

    def _deno_get(self, node: Node, *, tests: bool) -> None:
        """``Deno.env.get("X")``, and ``Deno.env.has("X")``: a presence test, optional."""
        arg = _first_arg(node)
        key = _string(arg)
        if key is None:
            self._read(None, "dynamic", "dynamic", "Deno.env", node, pattern=self._pattern(arg))
        elif tests:
            self._soft_tested.setdefault(key, set()).add(self._function_of(node))
            self._read(key, "optional", "call", "Deno.env", node)
        else:
            self._read(key, self._kind(node, key), "call", "Deno.env", node)

    def _dotenv(self, node: Node, loader: str) -> None:
        target = "dir" if loader == "dotenv-flow" else "file"
        options = _first_arg(node)
        path = None
        for key, value, _ in _object_pairs(options):
            if key == "path" and value is not None:
                path = value
        if path is None:
            self._load(loader, target, node, [("cwd", "." if target == "dir" else ".env")])
        else:
            self._load(loader, target, node, self._paths(path))

    def _schema_keys(
        self,
        obj: Node | None,
        source: str,
        side: str | None,
        envalid: bool,
        blank_is_unset: bool = False,
        safe: bool = False,
        renamed: bool = False,
    ) -> None:
        """Each key of a validator's schema, as a ``schema`` read: required unless its
        validator has a default or says optional; ``rejects_empty`` when ``KEY=`` fails it
        (with ``blank_is_unset``, t3-env's ``emptyStringAsUndefined``, a required key does;
        a ``safe`` schema, zod's ``safeParse``, hands its failure to the code as a value, and
        stops nothing: unkey's ``githubOAuthParsed.success ? ... : null``).  A validator
        that calls a function imported from another module (``createBooleanSchema(false)``)
        is noted for the package to look up (:attr:`FileFacts.helper_reads`).

        ``renamed``: the values come from a call, not from the env under these names
        (homarr's ``runtimeEnv: runtimeEnvWithPrefix("REDIS_")`` hands ``HOST`` the value
        of ``REDIS_HOST``): each key is a ``dynamic`` read whose name ends in the key
        (``*HOST``), no requirement of any key this file names."""
        for key, value, key_node in _object_pairs(obj):
            if renamed:
                pattern = "*" + key
                self._read(None, "dynamic", "dynamic", source, key_node, side=side, pattern=pattern)
                continue
            call = _unwrap(value)
            if envalid:  # str({ default: "" }); devDefault leaves it required in production
                optional = (
                    call is not None
                    and call.type == "call_expression"
                    and any(k == "default" for k, _, _ in _object_pairs(_first_arg(call)))
                )
                rejects = _envalid_rejects_empty(call)
            else:
                optional = self._optional_schema(value, 0)
                known = self._rejects_empty(value, 0)  # not known: as it requires the key
                rejects = not optional if known is None else known
            if blank_is_unset:
                rejects = not optional
            rejects = rejects and not safe
            kind = "optional" if optional else "required"
            self._read(key, kind, "schema", source, key_node, side=side, rejects_empty=rejects)
            helper = None if envalid or optional else self._imported_schema(value)
            if helper is not None:
                self.facts.helper_reads.append((*self._pos(key_node), *helper))

    def _imported_schema(self, value: Node | None) -> tuple[str, str] | None:
        """(module, name) when the schema ``value`` is built by a function (or is a schema)
        another module exports: ``createBooleanSchema(false)``, ``createDuration("30d")
        .describe("x")``, ``PORT: portSchema`` imported by name.  None for a chain rooted
        in anything else (``z.string()``) or a name of this file."""
        node = _unwrap(value)
        for _ in range(_CHAIN_STEPS):
            if node is None or node.type != "call_expression":
                break
            fn = _unwrap(node.child_by_field_name("function"))
            if fn is not None and fn.type == "identifier":
                node = fn
                break
            if fn is None or fn.type != "member_expression":
                return None
            node = _unwrap(_member_names(fn)[0])
            if node is not None and node.type == "identifier":
                return None  # z.string(): a method of a name, the schema library's own
        if node is None or node.type != "identifier":
            return None
        name = _text(node)
        module, imported = self.imports.get(name, (None, None))
        if module is None or imported is None or name in self.consts or name in self.functions:
            return None
        return module, imported

    def _rejects_empty(self, value: Node | None, depth: int) -> bool | None:
        """Whether a zod schema fails on ``""``: ``z.string()`` takes it (a plain
        ``KEY=`` passes), a check that needs a character does not (``.min(1)``,
        ``.nonempty()``, ``.url()``, ``z.email()``, ``.regex(/x/)``, ``z.enum(["a"])``).
        None when the chain has a step not known here (a refinement, a helper of another
        file, a preprocessor whose schema is required): the caller decides."""
        node = _unwrap(value)
        if node is not None and node.type == "ternary_expression":
            if depth >= _HELPER_DEPTH:
                return None
            branches = [
                self._rejects_empty(node.child_by_field_name(b), depth + 1)
                for b in ("consequence", "alternative")
            ]
            return True if True in branches else (None if None in branches else False)
        while node is not None and node.type == "call_expression":
            fn = _unwrap(node.child_by_field_name("function"))
            if fn is None or fn.type != "member_expression":
                return None
            obj, method = _member_names(fn)
            if method == "preprocess":  # "blank means unset" into an optional schema
                return False if self._optional_schema(_first_arg(node, 1), depth + 1) else None
            if obj is not None and obj.type == "identifier" and _text(obj) not in self.consts:
                if method in ("enum", "literal"):  # z.enum([...]): "" only if listed
                    return not _lists_empty(_first_arg(node))
                if method in _KEEPS_EMPTY_TYPES:
                    return False  # z.string()
                return True if method in _REJECTS_EMPTY_TYPES else None  # z.url(), z.number()
            if obj is not None and obj.type == "member_expression":
                if _member_names(obj)[1] == "coerce":  # z.coerce.number(): Number("") is 0
                    return method not in _COERCED_KEEP_EMPTY
            step = _method_on_empty(method, _first_arg(node))
            if step is not False:
                return step
            node = obj
        if node is not None and node.type == "identifier":  # `PORT: port`, a schema const
            helper = self.consts.get(_text(node))
            if helper is None or helper.type in _FUNCTIONS or depth >= _HELPER_DEPTH:
                return None
            return self._rejects_empty(helper, depth + 1)
        return None

    def _optional_schema(self, value: Node | None, depth: int) -> bool:
        """Whether a schema value says optional: a call chain with ``.optional()``,
        ``.default(x)``, ``.prefault(x)``, ``.nullish()``, ``.catch(x)`` or
        ``z.optional(...)``, a ``z.preprocess(fn, schema)`` whose schema does (the usual
        "blank means unset" wrapper), or a local helper (``const stringBool = (d) =>
        z.string().default(d)``) or schema ``const`` of this file whose own chain does.  A
        schema chosen by a condition (``isSelfHost ? z.string().optional() : z.string()``)
        is optional when any branch is: the app runs without the key in some setup."""
        node = _unwrap(value)
        if node is not None and node.type == "ternary_expression":
            branches = ("consequence", "alternative")
            return depth < _HELPER_DEPTH and any(
                self._optional_schema(node.child_by_field_name(b), depth + 1) for b in branches
            )
        while node is not None and node.type == "call_expression":
            fn = _unwrap(node.child_by_field_name("function"))
            if fn is not None and fn.type == "identifier":
                return self._helper_optional(_text(fn), depth)
            if fn is None or fn.type != "member_expression":
                return False
            obj, prop = _member_names(fn)
            if prop in _OPTIONAL_MARKERS:
                return True
            if prop == "preprocess":  # z.preprocess(fn, schema): the schema says
                return depth < _HELPER_DEPTH and self._optional_schema(
                    _first_arg(node, 1), depth + 1
                )
            node = obj
        if node is not None and node.type == "identifier":  # `PORT: port`, a schema const
            return self._helper_optional(_text(node), depth)
        return False

    def _parsed_with_default(self, call: Node) -> bool:
        """``z.stringbool().catch(false).parse(process.env.X)``: a schema with a default
        validates the read, so a missing key takes the default."""
        fn = _unwrap(call.child_by_field_name("function"))
        if fn is None or fn.type != "member_expression":
            return False
        schema, method = _member_names(fn)
        return method in _ZOD_PARSE and self._optional_schema(schema, 0)

    def _helper_optional(self, name: str, depth: int) -> bool:
        helper = self.functions.get(name) or self.consts.get(name)
        if helper is None or depth >= _HELPER_DEPTH:
            return False
        if helper.type not in _FUNCTIONS:
            return self._optional_schema(helper, depth + 1)
        body = helper.child_by_field_name("body")
        if body is None:
            return False
        if body.type != "statement_block":
            return self._optional_schema(body, depth + 1)
        return any(
            self._optional_schema(statement.named_children[0], depth + 1)
            for statement in body.named_children
            if statement.type == "return_statement" and statement.named_child_count
        )

    def _t3(self, node: Node) -> None:
        options = list(_object_pairs(_first_arg(node)))
        blank_is_unset = any(  # emptyStringAsUndefined: true -- `KEY=` is a missing key
            key == "emptyStringAsUndefined" and value is not None and value.type == "true"
            for key, value, _ in options
        )
        renamed = any(  # runtimeEnv: runtimeEnvWithPrefix("REDIS_"): not the keys named
            key in ("runtimeEnv", "experimental__runtimeEnv")
            and (runtime := _unwrap(value)) is not None
            and runtime.type in ("call_expression", "await_expression")
            for key, value, _ in options
        )
        for key, value, _ in options:
            if key in ("server", "client", "shared"):
                side = {"server": "server", "client": "client"}.get(key)
                self._schema_keys(
                    value,
                    "t3-env",
                    side,
                    envalid=False,
                    blank_is_unset=blank_is_unset,
                    renamed=renamed,
                )
            elif key in ("runtimeEnv", "experimental__runtimeEnv") and value is not None:
                self.suppressed.append((value.start_byte, value.end_byte))

    def _envalid(self, node: Node) -> None:
        """``cleanEnv(process.env, { ... })``, or ``cleanEnv(process.env, envValidators)``
        with ``envValidators`` a top-level ``const`` of this file (novu's apps)."""
        spec = _unwrap(_first_arg(node, 1))
        if spec is not None and spec.type == "identifier" and _text(spec) in self.constants:
            spec = self.consts.get(_text(spec))
        self._schema_keys(spec, "envalid", None, envalid=True)

    def _zod(self, node: Node, schema: Node, *, safe: bool) -> None:
        """``z.object({...}).parse(process.env)``, or ``schema.parse(process.env)`` with
        ``schema`` a top-level ``const`` of this file (``safe``: ``safeParse``)."""
        current: Node | None = schema
        for _ in range(12):
            current = _unwrap(current)
            if current is None:
                return
            if current.type == "identifier":
                current = self.consts.get(_text(current))
                continue
            if current.type != "call_expression":
                return
            fn = _unwrap(current.child_by_field_name("function"))
            if fn is None or fn.type != "member_expression":
                return
            obj, prop = _member_names(fn)
            if prop in _ZOD_OBJECT:
                self._schema_keys(_first_arg(current), "zod", None, envalid=False, safe=safe)
            current = obj

    def _model_call(self, node: Node, fn: Node) -> None:
        model = None
        for key, value, _ in _object_pairs(_first_arg(node)):
            if key == "model":
                model = _string(value)
        if not model:
            return
        words: list[str] = []
        root: Node | None = fn
        while root is not None and root.type == "member_expression":
            obj, prop = _member_names(root)
            words.append(prop or "")
            root = obj
        provider = None
        if root is not None and root.type == "identifier":
            name = _text(root)
            provider = self.clients.get(name) or SDK_PROVIDERS.get(
                self.imports.get(name, ("", None))[0]
            )
        if provider is None:
            imported = {SDK_PROVIDERS[m] for m, _ in self.imports.values() if m in SDK_PROVIDERS}
            if len(imported) == 1:
                provider = imported.pop()
            elif not _AI_CHAIN_WORDS & set(words):
                return
        line, col = self._pos(node)
        self.facts.models.append((provider or "unknown", model, line, col))

    # -- paths ---------------------------------------------------------------------------

    def _paths(self, node: Node | None) -> list[tuple[str, str]] | None:
        """Each path a path argument names, as (base, path); None when not followed."""
        self._helper = None
        node = _unwrap(node)
        if node is None:
            return None
        if node.type == "array":
            found: list[tuple[str, str]] = []
            for element in node.named_children:
                one = self._path(element, 0)
                if one is None:
                    return None
                found.append(one)
            return found
        if node.type == "identifier" and _text(node) in self.consts:
            return (
                self._paths(self.consts[_text(node)]) if node != self.consts[_text(node)] else None
            )
        one = self._path(node, 0)
        return None if one is None else [one]

    def _is_mode(self, node: Node | None) -> bool:
        node = _unwrap(node)
        if node is None:
            return False
        if node.type == "identifier":
            return _text(node) in _MODE_NAMES
        if node.type == "member_expression":
            obj, prop = _member_names(node)
            return (
                prop in ("NODE_ENV", "MODE", "mode")
                and self._env_source(obj) is not None
                or (prop == "mode" and obj is not None and obj.type == "identifier")
            )
        if node.type == "binary_expression":
            operator = node.child_by_field_name("operator")
            left = node.child_by_field_name("left")
            return operator is not None and operator.type in ("||", "??") and self._is_mode(left)
        return False

    def _path(self, node: Node | None, depth: int) -> tuple[str, str] | None:
        node = _unwrap(node)
        if node is None or depth > 8:
            return None
        kind = node.type
        if kind == "string":
            text = _text(node)[1:-1]
            return ("absolute" if text.startswith("/") else "cwd", text)
        if kind == "template_string":
            parts: list[str] = []
            for child in node.named_children:
                if child.type == "string_fragment":
                    parts.append(_text(child))
                elif child.type == "template_substitution":
                    inner = child.named_children[0] if child.named_child_count else None
                    if not self._is_mode(inner):
                        return None
                    parts.append(MODE)
                elif child.type != "escape_sequence":
                    return None
            text = "".join(parts)
            return ("absolute" if text.startswith("/") else "cwd", text)
        if kind == "identifier":
            name = _text(node)
            if name == "__dirname":
                return ("file", ".")
            if name == "__filename":
                return ("file", self.name)
            value = self.consts.get(name)
            return None if value is None or value == node else self._path(value, depth + 1)
        if kind == "member_expression":
            obj, prop = _member_names(node)
            if obj is not None and obj.type == "meta_property":
                return {
                    "dirname": ("file", "."),
                    "filename": ("file", self.name),
                    "url": ("file", self.name),
                }.get(prop or "")
            return None
        if kind == "binary_expression":
            operator = node.child_by_field_name("operator")
            if operator is None or operator.type != "+":
                return None
            left = self._path(node.child_by_field_name("left"), depth + 1)
            right_node = node.child_by_field_name("right")
            right = (
                ("cwd", MODE) if self._is_mode(right_node) else self._path(right_node, depth + 1)
            )
            if left is None or right is None or right[0] != "cwd":
                return None
            return (left[0], left[1] + right[1])
        if kind == "new_expression":
            ctor = node.child_by_field_name("constructor")
            if ctor is not None and _text(ctor) == "URL":
                relative = self._path(_first_arg(node), depth + 1)
                anchor = self._path(_first_arg(node, 1), depth + 1)
                if relative is not None and anchor is not None and relative[0] == "cwd":
                    return _join(anchor, relative, parent_first=True)
            return None
        if kind == "call_expression":
            return self._path_call(node, depth)
        return None

    def _path_call(self, node: Node, depth: int) -> tuple[str, str] | None:
        fn = _unwrap(node.child_by_field_name("function"))
        if fn is None:
            return None
        name: str | None
        if fn.type == "member_expression":
            obj, name = _member_names(fn)
            if name == "cwd" and obj is not None and _text(obj) == "process":
                return ("cwd", ".")
            if obj is None or obj.type != "identifier":
                return None
            module = self.imports.get(_text(obj), (_text(obj), None))[0]
            if module not in _PATH_MODULES and module not in ("url", "node:url"):
                return None
        elif fn.type == "identifier":
            name = self.imports.get(_text(fn), ("", _text(fn)))[1] or _text(fn)
        else:
            return None
        args = node.child_by_field_name("arguments")
        values = [] if args is None else [a for a in args.named_children if a.type != "comment"]
        if name == "fileURLToPath" and values:
            return self._path(values[0], depth + 1)
        if name == "dirname" and len(values) == 1:
            inner = self._path(values[0], depth + 1)
            return None if inner is None else (inner[0], posixpath.join(inner[1], ".."))
        if fn.type == "identifier" and name not in ("resolve", "join"):
            return self._named_by(fn, values)
        if name in ("resolve", "join"):
            result: tuple[str, str] | None = None
            for value in values:
                part = self._path(value, depth + 1)
                if part is None:
                    return None
                if (
                    result is None
                    or part[0] == "file"
                    or (
                        name == "resolve"
                        and part[0] in ("absolute", "cwd")
                        and part[1].startswith("/")
                    )
                ):
                    result = part
                else:
                    result = (result[0], posixpath.join(result[1], part[1].lstrip("/")))
            return result
        return None

    def _named_by(self, fn: Node, values: list[Node]) -> tuple[str, str] | None:
        """``envFileFor(process.env.NODE_ENV)`` (or ``envFileFor()``) in a load path: a
        function of the project names the file by the mode.  The path keeps :data:`NAMED`
        in its place and the load the function's module and name (``self._helper``, taken
        by :meth:`_load`); the function is read where it is defined, as data
        (:meth:`_bind_namer`), and looked up by the workspace
        (:func:`envcheck.workspace.sources.code_files`).  One such call per path."""
        if len(values) > 1 or (values and not self._is_mode(values[0])):
            return None
        local = _text(fn)
        if local in self.imports:
            module, imported = self.imports[local]
            if imported is None:  # a default or namespace import: its name is not known
                return None
        elif local in self.functions or local in self.consts:
            module, imported = "", local
        else:
            return None
        if self._helper is not None:
            return None
        self._helper = (module, imported)
        return ("cwd", NAMED)

    # -- functions that name an env file by mode ----------------------------------------

    def _bind_namer(self, name: str, function: Node) -> None:
        """A top-level function whose result is an env file's name chosen by the mode it
        is given (``envFileFromNodeEnv[nodeEnv || DEFAULT_ENV]``, a ``switch`` or ``if``
        chain over it, a ternary) -> ``facts.namers``: what a load elsewhere that calls it
        opens (:meth:`_named_by`).  Read as data, never run; a body of any other shape
        names nothing."""
        if len(self.facts.namers) >= _NAMERS:
            return
        parameters = _declared_parameters(function)
        if len(parameters) > 1:
            return
        subject = _parameter_name(parameters[0]) if parameters else None
        if parameters and subject is None:
            return
        default = None
        if parameters:  # `(env = "local")`, `(env: string = "local")`
            value = parameters[0].child_by_field_name("value")
            if parameters[0].type == "assignment_pattern":
                value = parameters[0].child_by_field_name("right")
            default = self._constant_string(value, {})
        body = function.child_by_field_name("body")
        if body is None:
            return
        if body.type == "statement_block":
            choices = self._block_choices(body, subject or "")
        else:
            choices = self._choices(body, subject or "", {}, 0)
        if choices and default is not None:  # called without a mode, the default is chosen
            choices.pop(UNSET, None)
            chosen = choices.get(default, choices.get(OTHER))
            if chosen is not None:
                choices[UNSET] = chosen
        if choices and any("env" in file.lower() for file in choices.values()):
            self.facts.namers.append((name, tuple(sorted(choices.items()))))

    def _block_choices(self, body: Node, subject: str) -> dict[str, str] | None:
        """The choices of a function body: local ``const``s, then ``if (mode === "x")
        return ...`` and ``switch (mode) { case "x": return ... }`` statements (the first
        that matches wins), then a ``return``."""
        found: dict[str, str] = {}
        local: dict[str, Node] = {}
        statements = [c for c in body.named_children if c.type != "comment"]
        if len(statements) > _NAMER_STATEMENTS:
            return None
        for statement in statements:
            kind = statement.type
            if kind == "lexical_declaration":
                if statement.children[0].type != "const":
                    return None  # a `let` may change before it is returned
                for declarator in statement.named_children:
                    name = declarator.child_by_field_name("name")
                    value = declarator.child_by_field_name("value")
                    if name is None or value is None or name.type != "identifier":
                        return None
                    local[_text(name)] = value
            elif kind == "if_statement":
                test = self._mode_test(statement.child_by_field_name("condition"), subject)
                file = self._returned_string(statement.child_by_field_name("consequence"), local)
                if test is None or file is None or statement.child_by_field_name("alternative"):
                    return None
                found.setdefault(test, file)
            elif kind == "switch_statement":
                if not self._switch_choices(statement, subject, local, found):
                    return None
            elif kind == "return_statement":
                value = statement.named_children[0] if statement.named_child_count else None
                last = self._choices(value, subject, local, 0)
                if last is None:
                    return None
                for choice, file in last.items():
                    found.setdefault(choice, file)
                return found
            else:
                return None
        return found or None

    def _switch_choices(
        self, switch: Node, subject: str, local: dict[str, Node], found: dict[str, str]
    ) -> bool:
        """``switch (mode) { case "a": case "b": return "x"; default: return "y" }`` into
        ``found``; False for a switch of any other shape."""
        if not self._is_subject(switch.child_by_field_name("value"), subject):
            return False
        body = switch.child_by_field_name("body")
        labels: list[str] = []
        for case in [] if body is None else body.named_children:
            if case.type == "comment":
                continue
            value = case.child_by_field_name("value")
            if case.type == "switch_case":
                label = _string(value)
                if label is None:
                    return False
                labels.append(label)
            elif case.type == "switch_default":
                labels.extend((UNSET, OTHER))
            else:
                return False
            statements = [c for c in case.named_children if c.type != "comment" and c != value]
            if not statements:
                continue  # falls through to the next case
            file = self._returned_string(statements[0], local)
            if file is None:
                return False
            for label in labels:
                found.setdefault(label, file)
            labels = []
        return True

    def _choices(
        self, node: Node | None, subject: str, local: dict[str, Node], depth: int
    ) -> dict[str, str] | None:
        """The file name the expression ``node`` gives per mode: a string (every mode),
        ``TABLE[mode]`` / ``TABLE[mode || "local"]`` over an object literal of strings,
        ``mode === "x" ? a : b``, ``choice ?? ".env"``; None for anything else."""
        node = _unwrap(node)
        if node is None or depth > _NAMER_DEPTH:
            return None
        constant = self._constant_string(node, local)
        if constant is not None:
            return {UNSET: constant, OTHER: constant}
        if node.type == "identifier" and _text(node) in local:
            return self._choices(local.pop(_text(node)), subject, local, depth + 1)
        if node.type == "subscript_expression":
            table = _unwrap(node.child_by_field_name("object"))
            if table is None or table.type != "identifier":
                return None
            entries = self._string_table(self.consts.get(_text(table)))
            index = _unwrap(node.child_by_field_name("index"))
            fallback = None
            if index is not None and index.type == "binary_expression":
                if _operator(index) not in ("||", "??"):
                    return None
                fallback = self._constant_string(index.child_by_field_name("right"), local)
                index = index.child_by_field_name("left")
            if entries is None or not self._is_subject(index, subject):
                return None
            chosen = dict(entries)
            chosen.pop(UNSET, None)
            chosen.pop(OTHER, None)
            if fallback is not None and fallback in entries:
                chosen[UNSET] = entries[fallback]
            return chosen
        if node.type == "binary_expression" and _operator(node) in ("||", "??"):
            left = self._choices(node.child_by_field_name("left"), subject, local, depth + 1)
            right = self._constant_string(node.child_by_field_name("right"), local)
            if left is None or right is None:
                return None
            return {**left, UNSET: left.get(UNSET, right), OTHER: left.get(OTHER, right)}
        if node.type == "ternary_expression":
            test = self._mode_test(node.child_by_field_name("condition"), subject)
            then = self._choices(node.child_by_field_name("consequence"), subject, local, depth + 1)
            other = self._choices(
                node.child_by_field_name("alternative"), subject, local, depth + 1
            )
            if test is None or then is None or other is None:
                return None
            picked = then.get(test, then.get(OTHER))
            return other if picked is None else {**other, test: picked}
        return None

    def _mode_test(self, condition: Node | None, subject: str) -> str | None:
        """The mode ``mode === "production"`` (either side) tests for; :data:`UNSET` for
        ``!mode``; None for any other test."""
        node = _unwrap(condition)
        if node is None:
            return None
        if node.type == "unary_expression" and _operator(node) == "!":
            return (
                UNSET if self._is_subject(node.child_by_field_name("argument"), subject) else None
            )
        if node.type != "binary_expression" or _operator(node) not in ("===", "=="):
            return None
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if self._is_subject(right, subject):
            left, right = right, left
        return _string(right) if self._is_subject(left, subject) else None

    def _is_subject(self, node: Node | None, subject: str) -> bool:
        """The mode a file-naming function chooses by: its parameter, or ``NODE_ENV`` read."""
        node = _unwrap(node)
        if node is None:
            return False
        if node.type == "identifier":
            return bool(subject) and _text(node) == subject
        return node.type == "member_expression" and self._is_mode(node)

    def _returned_string(self, statement: Node | None, local: dict[str, Node]) -> str | None:
        """The string ``return ".env.x"`` (alone or as a block's one statement) returns."""
        if statement is not None and statement.type == "statement_block":
            inner = [c for c in statement.named_children if c.type != "comment"]
            statement = inner[0] if len(inner) == 1 else None
        if statement is None or statement.type != "return_statement":
            return None
        value = statement.named_children[0] if statement.named_child_count else None
        return self._constant_string(value, local)

    def _constant_string(self, node: Node | None, local: dict[str, Node]) -> str | None:
        """A string literal, or a ``const`` (local or of the module) bound to one."""
        node = _unwrap(node)
        if node is not None and node.type == "identifier":
            name = _text(node)
            bound = local.get(name) or (self.consts.get(name) if name in self.constants else None)
            node = None if bound is None or bound == node else _unwrap(bound)
        return _string(node)

    def _string_table(self, table: Node | None) -> dict[str, str] | None:
        """``{ production: ".env.production", local: ".env" }``: every value a string."""
        table = _unwrap(table)
        if table is None or table.type != "object":
            return None
        if any(c.type not in ("pair", "comment") for c in table.named_children):
            return None  # a spread or a method: entries this does not read
        entries: dict[str, str] = {}
        for key, value, _ in _object_pairs(table):
            file = _string(value)
            if file is None or len(entries) >= _NAMER_CHOICES:
                return None
            entries[key] = file
        return entries or None


_REJECTS_EMPTY = frozenset(
    {"nonempty", "url", "email", "uuid", "guid", "cuid", "cuid2", "ulid", "nanoid", "emoji"}
    | {"datetime", "date", "time", "duration", "ip", "ipv4", "ipv6", "cidr", "cidrv4"}
    | {"cidrv6", "base64", "base64url", "jwt", "e164", "hostname", "httpUrl", "hex"}
)
"""zod checks (and zod 4 top-level formats: ``z.url()``) that no empty string passes."""

_KEEPS_EMPTY = frozenset(
    {"optional", "default", "prefault", "nullish", "nullable", "catch", "transform"}
    | {"trim", "toLowerCase", "toUpperCase", "normalize", "describe", "brand", "readonly"}
    | {"meta", "max"}
)
"""zod methods after which a schema that took ``""`` still takes it."""

_KEEPS_EMPTY_TYPES = frozenset({"string", "any", "unknown"})
_REJECTS_EMPTY_TYPES = _REJECTS_EMPTY | {"number", "boolean", "bigint", "date", "stringbool"}
"""zod types that take the string ``""`` (a bare ``z.number()`` rejects every string)."""

_COERCED_KEEP_EMPTY = frozenset({"string", "number", "boolean", "bigint"})
"""``z.coerce.*`` types that take ``""``: ``Number("")`` is 0, ``Boolean("")`` false."""


def _declared_names(declaration: Node) -> Iterator[str]:
    """The names a top-level declaration binds: ``function f``, ``const a = 1, b = 2``,
    ``class C`` (a destructuring pattern binds none here)."""
    if declaration.type in ("lexical_declaration", "variable_declaration"):
        for declarator in declaration.named_children:
            name = declarator.child_by_field_name("name")
            if declarator.type == "variable_declarator" and name is not None:
                if name.type == "identifier":
                    yield _text(name)
        return
    name = declaration.child_by_field_name("name")
    if name is not None and name.type in ("identifier", "type_identifier"):
        yield _text(name)


def _method_on_empty(method: str | None, argument: Node | None) -> bool | None:
    """What a zod method does to ``""``: True when it fails it (:data:`_REJECTS_EMPTY`,
    ``.min(1)``, ``.startsWith("x")``, a ``.regex`` whose pattern needs a character), False
    when ``""`` passes on (:data:`_KEEPS_EMPTY`, ``.min(0)``, a ``.regex(/^.*$/)``), None
    when not known here (``.refine(fn)``, ``.min(LIMIT)``)."""
    if method in _REJECTS_EMPTY:
        return True
    if method in _KEEPS_EMPTY:
        return False
    node = _unwrap(argument)
    if node is None:
        return None
    if method in ("min", "length") and node.type == "number":
        return _text(node) not in ("0", "0.0")
    if method in ("startsWith", "endsWith", "includes"):
        literal = _string(node)
        return None if literal is None else literal != ""
    if method == "regex" and node.type == "regex":
        pattern = node.child_by_field_name("pattern")
        try:
            return pattern is None or re.search(_text(pattern), "") is None
        except re.error:
            return None  # a JS-only pattern
    return None


def _lists_empty(argument: Node | None) -> bool:
    """``z.enum(["", "a"])`` / ``z.literal("")``: the empty string is one of the choices."""
    node = _unwrap(argument)
    if node is None:
        return True  # z.enum(Values): not known, taken to take it
    if node.type == "array":
        return any(_string(item) == "" for item in node.named_children)
    return _string(node) == ""


def _envalid_rejects_empty(call: Node | None) -> bool:
    """envalid's ``str()`` takes ``""`` ("an empty string is considered a valid value"),
    unless ``choices`` leaves it out; its other validators (``url``, ``email``, ``host``,
    ``port``, ``num``, ``bool``, ``json``) reject it."""
    if call is None or call.type != "call_expression":
        return True
    fn = _unwrap(call.child_by_field_name("function"))
    name = (
        None
        if fn is None
        else (_member_names(fn)[1] if fn.type == "member_expression" else _text(fn))
    )
    if name != "str":
        return True
    for key, value, _ in _object_pairs(_first_arg(call)):
        if key == "choices":
            return not _lists_empty(value)
    return False


_TYPE_DECLARATIONS = frozenset(
    {"interface_declaration", "type_alias_declaration", "class_declaration"}
)

_COOKIE_ATTRIBUTES = frozenset({"path", "sameSite", "expires", "maxAge", "httpOnly", "secure"})
"""Cookie attributes (RFC 6265) beside a ``domain``: the object is a cookie's options."""


_FRAMEWORK_WORDS = frozenset({"VITE", "NEXT", "PUBLIC", "REACT", "APP", "EXPO", "NUXT"})
_GENERIC_WORDS = frozenset(
    {"NAME", "URL", "URI", "KEY", "SECRET", "TOKEN", "API", "ENABLED", "HOST", "PORT", "MODE"}
)


def _module_object(obj: Node) -> bool:
    """``obj`` is an object literal of the module itself, the config a config file exports
    (``const nextConfig = {...}``, ``export default {...}``, ``module.exports = {...}``),
    not one nested in another or passed to a call (``withSentryConfig(c, { org })``).
    Its own options only: a read deeper down (``images: { remotePatterns: [{ hostname
    }] }``) is a value the option needs."""
    parent = obj.parent
    while parent is not None and parent.type in _WRAPPERS:
        parent = parent.parent
    if parent is None:
        return False
    if parent.type == "variable_declarator" or parent.type == "export_statement":
        holder = parent.parent
        while holder is not None and holder.type not in _BLOCKS:
            if holder.type in _FUNCTIONS or holder.type in ("class_body", "method_definition"):
                return False
            holder = holder.parent
        return holder is not None and holder.type == "program"
    return (
        parent.type == "assignment_expression"
        and _text(parent.child_by_field_name("left") or parent) == "module.exports"
    )


def _names_a_flag(value: Node) -> bool:
    """``value`` names an env on/off flag by its key, alone or in a list (linkwarden's
    ``flagEnvs: ["NEXT_PUBLIC_GITLAB_ENABLED"]``, tested ``process.env[flag] === "true"``
    by the code that builds the entry): the entry is the feature that flag turns on."""
    names = value.named_children if value.type == "array" else [value]
    texts = [_string(n) if n.type == "string" else None for n in names]
    flag = _ENV_NAME.fullmatch
    return bool(texts) and all(
        t is not None and flag(t) is not None and not _FLAG_WORDS.isdisjoint(t.split("_"))
        for t in texts
    )


def _feature_words(key: str) -> frozenset[str]:
    """The words of ``key`` that may name its feature (``OPENID`` of ``VITE_OPENID_NAME``):
    four letters or more, no framework prefix, no word every key has."""
    return frozenset(
        word
        for word in key.split("_")
        if len(word) >= 4 and word not in _FRAMEWORK_WORDS and word not in _GENERIC_WORDS
    )


_OWN_MODULES = ("./", "../", "@/", "~/", "#")
"""How an import names a module of the project itself, not a package."""


def _literal_value(node: Node | None) -> bool:
    """A number, ``true`` / ``false``, or arithmetic of numbers (``20 * MB`` with ``MB`` a
    name): a fallback value written in place."""
    node = _unwrap(node)
    if node is None:
        return False
    if node.type in ("number", "true", "false"):
        return True
    if node.type == "binary_expression" and _operator(node) in ("*", "+", "-", "/", "**"):
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        return any(_literal_value(side) for side in (left, right)) and all(
            side is not None and side.type in ("number", "identifier", "binary_expression")
            for side in (left, right)
        )
    return False


def _cookie_attributes(obj: Node) -> bool:
    """``{ path: "/", sameSite: "lax", domain: X }``: a cookie's options, whose missing
    ``Domain`` makes a host-only cookie (RFC 6265 5.3, step 6), whatever library sets it."""
    return any(key in _COOKIE_ATTRIBUTES for key, _, _ in _object_pairs(obj))


def _annotated(annotation: Node | None) -> Node | None:
    """The type inside a ``: T`` annotation."""
    if annotation is None or annotation.type != "type_annotation":
        return None
    return next(iter(annotation.named_children), None)


def _constructor(declaration: Node | None) -> Node | None:
    """The ``constructor`` method of a class declaration of this file."""
    body = None if declaration is None else declaration.child_by_field_name("body")
    if declaration is None or declaration.type != "class_declaration" or body is None:
        return None
    for member in body.named_children:
        name = member.child_by_field_name("name")
        if member.type == "method_definition" and name is not None:
            if _text(name) == "constructor":
                return member
    return None


def _property_named(member: Node, key: str) -> bool:
    """A property signature for ``key`` that is not optional (``key: T``)."""
    name = member.child_by_field_name("name")
    if name is None or (_string(name) if name.type == "string" else _text(name)) != key:
        return False
    return not _optional_member(member, key)


def _outermost_object(obj: Node) -> Node:
    """The object literal ``obj`` is nested in through property values (``{ auth: { user:
    X } }``: the outer one), at most :data:`_OBJECT_NESTING` levels up."""
    outer = obj
    for _ in range(_OBJECT_NESTING):
        parent = outer.parent
        while parent is not None and parent.type in _WRAPPERS:  # { ... } satisfies T
            parent = parent.parent
        if parent is None or parent.type != "pair" or parent.parent is None:
            break
        outer = parent.parent
    return outer


def _returning_function(obj: Node) -> Node | None:
    """The function whose value ``obj`` is: ``return obj`` in it (its own body, not a nested
    function's) or the body of an arrow function, ``() => (obj)``; None otherwise."""
    current, parent = obj, obj.parent
    while parent is not None and parent.type in _WRAPPERS:
        current, parent = parent, parent.parent
    if parent is None:
        return None
    if parent.type == "arrow_function":
        return parent if parent.child_by_field_name("body") == current else None
    if parent.type != "return_statement":
        return None
    return _enclosing(parent)[0]


def _enclosing(node: Node) -> tuple[Node | None, bool]:
    """The function (or method) ``node`` runs in, None at top level; and whether the
    search ended within :data:`_GUARD_ANCESTORS` levels (False: too deep to tell)."""
    parent = node.parent
    for _ in range(_GUARD_ANCESTORS):
        if parent is None:
            return None, True
        if parent.type in _FUNCTIONS or parent.type == "method_definition":
            return parent, True
        parent = parent.parent
    return None, False


def _callable_name(function: Node) -> str | None:
    """The name code calls ``function`` by: ``function f``, ``const f = () =>``, a method
    ``f() {}`` or an object's ``f: function () {}`` / ``f: () => ...``; None for an
    anonymous function handed to a call, or a constructor."""
    name = function.child_by_field_name("name")
    if name is not None:
        text = _text(name)
        return None if text == "constructor" else text
    parent = function.parent
    while parent is not None and parent.type in _WRAPPERS:
        parent = parent.parent
    if parent is None:
        return None
    if parent.type == "variable_declarator":
        name = parent.child_by_field_name("name")
        return _text(name) if name is not None and name.type == "identifier" else None
    if parent.type == "pair":
        key = parent.child_by_field_name("key")
        if key is None or key.type == "computed_property_name":
            return None
        return _string(key) if key.type == "string" else _text(key)
    return None


def _method_owner(function: Node) -> str | None:
    """For a method, the name its owner is called by: the class of ``class C { f() {} }``,
    the constant of ``const S = { f: function () {} }`` (``""`` when the owner has no
    name); None for a function that is no method."""
    if function.type == "method_definition":
        body = function.parent
        owner = None if body is None else body.parent
    else:
        pair = function.parent
        while pair is not None and pair.type in _WRAPPERS:
            pair = pair.parent
        if pair is None or pair.type != "pair":
            return None
        owner = pair.parent
        if owner is not None and owner.type == "object":
            owner = owner.parent
            while owner is not None and owner.type in _WRAPPERS:
                owner = owner.parent
    if owner is None:
        return ""
    name = owner.child_by_field_name("name")
    named = name is not None and name.type in ("identifier", "type_identifier")
    return _text(name) if name is not None and named else ""


def _calls_own_method(call: Node, owner: str) -> bool:
    """``call`` may call the method of ``owner``: ``this.f()``, ``super.f()``, ``Owner.f()``,
    a bare ``f()``; not ``this.other.f()`` nor ``client.f()``, another object's method."""
    fn = _unwrap(call.child_by_field_name("function"))
    if fn is None or fn.type != "member_expression":
        return True
    receiver = _unwrap(fn.child_by_field_name("object"))
    if receiver is None:
        return True
    return receiver.type in ("this", "super") or (bool(owner) and _text(receiver) == owner)


def _spread_into(call: Node) -> Node | None:
    """The object literal ``call``'s result is spread into (``{ ...this.keys() }``,
    ``{ ...(await base()) }``), or None."""
    parent = call.parent
    while parent is not None and (parent.type in _WRAPPERS or parent.type == "await_expression"):
        parent = parent.parent
    if parent is None or parent.type != "spread_element":
        return None
    holder = parent.parent
    return holder if holder is not None and holder.type == "object" else None


def _optional_member(member: Node, key: str) -> bool:
    """A property signature ``key?: T`` or ``key: T | undefined``."""
    name = member.child_by_field_name("name")
    if name is None or (_string(name) if name.type == "string" else _text(name)) != key:
        return False
    if any(child.type == "?" for child in member.children):
        return True
    declared = _annotated(member.child_by_field_name("type"))
    return (
        declared is not None
        and declared.type == "union_type"
        and any(_text(part) == "undefined" for part in declared.named_children)
    )


def _join(
    anchor: tuple[str, str], relative: tuple[str, str], parent_first: bool
) -> tuple[str, str]:
    """``new URL(rel, import.meta.url)``: ``rel`` is resolved against the file's folder."""
    folder = posixpath.join(anchor[1], "..") if parent_first and anchor[1] != "." else anchor[1]
    return (anchor[0], posixpath.join(folder, relative[1]))


_HANDLERS = {
    "member_expression": _Extractor.on_member,
    "subscript_expression": _Extractor.on_subscript,
    "variable_declarator": _Extractor.on_declarator,
    "import_statement": _Extractor.on_import,
    "pair": _Extractor.on_pair,
    "call_expression": _Extractor.on_call,
}
