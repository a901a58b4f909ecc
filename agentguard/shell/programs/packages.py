"""Package managers: which verbs install, publish, query the registry or only read.

Hot path, loaded only when a line names one of these programs.
"""

from __future__ import annotations

from agentguard.shell.catalogue import PROGRAMS
from agentguard.shell.effects import (
    Effects,
    fact_set,
    is_remote,
    script_file,
    verb_set,
)
from agentguard.shell.model import Word


def package(fx: Effects) -> None:
    """Package managers: install verbs install, publish verbs deploy, registry verbs fetch."""
    name = fx.cmd.program
    if name[:3] == "pip" and name[3:].replace(".", "").isdigit():
        name = "pip"
    args = fx.args
    if name == "bun" and any(
        w.text in ("-e", "--eval", "-p", "--print") or w.text.startswith(("--eval=", "--print="))
        for w in args
    ):
        fx.cls("opaque")
        fx.cmd.notes.append("bun -e runs inline code")
        return
    i = 0
    while i < len(args) and args[i].text.startswith("-") and not args[i].dynamic:
        if name in ("nix-env", "pacman"):
            break
        i += 2 if args[i].text in fact_set(fx.facts, "values") else 1
    verb = args[i].text if i < len(args) else ""
    fx.cmd.subcommand = verb or None
    if i < len(args) and args[i].dynamic:
        fx.cls("opaque")
        fx.cmd.notes.append(f"{name} sub-command from an expansion")
        return
    rest = args[i + 1 :]
    later = [w.text for w in rest if not w.text.startswith("-")]
    if name == "go" and verb == "run" and any("@" in t for t in later[:1]):
        fx.cls("package-install", "network")
        fx.cmd.notes.append("go run PKG@VERSION downloads and runs a module")
        return
    if (name, verb) in (("pnpm", "self-update"), ("yarn", "set"), ("yarn", "policies")):
        fx.cls("package-install", "network")
        return
    if name == "npm" and verb in ("config", "c") and _npm_config(fx, rest):
        return
    if name == "npm" and verb == "set" and _npm_config(fx, [Word("set"), *rest]):
        return
    if name in ("npm", "pnpm", "yarn") and (
        (verb == "pack" and any(not _local_spec(t) for t in later))
        or (verb == "cache" and later[:1] == ["add"])
    ):
        fx.cls("network")
        return
    if name == "npm" and verb in ("run", "run-script", "rum", "urn") and later[:1] == ["env"]:
        from agentguard.shell.project import package_scripts

        found = package_scripts(fx.cwd or fx.base)
        if found is None or "env" not in found[1]:
            fx.cls("env-dump", "secret-read")
            fx.cmd.notes.append("npm run env prints the environment")
            return
    if name == "pip":
        pip(fx, args)
        return
    if name == "deno" and verb in ("eval", "repl"):
        fx.cls("opaque")
        fx.cmd.notes.append("deno eval runs inline code")
        return
    if name == "deno" and verb == "run":
        script = next((w for w in rest if not w.text.startswith("-")), None)
        if script is not None and (
            is_remote(script.text) or script.text.startswith(("npm:", "jsr:"))
        ):
            fx.cls("network", "opaque")
            fx.cmd.notes.append(f"deno run {script.text} downloads and runs code")
        else:
            script_file(fx, script)
        return
    if name == "pacman":
        if any(a.text[:2] in ("-S", "-U", "-R") for a in args):
            fx.cls("package-install", "network")
        return
    if name == "yarn" and not verb:
        fx.cls("package-install", "network")
        return
    if name == "uv" and verb == "pip" and i + 1 < len(args):
        if args[i + 1].text in ("install", "uninstall", "sync", "compile"):
            fx.cls("package-install", "network")
        return
    if name == "uv" and verb == "run":
        return
    if name == "go" and verb == "mod":
        sub = args[i + 1].text if i + 1 < len(args) else ""
        if sub in ("download", "tidy", "vendor", "get"):
            fx.cls("network")
            if sub == "tidy":
                fx.cls("file-write")
                fx.add("write", Word("go.mod"))
        return
    if name == "npm" and verb == "version":
        if i + 1 < len(args) and not args[i + 1].text.startswith("-"):
            fx.cls("file-write")
            fx.add("write", Word("package.json"))
        return
    if (
        name == "npm"
        and verb in ("pkg", "set-script")
        and any(a.text in ("set", "delete") for a in args[i + 1 :])
    ):
        fx.cls("file-write")
        fx.add("write", Word("package.json"))
        return
    if verb in verb_set(fx.facts, "publish"):
        fx.cls("deploy", "network")
        return
    if verb in verb_set(fx.facts, "install"):
        if name in ("uv", "dotnet") and verb in ("tool", "python", "venv", "init", "lock"):
            sub = args[i + 1].text if i + 1 < len(args) else ""
            if verb == "lock":
                fx.cls("network")
                return
            if verb in ("venv", "init") or sub in ("list", "dir", "find", "--help"):
                return
            if verb == "tool" and sub == "run":
                return
        if (
            name == "brew"
            and verb == "bundle"
            and i + 1 < len(args)
            and args[i + 1].text in ("check", "list")
        ):
            return
        fx.cls("package-install", "network")
        return
    if verb in verb_set(fx.facts, "registry"):
        fx.cls("network")
        return
    if verb in verb_set(fx.facts, "read") or verb in ("--version", "-v", "version", "help"):
        fx.cls("read-only")


def _local_spec(text: str) -> bool:
    return text.startswith(("./", "../", "/", "~", "file:")) or text in (".", "..")


def corepack(fx: Effects) -> None:
    """``corepack``: installs package managers (but ``--version``/``--help``)."""
    if [w.text for w in fx.args][:1] in (["--version"], ["-v"], ["--help"], ["-h"]):
        fx.cls("read-only")
        return
    fx.cls("package-install", "network")
    fx.cmd.notes.append("corepack installs package managers")


def pip(fx: Effects, args: list[Word]) -> None:
    """``pip VERB``: install/uninstall install, registry verbs fetch, read verbs read."""
    verbs = [a.text for a in args if not a.text.startswith("-")]
    verb = verbs[0] if verbs else ""
    if verb in ("install", "uninstall"):
        fx.cls("package-install", "network")
    elif verb in verb_set(PROGRAMS["pip"], "registry"):
        fx.cls("network")
    elif verb in verb_set(PROGRAMS["pip"], "read") or not verb:
        fx.cls("read-only")


def _npm_config(fx: Effects, rest: list[Word]) -> bool:
    """``npm config set KEY VALUE`` writes ~/.npmrc; some keys choose code that runs."""
    verbs = [w.text for w in rest if not w.text.startswith("-")]
    if not verbs or verbs[0] not in ("set", "delete", "rm", "edit", "fix"):
        return False
    fx.cls("file-write")
    location = next(
        (w.text.split("=", 1)[1] for w in rest if w.text.startswith("--location=")), "user"
    )
    if any(w.text in ("-g", "--global") for w in rest) or location == "global":
        fx.cmd.unresolved.append(("write", "(the global npmrc)"))
    elif location == "project":
        fx.add("write", Word(".npmrc"))
    else:
        fx.add("write", Word("~/.npmrc"))
    keys = [v.split("=", 1)[0].lstrip("-").lower() for v in verbs[1:2]]
    risky = (
        "script-shell",
        "node-options",
        "prefix",
        "globalconfig",
        "userconfig",
        "shell",
        "editor",
        "git",
        "browser",
        "viewer",
        "init-module",
        "onload-script",
        "registry",
        "ignore-scripts",
        "node-gyp",
        "npm-path",
    )
    if verbs[0] == "edit" or any(k.replace("_", "-") in risky for k in keys):
        fx.cls("opaque")
        fx.cmd.notes.append(f"npm config {' '.join(verbs[:2])} changes what code npm runs")
    return True


def upgrader(fx: Effects) -> None:
    """Dependency upgraders (npm-check-updates): they query the registry, and with
    ``-u`` rewrite package.json, which is a dependency upgrade."""
    fx.cls("network")
    args = fx.args
    if any(a.text in ("-u", "--upgrade") or a.text.startswith("--upgrade=") for a in args):
        fx.cls("package-install", "file-write")
        fx.add("write", Word("package.json"))


def astro(fx: Effects) -> None:
    """``astro add`` installs integrations (package.json, the lockfile, the config)."""
    ops = [w for w in fx.args if not w.text.startswith("-")]
    if ops and ops[0].text == "add":
        fx.cls("package-install", "network")
