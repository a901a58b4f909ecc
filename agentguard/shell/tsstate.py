"""Shell state the tree-sitter walker keeps beyond plain values: name references
(``declare -n``), case-folding and integer attributes (``declare -u/-l/-c/-i``), and the
variables a command or a loop may set by means other than ``NAME=value`` (``read x``,
``printf -v x``, ``$((x=1))``, ``eval``, a function defined earlier in the line).

What cannot be tracked is forgotten: a forgotten variable expands to an unresolved word,
which is asked about, never read as plain text. Loaded only with tree-sitter.
"""

from __future__ import annotations

from agentguard.shell.model import Word
from agentguard.shell.tswords import iter_nodes, text_of

# Not ``typing.TYPE_CHECKING``: importing typing costs milliseconds on every hook call.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from tree_sitter import Node

    from agentguard.shell.tswords import Words

# Builtins whose name arguments they assign (``read x``, ``printf -v x``, ``getopts o x``,
# ``wait -p x``, ``let x=1``) or whose arguments are otherwise names of shell state.
_SETTERS = frozenset(
    (
        "read", "printf", "mapfile", "readarray", "getopts", "wait", "let",
        "declare", "typeset", "local", "export", "readonly", "unset", "coproc",
    )
)  # fmt: skip
# Builtins that may set any variable: they run code the walk does not see here (a trap
# action runs before later commands, a DEBUG trap before every one of them).
_ANYTHING = frozenset(("eval", "source", ".", "trap"))
_DIRS = ("PWD", "OLDPWD", "DIRSTACK")
# Declarations whose options are attributes (``export -n`` un-exports instead).
ATTRIBUTED = frozenset(("declare", "typeset", "local"))
_ATTRS = frozenset("lucin")
_NOT_ARGS = frozenset(("file_redirect", "herestring_redirect", "comment"))
_IDENT = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


def is_name(text: str) -> bool:
    """Whether ``text`` is a shell variable name (an identifier)."""
    return bool(text) and not text[0].isdigit() and all(c in _IDENT for c in text)


def _names_in(text: str) -> set[str]:
    """Every identifier in ``text`` (``let 'x=y+1'``, ``a[i]``): the names it may set."""
    out: set[str] = set()
    current: list[str] = []
    for c in text + " ":
        if c in _IDENT:
            current.append(c)
            continue
        if current and not current[0].isdigit():
            out.add("".join(current))
        current = []
    return out


def setter_names(program: str, args: list[str]) -> set[str] | None:
    """The names a setter builtin assigns given its argument texts; None when one of
    them comes from an expansion (``read $v``: any name)."""
    if program in ("printf", "wait"):
        # Only ``-v NAME`` (``wait -p NAME``) assigns; the rest are values.
        flag = "-v" if program == "printf" else "-p"
        picked = [args[i + 1] for i in range(len(args) - 1) if args[i] == flag]
        picked += [a[2:] for a in args if a.startswith(flag) and len(a) > 2]
    elif program == "getopts":
        picked = args[1:2]
    else:
        picked = args
    if any("$" in a or "`" in a for a in picked):
        return None
    out: set[str] = set()
    for arg in picked:
        out.update(_names_in(arg))
    return out


def _head(node: Node) -> tuple[str, list[str]]:
    """The program a ``command`` node names (past ``builtin``/``command``) and its
    argument texts."""
    words: list[str] = []
    for child in node.named_children:
        if child.type == "command_name" or (words and child.type not in _NOT_ARGS):
            words.append(text_of(child))
    while len(words) > 1 and words[0] in ("builtin", "command"):
        words = words[1:]
    return (words[0], words[1:]) if words else ("", [])


def assigned(walker: Words, node: Node, seen: frozenset[str] = frozenset()) -> set[str] | None:
    """The variables running ``node`` may set, None when it may set any (``eval``)."""
    names: set[str] = set()
    for item in iter_nodes(node):
        kind = item.type
        if kind == "variable_assignment":
            target = item.child_by_field_name("name")
            if target is not None and target.type == "subscript":
                target = target.child_by_field_name("name")
            names.add(text_of(target))
        elif kind == "for_statement":
            names.add(text_of(item.child_by_field_name("variable")))
        elif kind in ("arithmetic_expansion", "c_style_for_statement") or (
            kind == "compound_statement" and item.children and item.children[0].type == "(("
        ):
            names.update(text_of(n) for n in iter_nodes(item) if n.type == "variable_name")
        elif kind == "expansion" and any(c.type in ("=", ":=") for c in item.children):
            names.update(text_of(c) for c in item.named_children if c.type == "variable_name")
        elif kind in ("declaration_command", "unset_command"):
            names.update(_names_in(text_of(item)))
        elif kind == "command":
            program, args = _head(item)
            if program in _ANYTHING:
                return None
            if program in _SETTERS:
                found = setter_names(program, args)
                if found is None:
                    return None
                names.update(found)
            elif program in ("cd", "pushd", "popd"):
                names.update(_DIRS)
            elif program in walker.functions and program not in seen:
                # A function defined earlier in the line sets what its body sets.
                body = assigned(walker, walker.functions[program], seen | {program})
                if body is None:
                    return None
                names.update(body)
            # ``exec {fd}>file`` stores the descriptor it opens in fd.
            names.update(a[1:-1] for a in args if a.startswith("{") and a.endswith("}"))
    names.discard("")
    return names


def forget(walker: Words, node: Node, scope: tuple[int, ...]) -> None:
    """Drop what running ``node`` may change from the walker's known values; a command
    that may assign through a name reference the walk cannot follow is opaque."""
    names = assigned(walker, node)
    if names is None:
        if walker.refs:
            walker.opaque(f"{text_of(node)} (after a name reference)", scope)
        walker.known.clear()
        walker.attrs.clear()
        return
    if names & walker.refs.keys() and node.type == "command":
        program = _head(node)[0]
        if program in walker.functions or program in _SETTERS:
            # ``read r`` with r -> PATH sets PATH: the handlers see only ``r``.
            walker.opaque(f"{program} assigns through a name reference", scope)
    for name in names:
        target = walker.refs.get(name)
        walker.known.pop(name, None)
        if target:
            walker.known.pop(target.split("[", 1)[0], None)
        elif name in walker.refs:
            # A reference to a name the walk does not know: its target may be anything.
            walker.known.clear()


def declare(walker: Words, flags: str, name: str, value: Word | None, sure: bool) -> bool:
    """Apply the attribute options ``flags`` (``-n``, ``+u``, ``-li`` …, joined) of a
    declaration to ``name`` (assigned ``value``, if any); ``?`` among them stands for an
    option from an expansion. True when the declaration names a reference's target (the
    value is then no assignment)."""
    if "?" in flags:
        walker.known.pop(name, None)
        walker.refs[name] = None
        return True
    on: set[str] = set()
    off: set[str] = set()
    sign = "-"
    for c in flags:
        if c in "-+":
            sign = c
        elif c in _ATTRS:
            (on if sign == "-" else off).add(c)
    if "n" in on:
        walker.known.pop(name, None)
        walker.refs[name] = ""
        if value is not None:
            known = sure and not value.dynamic and valid_target(value.text)
            walker.refs[name] = value.text if known else None
    elif "n" in off:
        walker.refs.pop(name, None)
        walker.known.pop(name, None)
    target = walker.refs.get(name) or name
    held = set(walker.attrs.get(target, "")) - off
    # -l, -u and -c replace each other: the last one given wins.
    for c in flags:
        if c in "luc" and c in on:
            held -= {"l", "u", "c"}
            held.add(c)
    if "i" in on:
        held.add("i")
    held.discard("n")
    walker.attrs[target] = "".join(sorted(held))
    return "n" in on


def through(walker: Words, name: str, value: Word, sure: bool) -> tuple[str, Word]:
    """The variable an assignment to ``name`` really sets and the value it gets: through a
    name reference to its target, case-folded or arithmetic-evaluated per its attributes."""
    if name in walker.refs:
        target = walker.refs[name]
        if target == "" and sure and not value.dynamic and valid_target(value.text):
            # The first assignment to an unset reference names its target.
            walker.refs[name] = value.text
            return name, Word(value.text)
        if target == "" or target is None:
            walker.refs[name] = None
            walker.known.clear()
            return name, Word(value.text, True, value.glob)
        name = target.split("[", 1)[0] if "[" in target else target
        if "[" in target:
            return name, Word(value.text, True, value.glob)
    return name, fold(walker.attrs.get(name, ""), value)


def fold(attrs: str, value: Word) -> Word:
    """``value`` as a variable with the attributes ``attrs`` stores it."""
    if not attrs or value.dynamic:
        return value
    text = value.text
    if "i" in attrs:
        plain = text.lstrip("-+")
        if not (plain.isdigit() and plain.isascii()):
            # Arithmetic evaluation: the value is whatever the expression computes.
            return Word(text, True)
    if "c" in attrs or (("u" in attrs or "l" in attrs) and not text.isascii()):
        return Word(text, True, value.glob)
    if "u" in attrs:
        return Word(text.upper(), False, value.glob)
    if "l" in attrs:
        return Word(text.lower(), False, value.glob)
    return value


def valid_target(text: str) -> bool:
    """Whether ``text`` is a name a reference may point at: an identifier, or one with
    a subscript."""
    base = text.split("[", 1)[0]
    return is_name(base) and (base == text or text.endswith("]"))


def unset(walker: Words, args: list[str], dynamic: bool) -> None:
    """``unset NAME…``: a reference's target goes (``unset -n r``: the reference)."""
    if dynamic:
        walker.known.clear()
        return
    flags = "".join(a for a in args if a.startswith("-"))
    for name in (a for a in args if not a.startswith("-")):
        base = name.split("[", 1)[0]
        if "f" in flags:
            walker.functions.pop(base, None)
            continue
        target = walker.refs.get(base)
        if base in walker.refs and "n" in flags:
            walker.refs.pop(base, None)
        elif target:
            walker.known.pop(target.split("[", 1)[0], None)
        elif base in walker.refs:
            walker.known.clear()
        walker.known.pop(base, None)
        walker.attrs.pop(base, None)


def define(walker: Words, node: Node) -> None:
    """``f() { …; }``: remember the body, to know what a later ``f`` may set."""
    name = node.child_by_field_name("name")
    body = node.child_by_field_name("body")
    if name is not None and body is not None:
        walker.functions[text_of(name)] = body
