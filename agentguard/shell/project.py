"""What a project's own tools run: package.json scripts (``npm run``, ``pnpm NAME``),
the lifecycle scripts of ``pack``/``publish``/``version``/``rebuild``, binaries of
``node_modules/.bin`` or downloaded (``npx``, ``pnpm dlx``, ``uvx``), and
``uv run``/``poetry run``/``bundle exec``.

Each handler takes one ``wrappers.Frame``. Loaded only for a line that names one of
these tools. Hot path: standard library only.
"""

from __future__ import annotations

import os

from agentguard.shell.model import Word
from agentguard.shell.wrappers import abs_path, quote, split_options

# Not ``typing.TYPE_CHECKING``: importing typing costs milliseconds on every hook call.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from agentguard.shell.model import SimpleCommand
    from agentguard.shell.wrappers import Frame, Handler


def _w(text: str) -> frozenset[str]:
    """A set of whitespace-separated words (tables read better as one string)."""
    return frozenset(text.split())


_NPM_SCRIPT_ALIASES = {
    "test": "test",
    "t": "test",
    "tst": "test",
    "start": "start",
    "stop": "stop",
    "restart": "restart",
}
_NPM_VALUE_OPTS = frozenset(
    ("--prefix", "-w", "--workspace", "-C", "--dir", "--filter", "-F", "--cwd", "--loglevel")
)
# Subcommands that are the package manager's own, never a script name.
_PNPM_BUILTINS = _w(
    "add install i update up upgrade remove rm uninstall un link ln unlink import rebuild rb "
    "prune fetch dedupe patch patch-commit audit list ls outdated why licenses exec dlx create "
    "init publish pack store env setup config c root bin server recursive -r help deploy "
    "doctor store test t start run"
)
_YARN_BUILTINS = _w(
    "add install remove upgrade up upgrade-interactive dlx exec info init link unlink pack "
    "publish npm config cache workspaces workspace why set plugin constraints version bin "
    "node explain dedupe patch patch-commit rebuild search help run test start list outdated "
    "audit global login logout owner tag team licenses import generate-lock-entry "
    "autoclean create policies"
)
# Per tool: (options taking a value, options without one). An option outside both makes
# the command opaque: a value option read as a flag would hide the real program.
_EXEC_OPTS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "npx": (
        _w("-p --package --cache --userconfig --registry --prefix -w --workspace --loglevel"),
        _w(
            "-y --yes --no -q --quiet --silent -ws --workspaces --include-workspace-root "
            "--no-install --ignore-existing -d --verbose"
        ),
    ),
    "bunx": (_w("-p --package"), _w("--bun --silent --verbose --no-install")),
    "pnpm dlx": (_w("--package"), _w("--silent -s")),
    "yarn dlx": (_w("-p --package"), _w("-q --quiet")),
    "pnpm exec": (_w("--filter -F -C --dir"), _w("-r --recursive --parallel --no-bail --silent")),
    "yarn exec": (frozenset(), frozenset()),
    "uvx": (
        _w(
            "--from --with --with-editable --with-requirements -w --python -p --index "
            "--index-url --default-index --extra-index-url -i --find-links -f --constraints "
            "-c --overrides --directory --project --cache-dir --config-file --color "
            "--python-preference --exclude-newer --index-strategy --keyring-provider "
            "--resolution --prerelease --link-mode --env-file --refresh-package "
            "--reinstall-package --upgrade-package --allow-insecure-host"
        ),
        _w(
            "-q --quiet -v --verbose --isolated --offline --no-cache -n --refresh "
            "--reinstall -U --upgrade --no-build --no-config --no-progress --native-tls "
            "--no-python-downloads --no-index --lfs --managed-python --no-managed-python"
        ),
    ),
}
_EXEC_OPTS["pnpx"] = _EXEC_OPTS["pnpm dlx"]
_EXEC_OPTS["bun x"] = _EXEC_OPTS["bunx"]
_EXEC_OPTS["npm exec"] = _EXEC_OPTS["npm x"] = _EXEC_OPTS["npx"]
_EXEC_OPTS["uv tool run"] = _EXEC_OPTS["uvx"]
# These fetch the package from a registry every time (or from a cache it filled).
_ALWAYS_DOWNLOAD = frozenset(
    ("pnpm dlx", "yarn dlx", "bunx", "bun x", "pnpx", "uvx", "uv tool run")
)
# These only run what the project installed.
_LOCAL_ONLY = frozenset(("pnpm exec", "yarn exec"))
# ``NAME VERB`` pairs that run a binary like ``npx`` does.
_EXEC_FORMS = frozenset(
    (
        ("pnpm", "dlx"),
        ("yarn", "dlx"),
        ("npm", "exec"),
        ("npm", "x"),
        ("bun", "x"),
        ("pnpm", "exec"),
        ("yarn", "exec"),
    )
)


def _npx(f: Frame) -> bool:
    """``npx``/``bunx``/``uvx``/``pnpm dlx`` …: the binary runs (and may be downloaded)."""
    ex, words, cwd, via = f.ex, f.words, f.cwd, f.via
    name = f.name
    start = 1
    if name in ("pnpm", "yarn", "npm", "bun"):
        start = 2  # ``pnpm dlx``, ``yarn dlx``, ``npm exec``, ``bun x``
        name = f"{name} {words[1].text}"
    elif name == "uv":
        start = 3  # ``uv tool run``
        name = "uv tool run"
    values, flags = _EXEC_OPTS.get(name, (frozenset(), frozenset()))
    argv = f.argv
    i, n = start, len(words)
    yes = False
    package: str | None = None
    while i < n:
        w = words[i]
        text = w.text
        if w.dynamic:
            return f.opaque(f"{name} argument from an expansion")
        if text == "--":
            i += 1
            break
        if text in ("-c", "--call", "--shell-mode") or text.startswith("--call="):
            if name in ("uvx", "uv tool run") and text == "-c":
                i += 2
                continue
            script = (
                text.split("=", 1)[1] if "=" in text else (words[i + 1].text if i + 1 < n else "")
            )
            if name not in _LOCAL_ONLY and name not in ("npx", "npm exec", "npm x"):
                ex.mark(argv, cwd, via, ("package-install", "network"), f"{name} downloads")
            return f.nested(script, f"{name} -c")
        if not text.startswith("-"):
            break
        opt, eq, value = text.partition("=")
        if opt in values:
            if opt in ("-p", "--package", "--from"):
                package = value if eq else (words[i + 1].text if i + 1 < n else "")
            i += 1 if eq else 2
            continue
        if opt in flags:
            yes = yes or opt in ("-y", "--yes")
            i += 1
            continue
        return f.opaque(f"{name}: unknown option {opt}")
    if i >= n:
        return False
    inner = list(words[i:])
    binary = inner[0].text
    # ``pkg@1.2.3`` and ``@scope/pkg@latest`` name the binary without the version.
    at = binary.rfind("@")
    if at > 0:
        binary = binary[:at]
    binary = binary.rsplit("/", 1)[-1] if binary.startswith("@") else binary
    if name.startswith("uv"):
        binary = binary.split("[", 1)[0]
    inner[0] = Word(binary)
    download = name in _ALWAYS_DOWNLOAD or (
        name not in _LOCAL_ONLY
        and (yes or package is not None or not local_bin(cwd or ex.analysis.cwd, binary))
    )
    if download:
        ex.mark(
            argv,
            cwd,
            via,
            ("package-install", "network"),
            f"{name} downloads and runs {package or binary} (not installed in node_modules/.bin)"
            if name.startswith(("npx", "npm")) and not (yes or package)
            else f"{name} downloads and runs a package",
        )
    return f.run(inner, name)


def local_bin(start: str, binary: str) -> bool:
    """Whether ``node_modules/.bin/<binary>`` exists in ``start`` or a folder above it."""
    if not binary or "/" in binary:
        return False
    folder = os.path.abspath(start)
    while True:
        if os.path.exists(os.path.join(folder, "node_modules", ".bin", binary)):
            return True
        parent = os.path.dirname(folder)
        if parent == folder:
            return False
        folder = parent


def _options(f: Frame, args: list[Word]) -> tuple[Word | None, str]:
    """The folder option of a package manager's line, and why its scripts are hidden
    (another shell runs them, or other workspaces' scripts): options count anywhere
    before ``--`` (npm reads its options after the script name too)."""
    folder_opt: Word | None = None
    hidden = ""
    for j, w in enumerate(args):
        text = w.text
        if text == "--":
            break
        opt, eq, value = text.partition("=")
        if "script-shell" in opt or opt in ("--shell-emulator",):
            hidden = f"{opt} runs scripts with another shell"
        elif opt in ("--prefix", "-C", "--dir", "--cwd"):
            folder_opt = (
                Word(value, w.dynamic)
                if eq
                else (args[j + 1] if j + 1 < len(args) else Word("", True))
            )
        elif opt in (
            "-w",
            "--workspace",
            "-ws",
            "--workspaces",
            "--filter",
            "-F",
            "-r",
            "--recursive",
        ):
            hidden = f"{opt}: scripts of other workspace packages are not resolved"
        elif w.dynamic and text.startswith("-"):
            hidden = "option from an expansion"
    if any(k.lower() == "npm_config_script_shell" for k in f.assigns) or f.ex.env.get(
        "npm_config_script_shell"
    ):
        hidden = "npm_config_script_shell runs scripts with another shell"
    return folder_opt, hidden


def _runner(f: Frame) -> bool:
    """``npm``/``pnpm``/``yarn``/``bun``: exec forms unwrap, scripts are resolved."""
    name = f.name
    args = f.words[1:]
    folder_opt, hidden = _options(f, args)
    i = 0
    while i < len(args) and args[i].text.startswith("-") and not args[i].dynamic:
        i += 2 if args[i].text in _NPM_VALUE_OPTS else 1
    if i >= len(args):
        return False
    sub = args[i]
    if sub.dynamic:
        return False
    verb = sub.text
    if (name, verb) in _EXEC_FORMS:
        return _npx(f.but([f.words[0], sub, *args[i + 1 :]]))
    if name == "npm" and verb == "explore":
        _explore(f, args[i + 1 :])
        return True
    parts = LIFECYCLE.get((name, verb))
    if parts is not None:
        return _lifecycle(f, verb, args[i + 1 :], parts, folder_opt, hidden)
    found: str | None = None
    rest: list[Word] = []
    if verb in ("run", "run-script", "rum", "urn"):
        after = args[i + 1 :]
        while after and after[0].text.startswith("-") and after[0].text != "--":
            after = after[1:]
        if after and not after[0].dynamic:
            found, rest = after[0].text, after[1:]
    elif name == "npm" and verb in _NPM_SCRIPT_ALIASES:
        found, rest = _NPM_SCRIPT_ALIASES[verb], args[i + 1 :]
    elif name == "pnpm" and (verb in ("test", "t", "start") or verb not in _PNPM_BUILTINS):
        found, rest = {"t": "test"}.get(verb, verb), args[i + 1 :]
    elif name == "yarn" and (verb in ("test", "start") or verb not in _YARN_BUILTINS):
        found, rest = verb, args[i + 1 :]
    if found is None:
        return False
    return _script(f, verb, found, rest, folder_opt, hidden)


def _base(f: Frame, folder_opt: Word | None, cmd: SimpleCommand) -> str | None:
    """The folder whose package.json counts: the folder option's, else where the
    command runs; None (the command made opaque) when the option is an expansion."""
    if folder_opt is None:
        return f.cwd or f.ex.analysis.cwd
    if folder_opt.dynamic or folder_opt.glob:
        cmd.classes.add("opaque")
        cmd.notes.append("package folder from an expansion")
        return None
    return abs_path(folder_opt.text, f.cwd, f.ex.analysis.cwd)


def _lifecycle(
    f: Frame,
    verb: str,
    later_args: list[Word],
    parts: tuple[str, ...],
    folder_opt: Word | None,
    hidden: str,
) -> bool:
    """``npm pack``/``publish``/``version``/``rebuild``: the package's lifecycle scripts run."""
    name = f.name
    later = [w for w in later_args if not w.text.startswith("-")]
    if verb == "version" and not later:
        return False  # ``npm version`` alone prints versions
    if any(w.text in ("--ignore-scripts", "--ignore-scripts=true") for w in f.words[1:]):
        return False
    ex = f.ex
    cmd = ex.emit(f.words, f.assigns, f.redirects, f.cwd, f.via, f.layers)
    if hidden:
        cmd.classes.add("opaque")
        cmd.notes.append(hidden)
    base = _base(f, folder_opt, cmd)
    if base is None:
        return True
    local = [w for w in later if w.text.startswith((".", "/", "~", "file:"))]
    if verb in ("pack", "publish") and local:
        # ``npm pack ./dir``: the named folder's own lifecycle scripts run.
        if local[0].dynamic or local[0].glob:
            cmd.classes.add("opaque")
            cmd.notes.append("package folder from an expansion")
            return True
        text = local[0].text
        base = abs_path(text[5:] if text.startswith("file:") else text, f.cwd, ex.analysis.cwd)
    found = package_scripts(base)
    if found is None:
        cmd.notes.append("no package.json found")
        return True
    folder, scripts = found
    for part in parts:
        if part in scripts:
            ex.line(scripts[part], folder, [*f.via, f"{name} {verb}: {part}"], f.depth + 1, part)
    return True


def _script(
    f: Frame, verb: str, script: str, rest: list[Word], folder_opt: Word | None, hidden: str
) -> bool:
    """``npm run NAME``, ``pnpm NAME`` …: the script and its ``pre``/``post`` scripts run
    (a missing script under pnpm and yarn runs the binary NAME)."""
    ex, name = f.ex, f.name
    index = len(ex.analysis.commands)
    cmd = ex.emit(f.words, f.assigns, f.redirects, f.cwd, f.via, f.layers)
    if hidden:
        cmd.classes.add("opaque")
        cmd.notes.append(hidden)
    base = _base(f, folder_opt, cmd)
    if base is None:
        return True
    found = package_scripts(base)
    implicit = verb not in ("run", "run-script", "rum", "urn")
    if found is None or script not in found[1]:
        if name in ("pnpm", "yarn") and (implicit or name == "yarn"):
            # ``pnpm NAME``/``yarn NAME`` with no such script runs the binary NAME.
            if rest and rest[0].text == "--":
                rest = rest[1:]
            label = [*f.via, f"{name} {script}"]
            ex.expand(
                [Word(script), *rest], dict(f.assigns), [], base, label, f.layers, f.depth + 1
            )
            return True
        if found is None:
            cmd.notes.append("no package.json found")
            return True
        if name == "bun":
            # ``bun run file.ts`` runs a file when no script has that name.
            return True
        cmd.notes.append(f"package.json has no script {script!r}")
        return True
    folder, scripts = found
    if folder_opt is not None:
        # The folder option is the package manager's, not an argument of the script.
        kept: list[Word] = []
        skip = False
        for w in rest:
            if skip:
                skip = False
            elif w.text in ("--prefix", "-C", "--dir", "--cwd"):
                skip = True
            elif not w.text.startswith(("--prefix=", "--dir=", "--cwd=")):
                kept.append(w)
        rest = kept
    if rest and rest[0].text == "--":
        rest = rest[1:]
    for dynamic_arg in (w for w in rest if w.dynamic):
        cmd.notes.append(f"script argument from an expansion: {dynamic_arg.text}")
        cmd.classes.add("opaque")
    for part in (f"pre{script}", script, f"post{script}"):
        if part not in scripts:
            continue
        body = scripts[part]
        if part == script and rest:
            body = body + " " + " ".join(quote(w.text) for w in rest)
        ex.line(body, folder, [*f.via, f"{name} run {part}"], f.depth + 1, part, index)
    return True


# Commands of a package manager that run the package's lifecycle scripts, in order.
_PUBLISH_SCRIPTS = (
    "prepublish",
    "prepublishOnly",
    "prepack",
    "prepare",
    "postpack",
    "publish",
    "postpublish",
)
_PACK_SCRIPTS = ("prepack", "prepare", "postpack")
_VERSION_SCRIPTS = ("preversion", "version", "postversion")
_REBUILD_SCRIPTS = ("preinstall", "install", "postinstall", "prepare")
LIFECYCLE = {
    ("npm", "pack"): _PACK_SCRIPTS,
    ("npm", "publish"): _PUBLISH_SCRIPTS,
    ("npm", "version"): _VERSION_SCRIPTS,
    ("npm", "rebuild"): _REBUILD_SCRIPTS,
    ("npm", "rb"): _REBUILD_SCRIPTS,
    ("pnpm", "pack"): _PACK_SCRIPTS,
    ("pnpm", "publish"): _PUBLISH_SCRIPTS,
    ("pnpm", "version"): _VERSION_SCRIPTS,
    ("pnpm", "rebuild"): _REBUILD_SCRIPTS,
    ("pnpm", "rb"): _REBUILD_SCRIPTS,
    ("yarn", "pack"): _PACK_SCRIPTS,
    ("yarn", "publish"): _PUBLISH_SCRIPTS,
    ("yarn", "version"): _VERSION_SCRIPTS,
    ("yarn", "rebuild"): _REBUILD_SCRIPTS,
    ("bun", "publish"): _PUBLISH_SCRIPTS,
}


def _explore(f: Frame, args: list[Word]) -> None:
    """``npm explore PKG -- CMD…``: npm runs the words after the package in a shell
    inside ``node_modules/PKG`` (an interactive one without them)."""
    f.ex.mark(
        f.argv,
        f.cwd,
        f.via,
        ("opaque",),
        "npm explore runs a shell command inside an installed package",
    )
    ops = [w for w in args if not w.text.startswith("-")]
    if not ops or ops[0].dynamic:
        return
    inner = args[args.index(ops[0]) + 1 :]
    if inner and inner[0].text == "--":
        inner = inner[1:]
    if not inner or any(w.dynamic for w in inner):
        return
    folder = os.path.join(f.cwd or f.ex.analysis.cwd, "node_modules", ops[0].text)
    f.ex.line(" ".join(w.text for w in inner), folder, [*f.via, "npm explore"], f.depth + 1)


def package_scripts(start: str) -> tuple[str, dict[str, str]] | None:
    """The nearest package.json above ``start`` and its ``scripts``."""
    folder = os.path.abspath(start)
    while True:
        path = os.path.join(folder, "package.json")
        if os.path.isfile(path):
            from agentguard import wirejson

            try:
                with open(path, encoding="utf-8") as fh:
                    data = wirejson.loads(fh.read())
            except (OSError, ValueError):
                return folder, {}
            scripts = data.get("scripts") if isinstance(data, dict) else None
            if not isinstance(scripts, dict):
                return folder, {}
            return folder, {str(k): str(v) for k, v in scripts.items() if isinstance(v, str)}
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _run_sub(f: Frame) -> bool:
    """``uv run``, ``poetry run``, ``pipenv run``, ``bundle exec``: run the rest."""
    words, name = f.words, f.name
    if name == "uv" and len(words) > 3 and words[1].text == "tool" and words[2].text == "run":
        return _npx(f)
    if len(words) < 3 or words[1].text not in ("run", "exec"):
        return False
    i = split_options(words, 2, frozenset(("--with", "--python", "-p", "--project", "--env-file")))
    if i is None or i >= len(words):
        return False
    return f.run(words[i:], f"{name} {words[1].text}")


HANDLERS: dict[str, Handler] = {
    **dict.fromkeys(("npm", "pnpm", "yarn", "bun"), _runner),
    **dict.fromkeys(("npx", "bunx", "pnpx", "uvx"), _npx),
    **dict.fromkeys(("uv", "poetry", "pipenv", "bundle"), _run_sub),
}
