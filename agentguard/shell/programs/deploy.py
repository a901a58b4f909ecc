"""Deploy tools and cloud CLIs: ``wrangler``, ``kubectl``, ``terraform``, ``vercel``, ``aws``,
``gh``, ``docker`` …

Hot path, loaded only when a line names one of these programs.
"""

from __future__ import annotations

from agentguard.shell.effects import (
    Effects,
    verb_set,
)


def deploy(fx: Effects) -> None:
    """Deploy tools: a deploy verb (``wrangler deploy``, ``kubectl apply``) deploys."""
    name = fx.cmd.program
    ops = [w for w in fx.args if not w.text.startswith("-")]
    flags = [w.text for w in fx.args if w.text.startswith("-")]
    verb = ops[0].text if ops else ""
    # ``wrangler --env prod deploy``: the guard does not know every tool's value options,
    # so the word after a bare flag may be its value; the verb may be the next word.
    bare = [
        w
        for j, w in enumerate(fx.args)
        if not w.text.startswith("-")
        and not (j and fx.args[j - 1].text.startswith("-") and "=" not in fx.args[j - 1].text)
    ]
    verbs = verb_set(fx.facts, "deploy")
    if verb not in verbs and bare and bare[0].text in verbs:
        ops = bare
        verb = ops[0].text
    if (
        name == "wrangler"
        and verb == "pages"
        and any(w.text in ("deploy", "publish") for w in ops[1:])
    ):
        fx.cmd.subcommand = verb
        fx.cls("deploy", "network")
        return
    fx.cmd.subcommand = verb or None
    if "--help" in flags or "-h" in flags or verb == "help" or "--version" in flags:
        fx.cls("read-only")
        return
    if ops and ops[0].dynamic:
        fx.cls("opaque")
        return
    if name in ("vercel", "vc"):
        if (
            not verb
            or verb
            in (
                "deploy",
                "promote",
                "redeploy",
                "rollback",
                "alias",
                "remove",
                "rm",
                "domains",
                "dns",
                "secrets",
                "certs",
            )
            or "--prod" in flags
        ):
            fx.cls("deploy", "network")
        else:
            fx.cls("network")
        return
    if fx.facts.get("deploys_always"):
        fx.cls("deploy", "network")
        return
    if name == "wrangler" and verb == "pages" and len(ops) > 1:
        if ops[1].text in ("deploy", "publish"):
            fx.cls("deploy", "network")
        return
    if name == "docker" and verb in ("pull", "login", "search"):
        fx.cls("network")
        return
    if name in ("docker", "podman") and verb != "push":
        return
    if name in ("aws", "gcloud", "az"):
        words = [w.text for w in ops]
        risky = (
            "create",
            "update",
            "delete",
            "put",
            "deploy",
            "publish",
            "remove",
            "terminate",
            "run-instances",
            "start",
            "stop",
            "reboot",
            "modify",
            "attach",
            "detach",
            "invoke",
            "import",
            "register",
            "deregister",
            "set",
            "add",
            "cp",
            "mv",
            "rm",
            "sync",
            "mb",
            "rb",
            "apply",
            "scale",
            "restart",
            "upload",
            "submit",
            "replace",
            "patch",
            "rollback",
            "enable",
            "disable",
        )
        fx.cls("network")
        if any(w.split("-", 1)[0] in risky or w in risky for w in words[1:]):
            fx.cls("deploy")
        return
    if verb in verbs:
        if (
            name == "terraform"
            and verb == "workspace"
            and len(ops) > 1
            and ops[1].text in ("list", "show", "select")
        ):
            fx.cls("network")
            return
        fx.cls("deploy", "network")
        return
    fx.cls("network")


def gh(fx: Effects) -> None:
    """``gh``: releases, workflow runs, repository and secret changes deploy; ``pr merge``
    merges."""
    ops = [w.text for w in fx.args if not w.text.startswith("-")]
    flags = [w.text for w in fx.args if w.text.startswith("-")]
    fx.cls("network")
    if len(ops) < 1:
        return
    group, action = ops[0], ops[1] if len(ops) > 1 else ""
    fx.cmd.subcommand = group
    if (group, action) in (
        ("release", "create"),
        ("release", "upload"),
        ("release", "delete"),
        ("release", "edit"),
        ("workflow", "run"),
        ("run", "rerun"),
        ("repo", "delete"),
        ("repo", "create"),
        ("repo", "edit"),
        ("repo", "rename"),
        ("repo", "archive"),
        ("secret", "set"),
        ("secret", "delete"),
        ("variable", "set"),
        ("variable", "delete"),
        ("workflow", "enable"),
        ("workflow", "disable"),
    ):
        fx.cls("deploy")
    elif (group, action) == ("pr", "merge"):
        fx.cls("merge")
        fx.cmd.refs.append("(pull request base)")
    elif (group, action) == ("auth", "token") or (group == "auth" and "--show-token" in flags):
        fx.cls("credential-read")
    elif group == "api":
        method = ""
        for i, f in enumerate(fx.args):
            if f.text in ("-X", "--method") and i + 1 < len(fx.args):
                method = fx.args[i + 1].text.upper()
            elif f.text.startswith(("--method=", "-X")) and len(f.text) > 2:
                method = f.text.split("=", 1)[-1].removeprefix("-X").upper()
        if method in ("POST", "PUT", "PATCH", "DELETE") or any(
            f in ("-f", "-F", "--field", "--raw-field", "--input") for f in flags
        ):
            fx.cls("deploy")


def docker(fx: Effects) -> None:
    """``docker run/exec/build`` run code in a container; ``push`` deploys."""
    ops = [w.text for w in fx.args if not w.text.startswith("-")]
    if ops and ops[0] in ("run", "exec", "create", "start", "compose", "build", "buildx"):
        fx.cls("opaque")
        fx.cmd.notes.append(f"{fx.cmd.program} {ops[0]} runs code in a container")
        return
    if ops[:2] in (["container", "run"], ["container", "exec"], ["container", "create"]):
        fx.cls("opaque")
        return
    deploy(fx)
