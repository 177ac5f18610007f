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
_AI_CHAIN_WORDS = {"chat", "completions", "messages", "responses", "embeddings", "beta"}
_Path = tuple[str, str]


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

    def run(self, tree: ast.Module) -> None:
        for statement in tree.body:
            self._bind(statement)
        stack: list[tuple[ast.AST, ast.AST | None]] = [(tree, None)]
        while stack:
            node, parent = stack.pop()
            if isinstance(node, ast.Call):
                self._call(node, parent)
            elif isinstance(node, ast.Subscript):
                self._subscript(node, parent)
            elif isinstance(node, ast.Compare):
                self._membership(node)
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
        """The dotted origin of a name or attribute chain: ``environ.Env``, ``os.environ``."""
        if isinstance(node, ast.Name):
            return self.names.get(node.id)
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
        self.facts.reads.append((key, kind, form, source, "server", line, col, None))

    def _tested(self, parent: ast.AST | None, node: ast.AST) -> bool:
        """A read with a fallback (``or "x"``) or used only as a test (``if os.getenv(...)``)."""
        if isinstance(parent, ast.BoolOp | ast.Compare):
            return True
        if isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.Not):
            return True
        if isinstance(parent, ast.If | ast.While | ast.IfExp | ast.Assert):
            return parent.test is node
        return False

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
            self._read(key_arg.value, "optional" if optional else "required", "call", source, call)
        elif key_arg is not None:
            self._read(None, "dynamic", "dynamic", source, call)

    def _subscript(self, node: ast.Subscript, parent: ast.AST | None) -> None:
        if not isinstance(node.ctx, ast.Load) or not self._is_environ(node.value):
            return
        key = node.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            kind = "optional" if self._tested(parent, node) else "required"
            self._read(key.value, kind, "subscript", "os.environ", node)
        else:
            self._read(None, "dynamic", "dynamic", "os.environ", node)

    def _membership(self, node: ast.Compare) -> None:
        """``"X" in os.environ``: the code checks for the key, so it is optional."""
        left = node.left
        if (
            isinstance(left, ast.Constant)
            and isinstance(left.value, str)
            and len(node.ops) == 1
            and isinstance(node.ops[0], ast.In | ast.NotIn)
            and self._is_environ(node.comparators[0])
        ):
            self._read(left.value, "optional", "subscript", "os.environ", node)

    def _call(self, call: ast.Call, parent: ast.AST | None) -> None:
        func = call.func
        first = call.args[0] if call.args else None
        keywords = {k.arg: k.value for k in call.keywords if k.arg}
        origin = self._origin(func)
        if isinstance(func, ast.Attribute) and self._is_environ(func.value) and func.attr == "get":
            default = len(call.args) > 1 or "default" in keywords
            self._key_read(call, first, default, "os.environ", parent)
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
            self.facts.loads.append((loader, target, (("file", ".env"),), True, line, col))
            return
        if isinstance(arg, ast.Call) and (self._origin(arg.func) or "").endswith("find_dotenv"):
            keywords = {k.arg: k.value for k in arg.keywords if k.arg}
            name = arg.args[0] if arg.args else keywords.get("filename")
            filename = name.value if isinstance(name, ast.Constant) else ".env"
            usecwd = keywords.get("usecwd")
            base = "cwd" if isinstance(usecwd, ast.Constant) and usecwd.value is True else "file"
            spec = (base, str(filename))
            self.facts.loads.append((loader, "search", (spec,), True, line, col))
            return
        path = self._path(arg, 0)
        specs = () if path is None else (path,)
        self.facts.loads.append((loader, "file", specs, path is not None, line, col))

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
