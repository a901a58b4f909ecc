"""Which repository files a source file imports: JavaScript/TypeScript and Python. Cold path.

``integrate plan`` uses it to find undeclared shared interfaces: a file one branch
changes that a file another branch changes imports. Only edges that resolve to a file
of the repository count (a package import names no file here). It reads text, never
runs code, and takes what it cannot parse as importing nothing it can prove.

- JavaScript/TypeScript (also ``.astro``, ``.vue``, ``.svelte``, ``.mdx``): ``import …
  from``, bare ``import '…'``, ``export … from``, ``import(…)``, ``require(…)``; relative
  specifiers, and ``compilerOptions.paths``/``baseUrl`` aliases of the root
  ``tsconfig.json`` or ``jsconfig.json``; extension-less specifiers, ``index`` files and a
  ``.js`` specifier naming its ``.ts`` source resolve as TypeScript resolves them.
- Python: ``import a.b`` and ``from a.b import c`` (``c`` a module or a name), relative
  ``from . import x``; absolute modules are looked up from the repository root, ``src/``,
  and the folder holding the importing file's top package.
"""

from __future__ import annotations

import ast
import json
import posixpath
import re
from collections.abc import Callable, Collection, Mapping

JS_SUFFIXES = (
    ".ts",
    ".tsx",
    ".mts",
    ".cts",
    ".js",
    ".jsx",
    ".mjs",
    ".cjs",
    ".astro",
    ".vue",
    ".svelte",
    ".mdx",
)
# Tried, in order, after a specifier that names no file as written (TypeScript's order).
_TRY = (".ts", ".tsx", ".d.ts", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts", ".json")
_TRY_INDEX = tuple(f"/index{ext}" for ext in (".ts", ".tsx", ".js", ".jsx", ".mjs"))
# A ``./x.js`` specifier in TypeScript names ``./x.ts`` (the emitted file's name).
_JS_TO_TS = {".js": (".ts", ".tsx"), ".jsx": (".tsx",), ".mjs": (".mts",), ".cjs": (".cts",)}

_STRING = r"""(?:'([^'\n]*)'|"([^"\n]*)"|`([^`$\n]*)`)"""
_JS_PATTERNS = (
    re.compile(r"\bimport\s*(?:type\s+)?[\w*{}\s,$]*?\bfrom\s*" + _STRING),
    re.compile(r"\bexport\s*(?:type\s+)?(?:\*(?:\s+as\s+[\w$]+)?|\{[^}]*\})\s*from\s*" + _STRING),
    re.compile(r"(?:^|[;\s])import\s*" + _STRING),
    re.compile(r"\bimport\s*\(\s*" + _STRING + r"\s*\)"),
    re.compile(r"\brequire\s*\(\s*" + _STRING + r"\s*\)"),
)
_BLOCK_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_LINE_COMMENT = re.compile(r"(?m)(?<![:\\\w'\"])//.*$")

Reader = Callable[[str], "str | None"]


def js_specifiers(text: str) -> list[str]:
    """The module specifiers a JavaScript/TypeScript (or .astro …) source names, in order."""
    text = _LINE_COMMENT.sub("", _BLOCK_COMMENT.sub("", text))
    found: list[tuple[int, str]] = []
    for pattern in _JS_PATTERNS:
        for match in pattern.finditer(text):
            value = next(g for g in match.groups() if g is not None)
            found.append((match.start(), value))
    return list(dict.fromkeys(value for _, value in sorted(found)))


def _strip_jsonc(text: str) -> str:
    """JSON with comments and trailing commas (tsconfig's dialect) as plain JSON."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(text[i : j + 1])
            i = j + 1
        elif text.startswith("//", i):
            while i < n and text[i] != "\n":
                i += 1
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
        else:
            out.append(ch)
            i += 1
    return re.sub(r",(\s*[}\]])", r"\1", "".join(out))


class Aliases:
    """``compilerOptions.paths`` and ``baseUrl`` of the root tsconfig/jsconfig."""

    def __init__(self, paths: Mapping[str, list[str]], base: str | None) -> None:
        self.paths = paths
        self.base = base

    @classmethod
    def read(cls, read: Reader) -> Aliases:
        """The aliases of ``tsconfig.json`` (else ``jsconfig.json``); none when unreadable."""
        for name in ("tsconfig.json", "jsconfig.json"):
            text = read(name)
            if text is None:
                continue
            try:
                value = json.loads(_strip_jsonc(text))
            except ValueError:
                return cls({}, None)
            options = value.get("compilerOptions") if isinstance(value, dict) else None
            if not isinstance(options, dict):
                return cls({}, None)
            raw_base = options.get("baseUrl")
            base = posixpath.normpath(raw_base) if isinstance(raw_base, str) else None
            paths: dict[str, list[str]] = {}
            raw = options.get("paths")
            if isinstance(raw, dict):
                for key, targets in raw.items():
                    if isinstance(key, str) and isinstance(targets, list):
                        paths[key] = [t for t in targets if isinstance(t, str)]
            return cls(paths, base)
        return cls({}, None)

    def expand(self, spec: str) -> list[str]:
        """Repository paths (without extension resolution) an aliased ``spec`` may name."""
        root = self.base or "."
        out: list[str] = []
        for key, targets in self.paths.items():
            if "*" in key:
                head, _, tail = key.partition("*")
                if spec.startswith(head) and spec.endswith(tail) and len(spec) >= len(key) - 1:
                    star = spec[len(head) : len(spec) - len(tail) if tail else None]
                    out += [posixpath.join(root, t.replace("*", star, 1)) for t in targets]
            elif spec == key:
                out += [posixpath.join(root, t) for t in targets]
        if not out and self.base is not None and not spec.startswith("."):
            out.append(posixpath.join(self.base, spec))
        return [posixpath.normpath(p) for p in out]


def _resolve_js(candidate: str, files: Collection[str]) -> str | None:
    candidate = posixpath.normpath(candidate)
    if candidate.startswith("../") or candidate == "..":
        return None
    if candidate in files:
        return candidate
    stem, ext = posixpath.splitext(candidate)
    for ts in _JS_TO_TS.get(ext, ()):
        if stem + ts in files:
            return stem + ts
    for suffix in (*_TRY, *_TRY_INDEX):
        if candidate + suffix in files:
            return candidate + suffix
    return None


def js_imports(rel: str, text: str, files: Collection[str], aliases: Aliases) -> list[str]:
    """Repository files ``rel`` (a JS/TS-family source) imports, resolved against ``files``."""
    out: list[str] = []
    folder = posixpath.dirname(rel)
    for raw in js_specifiers(text):
        spec = raw.split("?", 1)[0]
        if spec.startswith(("./", "../")) or spec in (".", ".."):
            candidates = [posixpath.join(folder, spec)]
        elif spec.startswith("/"):
            candidates = [spec.lstrip("/")]
        else:
            candidates = aliases.expand(spec)
        for candidate in candidates:
            hit = _resolve_js(candidate, files)
            if hit is not None and hit != rel:
                out.append(hit)
                break
    return list(dict.fromkeys(out))


def _python_modules(text: str) -> list[tuple[int, str, list[str]]]:
    """``(level, module, names)`` of each import statement; empty when it does not parse."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return []
    out: list[tuple[int, str, list[str]]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(0, alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            out.append((node.level, node.module or "", [a.name for a in node.names]))
    return out


def _python_roots(rel: str, files: Collection[str]) -> list[str]:
    """Folders absolute imports are looked up in, for a file at ``rel``."""
    roots = ["", "src"]
    folder = posixpath.dirname(rel)
    while folder and posixpath.join(folder, "__init__.py") in files:
        folder = posixpath.dirname(folder)
    if folder not in roots:
        roots.append(folder)
    return roots


def _module_file(folder: str, dotted: str, files: Collection[str]) -> str | None:
    base = posixpath.join(folder, *dotted.split(".")) if dotted else folder
    for raw in (base + ".py", posixpath.join(base, "__init__.py")):
        candidate = posixpath.normpath(raw)
        if candidate in files:
            return candidate
    return None


def python_imports(rel: str, text: str, files: Collection[str]) -> list[str]:
    """Repository files the Python module at ``rel`` imports, resolved against ``files``."""
    out: list[str] = []
    for level, module, names in _python_modules(text):
        if level:
            folder = posixpath.dirname(rel)
            for _ in range(level - 1):
                folder = posixpath.dirname(folder)
            bases = [folder]
        else:
            bases = _python_roots(rel, files)
        for base in bases:
            hits = [
                hit
                for name in names
                if name != "*"
                and (hit := _module_file(base, f"{module}.{name}" if module else name, files))
            ]
            if not hits:
                own = _module_file(base, module, files) if module or level else None
                hits = [own] if own else []
            if hits:
                out += hits
                break
    return [hit for hit in dict.fromkeys(out) if hit != rel]


def imports(rel: str, text: str, files: Collection[str], aliases: Aliases) -> list[str]:
    """Repository files ``rel`` imports (JS/TS family or Python); empty for other files."""
    if rel.endswith((".py", ".pyi")):
        return python_imports(rel, text, files)
    if rel.endswith(JS_SUFFIXES):
        return js_imports(rel, text, files, aliases)
    return []
