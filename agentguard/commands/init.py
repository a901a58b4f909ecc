"""``agentguard init``: write a policy from a template, then install the hooks.

    agentguard init                                   # the default policy
    agentguard init --template astro-blog-discovery   # the article's worked example
    agentguard init --project ../repo --force         # overwrite an existing policy
    agentguard init --dry-run                         # say what it would write

Writes ``agentguard.yaml`` at the root of the repository (from a subfolder too) with a
``yaml-language-server`` header pointing at ``.claude/agentguard.schema.json`` (written
beside it, in the folder agents may not edit), so an editor with a YAML language server
completes and documents the policy; then runs ``agentguard install`` for the project
(options after ``--`` go to install). Refuses to overwrite an existing policy without ``--force``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from agentguard.commands import install, schema, settings_file, usage
from agentguard.errors import GuardError
from agentguard.policy import compiled

SCHEMA_REF = ".claude/agentguard.schema.json"
HEADER = f"# yaml-language-server: $schema={SCHEMA_REF}"


def templates() -> dict[str, str]:
    """Template name -> policy file shipped with agentguard."""
    folder = os.path.dirname(compiled.bundled_default())
    out = {"default": os.path.join(folder, "default.yaml")}
    examples = os.path.join(folder, "examples")
    if os.path.isdir(examples):
        for name in sorted(os.listdir(examples)):
            if name.endswith(".yaml"):
                out[name[: -len(".yaml")]] = os.path.join(examples, name)
    return out


def render(template: str) -> str:
    """The template's text with the schema header pointing at the project's schema copy."""
    with open(template, encoding="utf-8") as fh:
        lines = fh.read().splitlines(keepends=True)
    if lines and lines[0].startswith("# yaml-language-server:"):
        lines = lines[1:]
    return HEADER + "\n" + "".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Scaffold and install; 0 done, 1 the install failed, 2 refused or bad usage."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    passthrough: list[str] = []
    if "--" in args_list:
        cut = args_list.index("--")
        passthrough, args_list = args_list[cut + 1 :], args_list[:cut]
    try:
        choices = templates()
    except GuardError as exc:
        print(f"agentguard init: {exc}", file=sys.stderr)
        return 2
    parser = argparse.ArgumentParser(
        prog="agentguard init",
        description=usage.plain(__doc__),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--template", choices=sorted(choices), default="default")
    parser.add_argument(
        "--project",
        default=None,
        help="project folder (default: the root of the repository the current folder is in)",
    )
    parser.add_argument("--force", action="store_true", help="overwrite an existing policy")
    parser.add_argument("--no-install", action="store_true", help="only write the policy")
    parser.add_argument(
        "--dry-run", action="store_true", help="say what would be written, write nothing"
    )
    args = parser.parse_args(args_list)
    # From a subfolder too: the policy and the hooks belong at the repository's root.
    project = os.path.abspath(args.project or compiled.project_root(os.getcwd(), os.environ))
    if not os.path.isdir(project):
        print(f"agentguard init: {project} is not a folder; create it first", file=sys.stderr)
        return 2
    target = os.path.join(project, compiled.PROJECT_FILE)
    if os.path.exists(target) and not args.force:
        print(
            f"agentguard init: {target} already exists; edit it, or pass --force to replace it"
            " with the template",
            file=sys.stderr,
        )
        return 2
    layered = os.path.join(project, compiled.PROJECT_DIR)
    if os.path.isdir(layered):
        print(
            f"agentguard init: note: {layered}/ exists; {compiled.PROJECT_FILE} takes precedence"
            " over it from now on",
            file=sys.stderr,
        )
    if args.dry_run:
        print(f"would write {target} (template {args.template}) and {SCHEMA_REF}")
        print(f"would write {compiled.MARKER}: this project's policy is {compiled.PROJECT_FILE}")
        if args.no_install:
            print("dry run: nothing written")
            return 0
        return 1 if install.install_main(["--project", project, "--dry-run", *passthrough]) else 0
    settings_file.write_atomic(target, render(choices[args.template]))
    settings_file.write_atomic(os.path.join(project, SCHEMA_REF), schema.render())
    install.mark_policy(project)
    print(f"wrote {target} (template {args.template}) and {SCHEMA_REF}")
    if args.no_install:
        return 0
    code = install.install_main(["--project", project, *passthrough])
    if code == 0:
        print(
            "next: review the policy, run `agentguard lint` and `agentguard test`, commit,"
            " then `agentguard agents up` to create the agents' worktrees"
        )
    return 1 if code else 0


if __name__ == "__main__":
    raise SystemExit(main())
