"""Env reads, env-file loads and model literals of one Python file, from the stdlib ``ast``.

``ast.parse`` only builds a tree: nothing is compiled to bytecode, executed
or imported.  A file that does not parse (``SyntaxError``, or a tree too
deep for the parser) is skipped with a ``syntax`` note; unlike tree-sitter,
``ast`` has no partial tree to read from.

Names are followed only as the file binds them at top level: ``import os``,
``from os import environ, getenv``, ``import environ`` + ``env =
environ.Env(...)`` (django-environ), ``from dotenv import load_dotenv``,
``client = OpenAI()``, ``BASE_DIR = Path(__file__).resolve().parent``.
"""

from __future__ import annotations

import ast
import posixpath

from envcheck.code.raw import FileFacts

__all__ = ["extract"]

_DJANGO_URL_DEFAULTS = {
    "db": "DATABASE_URL",
    "db_url": "DATABASE_URL",
    "cache": "CACHE_URL",
    "cache_url": "CACHE_URL",
    "email": "EMAIL_URL",
    "email_url": "EMAIL_URL",
    "search_url": "SEARCH_URL",
}
_DJANGO_CASTS = {
    "str",
    "bool",
    "int",
    "float",
    "decimal",
    "list",
    "tuple",
    "dict",
    "json",
    "url",
    "path",
    "bytes",
    *_DJANGO_URL_DEFAULTS,
}
_SDK_PROVIDERS = {
    "openai": "openai",
    "anthropic": "anthropic",
    "groq": "groq",
    "mistralai": "mistral",
    "google.generativeai": "gemini",
    "google.genai": "gemini",
    "together": "together",
    "cohere": "cohere",
}
_MODEL_CALLS = {"create", "stream", "parse", "generate_content", "GenerativeModel"}
_GUARD_ANCESTORS = 128  # as envcheck.code.js: real guards are a few levels up
_GUARD_EXITS = 32  # early exits before a read looked at per statement list
_CONDITION_DEPTH = 24  # nesting of and / or / not followed in one condition
_STATEMENT_LISTS = ("body", "orelse", "finalbody")
_AI_CHAIN_WORDS = {"chat", "completions", "messages", "responses", "embeddings", "beta"}
_Path = tuple[str, str]


def _exit_kind(body: list[ast.stmt]) -> str | None:
    """How a block always leaves: ``raise`` (a raise, ``sys.exit(1)``, ``sys.exit("why")``,
    an exit with a code not known here), ``leave`` (return, break, continue, and an exit
    that succeeds: ``sys.exit()``, ``sys.exit(0)``: a script that skips its work without
    the key copes, as :func:`envcheck.code.js._exit_kind` reads ``process.exit(0)``), or
    None when it may fall through."""
    if not body:
        return None
    last = body[-1]
    if isinstance(last, ast.Raise):
        return "raise"
    if isinstance(last, ast.Return | ast.Break | ast.Continue):
        return "leave"
    if isinstance(last, ast.Expr) and isinstance(last.value, ast.Call):
        func = last.value.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name in ("exit", "_exit"):
            return "leave" if _exits_successfully(last.value) else "raise"
        if name == "abort":
            return "raise"
    return None


def _exits_successfully(call: ast.Call) -> bool:
    """``sys.exit()``, ``sys.exit(0)``, ``sys.exit(None)``: exit status 0."""
    if call.keywords or len(call.args) > 1:
        return False
    if not call.args:
        return True
    code = call.args[0]
    return isinstance(code, ast.Constant) and code.value in (None, 0) and code.value is not False


def _provider(module: str) -> str | None:
    for prefix, provider in _SDK_PROVIDERS.items():
        if module == prefix or module.startswith(prefix + "."):
            return provider
    return None


def extract(data: bytes, name: str, facts: FileFacts) -> None:
    """Add the facts of the Python source ``data`` (file base name ``name``) to ``facts``."""
    try:
        tree = ast.parse(data, filename=name)
    except SyntaxError as error:  # the message alone: its .text would quote the source
        facts.failed = True
        facts.notes.append(
            ("syntax", "Python syntax error; file skipped", error.lineno, error.offset)
        )
        return
    except (ValueError, RecursionError, MemoryError):  # NUL bytes; nesting too deep
        facts.failed = True
        facts.notes.append(("syntax", "Python source the parser refuses; file skipped", None, None))
        return
    _Extractor(name, facts).run(tree)


class _Extractor:
    def __init__(self, name: str, facts: FileFacts) -> None:
        self.name = name
        self.facts = facts
        self.names: dict[str, str] = {}  # local name -> dotted origin ("os.environ", "dotenv")
        self.envs: dict[str, set[str]] = {}  # django-environ instances -> keys with a default
        self.clients: dict[str, str] = {}  # local -> provider
        self.assigned: dict[str, ast.expr] = {}
        self.parents: dict[ast.AST, ast.AST] = {}  # filled as the walk goes down
        self._exits: dict[int, list[tuple[int, ast.If]]] = {}  # id of a list -> its early exits
        self._slots: dict[int, dict[int, tuple[str, int]]] = {}  # id of a parent -> its lists
        self.tree = ast.Module(body=[], type_ignores=[])
        self._load_calls: set[str] | None = None  # see _called_at_load

    def run(self, tree: ast.Module) -> None:
        self.tree = tree
        for statement in tree.body:
            self._bind(statement)
        stack: list[tuple[ast.AST, ast.AST | None]] = [(tree, None)]
        while stack:
            node, parent = stack.pop()
            if parent is not None:
                self.parents[node] = parent
            if isinstance(node, ast.Call):
                self._call(node, parent)
            elif isinstance(node, ast.Subscript):
                self._subscript(node, parent)
            elif isinstance(node, ast.Compare):
                self._membership(node)
            elif isinstance(node, ast.Dict):
                self._child_env(node)
            stack.extend((child, node) for child in reversed(list(ast.iter_child_nodes(node))))

    # -- bindings --------------------------------------------------------------------------

    def _bind(self, statement: ast.stmt) -> None:
        if isinstance(statement, ast.Import):
            for alias in statement.names:
                local = alias.asname or alias.name.split(".")[0]
                self.names[local] = alias.name if alias.asname else alias.name.split(".")[0]
        elif isinstance(statement, ast.ImportFrom) and statement.module and not statement.level:
            for alias in statement.names:
                self.names[alias.asname or alias.name] = f"{statement.module}.{alias.name}"
        elif isinstance(statement, ast.Assign | ast.AnnAssign):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            value = statement.value
            if value is None:
                return
            for target in targets:
                if isinstance(target, ast.Name):
                    self.assigned.setdefault(target.id, value)
                    self._bind_instance(target.id, value)
        elif isinstance(statement, ast.Try | ast.If):
            for inner in statement.body:
                self._bind(inner)

    def _origin(self, node: ast.expr) -> str | None:
        """The dotted origin of a name or attribute chain: ``environ.Env``, ``os.environ``.
        A bare ``os`` the file never binds is the module: settings files get it through
        ``from .base import *`` (wger's ``settings/main.py``), and nothing else named
        ``os`` can reach code the interpreter runs."""
        if isinstance(node, ast.Name):
            origin = self.names.get(node.id)
            if origin is None and node.id == "os" and "os" not in self.assigned:
                return "os"
            return origin
        if isinstance(node, ast.Attribute):
            base = self._origin(node.value)
            return None if base is None else f"{base}.{node.attr}"
        return None

    def _bind_instance(self, name: str, value: ast.expr) -> None:
        if not isinstance(value, ast.Call):
            return
        origin = self._origin(value.func)
        if origin == "environ.Env":  # django-environ: Env(DEBUG=(bool, False)) gives a default
            self.envs[name] = {
                k.arg
                for k in value.keywords
                if k.arg and isinstance(k.value, ast.Tuple) and len(k.value.elts) == 2
            }
        elif origin is not None:
            provider = _provider(origin)
            if provider is not None:
                self.clients[name] = provider

    # -- reads -------------------------------------------------------------------------------

    def _is_environ(self, node: ast.expr) -> bool:
        return self._origin(node) == "os.environ"

    def _read(self, key: str | None, kind: str, form: str, source: str, node: ast.AST) -> None:
        line = getattr(node, "lineno", 1)
        col = getattr(node, "col_offset", 0) + 1
        # os.environ["X"] raises KeyError, django-environ's env("X") ImproperlyConfigured;
        # the app needs the key to start only where that runs as the module is imported
        # (settings): in a function it stops only what calls it -- one provider's branch,
        # one retriever -- as a JS read in a function does (envcheck.code.js._asserts)
        asserted = (
            kind == "required"
            and (form == "subscript" or source == "django-environ")
            and self._runs_at_load(node)
        )
        self.facts.reads.append(
            (key, kind, form, source, "server", line, col, None, False, asserted)
        )

    def _tested(self, parent: ast.AST | None, node: ast.AST) -> bool:
        """A read with a fallback (``or "x"``) or used only as a test (``if os.getenv(...)``)."""
        if isinstance(parent, ast.BoolOp | ast.Compare):
            return True
        if isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.Not):
            return True
        if isinstance(parent, ast.If | ast.While | ast.IfExp | ast.Assert):
            return parent.test is node
        return False

    def _kind(self, node: ast.AST, key: str, optional: bool) -> str:
        """``optional`` when the read has a fallback, is only tested, or runs only where
        the key was tested set (``os.environ["X"] if "X" in os.environ else None``, after
        ``if "X" not in os.environ: return``); ``required`` when a test of it raises."""
        if optional:
            if not self._raises_when_unset(node, key):
                return "optional"
            return "required" if self._runs_at_load(node) else "feature"
        if self._guarded(node, key):
            return "optional"
        if self._guarded(node, None):
            return "feature"  # if "TOKEN" in os.environ: EMAIL = os.environ["EMAIL"]
        return "required"

    def _runs_at_load(self, node: ast.AST) -> bool:
        """Whether ``node`` runs as the module is imported: outside any function, or in a
        top-level ``def`` the module calls at top level (as :mod:`envcheck.code.js` decides
        for JS).  A raise anywhere else stops only the feature that runs it."""
        function: ast.AST | None = None
        parent = self.parents.get(node)
        for _ in range(_GUARD_ANCESTORS):
            if parent is None:
                break
            if isinstance(parent, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                function = parent
                break
            parent = self.parents.get(parent)
        else:
            return False  # deeper than any guard looked at: a scope of its own
        if function is None:
            return True
        name = getattr(function, "name", None)
        at_top = self.parents.get(function) is self.tree
        return name is not None and at_top and name in self._called_at_load()

    def _called_at_load(self) -> set[str]:
        """Names the module's top-level code calls (not inside a ``def`` or a class)."""
        if self._load_calls is None:
            names: set[str] = set()
            stack: list[ast.AST] = [
                s
                for s in self.tree.body
                if not isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            ]
            while stack:
                node = stack.pop()
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                    names.add(node.func.id)
                if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                    stack.extend(ast.iter_child_nodes(node))
            self._load_calls = names
        return self._load_calls

    def _key_read(
        self,
        call: ast.Call,
        key_arg: ast.expr | None,
        default: bool,
        source: str,
        parent: ast.AST | None,
    ) -> None:
        if isinstance(key_arg, ast.Constant) and isinstance(key_arg.value, str):
            optional = default or self._tested(parent, call)
            key = key_arg.value
            self._read(key, self._kind(call, key, optional), "call", source, call)
        elif key_arg is not None:
            self._read(None, "dynamic", "dynamic", source, call)

    def _subscript(self, node: ast.Subscript, parent: ast.AST | None) -> None:
        if not self._is_environ(node.value):
            return
        key = node.slice
        if isinstance(node.ctx, ast.Store):  # os.environ["X"] = ...: the code sets it
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                self.facts.sets.append(key.value)
            return
        if not isinstance(node.ctx, ast.Load):
            return
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            kind = self._kind(node, key.value, self._tested(parent, node))
            self._read(key.value, kind, "subscript", "os.environ", node)
        else:
            self._read(None, "dynamic", "dynamic", "os.environ", node)

    def _child_env(self, node: ast.Dict) -> None:
        """``{**os.environ, "X": v}``: the environment of a process the code starts, in which
        the code itself sets ``X``."""
        if not any(
            k is None and self._is_environ(v) for k, v in zip(node.keys, node.values, strict=True)
        ):
            return
        for key in node.keys:
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                self.facts.sets.append(key.value)

    def _membership(self, node: ast.Compare) -> None:
        """``"X" in os.environ``: the code checks for the key, so it is optional (unless
        the check raises without it)."""
        left = node.left
        if (
            isinstance(left, ast.Constant)
            and isinstance(left.value, str)
            and len(node.ops) == 1
            and isinstance(node.ops[0], ast.In | ast.NotIn)
            and self._is_environ(node.comparators[0])
        ):
            kind = self._kind(node, left.value, True)
            self._read(left.value, kind, "subscript", "os.environ", node)

    # -- guards ------------------------------------------------------------------------------

    def _reads_key(self, node: ast.expr, key: str | None) -> bool:
        """``os.environ["K"]``, ``os.environ.get("K")``, ``os.getenv("K")`` (no default);
        ``key`` None: of any key."""
        if isinstance(node, ast.Subscript):
            index = node.slice
            return (
                self._is_environ(node.value)
                and isinstance(index, ast.Constant)
                and (index.value == key or (key is None and isinstance(index.value, str)))
            )
        if isinstance(node, ast.Call) and node.args and len(node.args) == 1:
            first = node.args[0]
            if not isinstance(first, ast.Constant) or node.keywords:
                return False
            if first.value != key and (key is not None or not isinstance(first.value, str)):
                return False
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr == "get":
                return self._is_environ(func.value)
            return self._origin(func) == "os.getenv"
        return False

    def _set_test(self, node: ast.expr, key: str | None) -> bool | None:
        """True when ``node`` truthy means ``key`` is set, False when ``node`` falsy
        means it is, None when neither (as :meth:`envcheck.code.js._Extractor._set_test`).
        ``key`` None: *some* key, by presence only (``"K" in os.environ``,
        ``os.environ.get("K")``), not a mode (``os.getenv("ENV") == "production"``)."""
        if self._reads_key(node, key):
            return True
        if not isinstance(node, ast.Compare) or len(node.ops) != 1:
            return None
        op, right = node.ops[0], node.comparators[0]
        left = node.left
        if isinstance(op, ast.In | ast.NotIn):
            if (
                isinstance(left, ast.Constant)
                and (left.value == key or (key is None and isinstance(left.value, str)))
                and self._is_environ(right)
            ):
                return isinstance(op, ast.In)
            return None
        for one, other in ((left, right), (right, left)):
            if not self._reads_key(one, key) or not isinstance(other, ast.Constant):
                continue
            if other.value is None:
                if isinstance(op, ast.IsNot | ast.NotEq):
                    return True
                return False if isinstance(op, ast.Is | ast.Eq) else None
            return True if isinstance(op, ast.Eq) and key is not None else None
        return None

    def _switch_on(self, node: ast.expr) -> bool:
        """``env.bool("ENABLE_EMAIL", False)`` (django-environ): true only where a key is set
        to a true value -- the code under it is that key's feature."""
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            return False
        holder = node.func.value
        if node.func.attr != "bool" or not isinstance(holder, ast.Name):
            return False
        if holder.id not in self.envs:
            return False
        given = node.args[1:2] or [k.value for k in node.keywords if k.arg == "default"]
        return not given or (isinstance(given[0], ast.Constant) and not given[0].value)

    def _implies(self, condition: ast.expr, when: bool, key: str | None, depth: int = 0) -> bool:
        """Whether ``condition`` truthy (``when``) or falsy means ``key`` is set."""
        if depth > _CONDITION_DEPTH:
            return False
        direct = self._set_test(condition, key)
        if direct is not None:
            return direct == when
        if key is None and when and self._switch_on(condition):
            return True
        if isinstance(condition, ast.Name) and key is None:  # USE_S3 = env.bool("USE_S3", False)
            value = self.assigned.get(condition.id)
            return value is not None and self._implies(value, when, key, depth + 1)
        if isinstance(condition, ast.UnaryOp) and isinstance(condition.op, ast.Not):
            return self._implies(condition.operand, not when, key, depth + 1)
        if (
            isinstance(condition, ast.Call)
            and isinstance(condition.func, ast.Name)
            and condition.func.id == "bool"
            and len(condition.args) == 1
        ):
            return self._implies(condition.args[0], when, key, depth + 1)
        if not isinstance(condition, ast.BoolOp):
            return False
        either = isinstance(condition.op, ast.And) == when
        found = (self._implies(v, when, key, depth + 1) for v in condition.values)
        return any(found) if either else all(found)

    def _guarded(self, node: ast.AST, key: str | None) -> bool:
        """Whether ``node`` runs only where ``key`` is set: a branch of a test of it, a later
        operand of ``and`` / ``or``, or after an early exit taken when it is missing.
        ``key`` None: where some key is set (:meth:`_set_test`), not after an exit that
        raises (``if "K" not in os.environ: raise``: then the code runs on wherever it
        does not fail)."""
        current = node
        parent = self.parents.get(node)
        for _ in range(_GUARD_ANCESTORS):
            if parent is None:
                return False
            if isinstance(parent, ast.IfExp):
                if current is parent.body and self._implies(parent.test, True, key):
                    return True
                if current is parent.orelse and self._implies(parent.test, False, key):
                    return True
            slot = self._slot(parent, current)
            if slot is not None:
                field, index = slot
                if isinstance(parent, ast.If | ast.While) and field in ("body", "orelse"):
                    if self._implies(parent.test, field == "body", key):
                        return True
                if isinstance(parent, ast.BoolOp):
                    wanted = isinstance(parent.op, ast.And)
                    earlier = parent.values[max(0, index - _GUARD_EXITS) : index]
                    if any(self._implies(v, wanted, key) for v in earlier):
                        return True
                elif any(
                    self._implies(guard.test, False, key)
                    for guard in self._early_exits(parent, field, index)
                    if key is not None or _exit_kind(guard.body) != "raise"
                ):
                    return True
            current, parent = parent, self.parents.get(parent)
        return False

    def _slot(self, parent: ast.AST, child: ast.AST) -> tuple[str, int] | None:
        """(field, index) of ``child`` in a statement list or the operands of ``parent``;
        each parent's lists are indexed once, so a long module stays linear."""
        slots = self._slots.get(id(parent))
        if slots is None:
            slots = self._slots[id(parent)] = {}
            for field in (*_STATEMENT_LISTS, "values"):
                items = getattr(parent, field, None)
                if isinstance(items, list):
                    for index, item in enumerate(items):
                        slots[id(item)] = (field, index)
        return slots.get(id(child))

    def _early_exits(self, parent: ast.AST, field: str, before: int) -> list[ast.If]:
        """The ``if ...: return/raise`` statements (no ``else``) of the list ``field`` of
        ``parent`` before index ``before``, nearest first, at most :data:`_GUARD_EXITS`."""
        statements = getattr(parent, field)
        exits = self._exits.get(id(statements))
        if exits is None:
            exits = self._exits[id(statements)] = [
                (i, s)
                for i, s in enumerate(statements)
                if isinstance(s, ast.If) and not s.orelse and _exit_kind(s.body) is not None
            ]
        from bisect import bisect_left

        end = bisect_left(exits, before, key=lambda pair: pair[0])
        return [s for _, s in reversed(exits[max(0, end - _GUARD_EXITS) : end])]

    def _raises_when_unset(self, node: ast.AST, key: str) -> bool:
        """``if "X" not in os.environ: raise ...``: a test that raises (or exits) when the
        key is missing makes the key required."""
        current = node
        parent = self.parents.get(node)
        for _ in range(_CONDITION_DEPTH):
            if isinstance(parent, ast.If):
                return (
                    parent.test is current
                    and _exit_kind(parent.body) == "raise"
                    and isinstance(current, ast.expr)
                    and self._implies(current, False, key)
                )
            if not isinstance(parent, ast.BoolOp | ast.UnaryOp | ast.Compare | ast.Call):
                return False
            current, parent = parent, self.parents.get(parent)
        return False

    def _call(self, call: ast.Call, parent: ast.AST | None) -> None:
        func = call.func
        first = call.args[0] if call.args else None
        keywords = {k.arg: k.value for k in call.keywords if k.arg}
        origin = self._origin(func)
        if isinstance(func, ast.Attribute) and self._is_environ(func.value) and func.attr == "get":
            default = len(call.args) > 1 or "default" in keywords
            self._key_read(call, first, default, "os.environ", parent)
        elif isinstance(func, ast.Attribute) and self._is_environ(func.value):
            if func.attr == "setdefault" and isinstance(first, ast.Constant):
                if isinstance(first.value, str):  # os.environ.setdefault("X", v): set if unset
                    self.facts.sets.append(first.value)
        elif origin == "os.getenv":
            default = len(call.args) > 1 or "default" in keywords
            self._key_read(call, first or keywords.get("key"), default, "os.getenv", parent)
        elif isinstance(func, ast.Name) and func.id in self.envs:
            self._django(call, func.id, None, parent)
        elif (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and (func.value.id in self.envs)
        ):
            self._django(call, func.value.id, func.attr, parent)
        elif origin in ("environ.Env.read_env", "environ.read_env"):
            self._dotenv_path(call, "django-environ", first or keywords.get("env_file"))
        elif origin is not None and origin.split(".")[-1] in ("load_dotenv", "dotenv_values"):
            if origin.startswith("dotenv."):
                self._dotenv_path(call, "python-dotenv", first or keywords.get("dotenv_path"))
        if isinstance(func, ast.Attribute) and func.attr in _MODEL_CALLS:
            self._model(call, func, keywords)

    def _django(self, call: ast.Call, env: str, method: str | None, parent: ast.AST | None) -> None:
        if method == "read_env":
            first = call.args[0] if call.args else None
            self._dotenv_path(
                call,
                "django-environ",
                first or {k.arg: k.value for k in call.keywords if k.arg}.get("env_file"),
            )
            return
        if method is not None and method not in _DJANGO_CASTS:
            return
        keywords = {k.arg for k in call.keywords if k.arg}
        first = call.args[0] if call.args else None
        if first is None and method in _DJANGO_URL_DEFAULTS:
            first = ast.Constant(_DJANGO_URL_DEFAULTS[method], lineno=call.lineno)
        key = first.value if isinstance(first, ast.Constant) else None
        default = (
            "default" in keywords
            or (method is not None and len(call.args) > 1)
            or key in self.envs[env]
        )
        self._key_read(call, first, default, "django-environ", parent)

    # -- loads --------------------------------------------------------------------------------

    def _dotenv_path(self, call: ast.Call, loader: str, arg: ast.expr | None) -> None:
        line, col = call.lineno, call.col_offset + 1
        if arg is None:  # find_dotenv() from the calling file's folder / read_env() beside it
            target = "search" if loader == "python-dotenv" else "file"
            self.facts.loads.append((loader, target, (("file", ".env"),), True, line, col, None))
            return
        if isinstance(arg, ast.Call) and (self._origin(arg.func) or "").endswith("find_dotenv"):
            keywords = {k.arg: k.value for k in arg.keywords if k.arg}
            name = arg.args[0] if arg.args else keywords.get("filename")
            filename = name.value if isinstance(name, ast.Constant) else ".env"
            usecwd = keywords.get("usecwd")
            base = "cwd" if isinstance(usecwd, ast.Constant) and usecwd.value is True else "file"
            spec = (base, str(filename))
            self.facts.loads.append((loader, "search", (spec,), True, line, col, None))
            return
        path = self._path(arg, 0)
        specs = () if path is None else (path,)
        self.facts.loads.append((loader, "file", specs, path is not None, line, col, None))

    def _path(self, node: ast.expr, depth: int) -> _Path | None:
        """(base, posix path) of a path expression, or None when it is not followed."""
        if depth > 8:
            return None
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return ("absolute" if node.value.startswith("/") else "cwd", node.value)
        if isinstance(node, ast.Name):
            if node.id == "__file__":
                return ("file", self.name)
            value = self.assigned.get(node.id)
            return None if value is None else self._path(value, depth + 1)
        if isinstance(node, ast.Attribute) and node.attr == "parent":
            inner = self._path(node.value, depth + 1)
            return None if inner is None else (inner[0], posixpath.join(inner[1], ".."))
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute):
            index = node.slice
            if node.value.attr == "parents" and isinstance(index, ast.Constant):
                inner = self._path(node.value.value, depth + 1)
                if inner is not None and isinstance(index.value, int) and 0 <= index.value < 8:
                    return (inner[0], posixpath.join(inner[1], *[".."] * (index.value + 1)))
            return None
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            return self._join([node.left, node.right], depth)
        if isinstance(node, ast.Call):
            return self._path_call(node, depth)
        return None

    def _path_call(self, node: ast.Call, depth: int) -> _Path | None:
        origin = self._origin(node.func) or ""
        method = node.func.attr if isinstance(node.func, ast.Attribute) else None
        if origin in ("pathlib.Path", "pathlib.PurePath", "str", "os.fspath") or (
            isinstance(node.func, ast.Name) and node.func.id == "str"
        ):
            if not node.args:
                return ("cwd", ".")
            return self._join(list(node.args), depth)
        if origin in ("pathlib.Path.cwd", "os.getcwd"):
            return ("cwd", ".")
        if origin == "os.path.join":
            return self._join(list(node.args), depth)
        if origin == "os.path.dirname" and len(node.args) == 1:
            inner = self._path(node.args[0], depth + 1)
            return None if inner is None else (inner[0], posixpath.join(inner[1], ".."))
        if origin in ("os.path.abspath", "os.path.realpath", "os.path.normpath") and node.args:
            return self._path(node.args[0], depth + 1)
        if method in ("resolve", "absolute") and isinstance(node.func, ast.Attribute):
            return self._path(node.func.value, depth + 1)
        if method == "joinpath" and isinstance(node.func, ast.Attribute):
            return self._join([node.func.value, *node.args], depth)
        return None

    def _join(self, parts: list[ast.expr], depth: int) -> _Path | None:
        result: _Path | None = None
        for part in parts:
            found = self._path(part, depth + 1)
            if found is None:
                return None
            if result is None or found[0] != "cwd" or found[1].startswith("/"):
                result = found
            else:
                result = (result[0], posixpath.join(result[1], found[1]))
        return result

    # -- model literals -------------------------------------------------------------------

    def _model(self, call: ast.Call, func: ast.Attribute, keywords: dict[str, ast.expr]) -> None:
        value = keywords.get("model")
        if value is None and func.attr == "GenerativeModel" and call.args:
            value = call.args[0]
        if value is None:
            value = keywords.get("model_name")
        if not isinstance(value, ast.Constant) or not isinstance(value.value, str):
            return
        words: list[str] = []
        root: ast.expr = func
        while isinstance(root, ast.Attribute):
            words.append(root.attr)
            root = root.value
        provider = None
        if isinstance(root, ast.Name):
            provider = self.clients.get(root.id) or _provider(self.names.get(root.id, ""))
        if provider is None:
            imported = {p for p in map(_provider, self.names.values()) if p}
            if len(imported) == 1:
                provider = imported.pop()
            elif not _AI_CHAIN_WORDS & set(words):
                return
        self.facts.models.append(
            (provider or "unknown", value.value, call.lineno, call.col_offset + 1)
        )
