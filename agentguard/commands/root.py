"""The cold-path command line: argparse over every subcommand but ``hook``, and the one
error handler every command runs under (exit codes from :mod:`agentguard.errors`)."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence

from agentguard import __version__, diag, errors

# subcommand -> (module, function, one-line help), in the order of the workflow: try it,
# set it up, write and check the policy, run the agents, read what happened, plumbing.
# Modules load only when used.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "demo": ("agentguard.commands.demo", "main", "replay the article's example through the hook"),
    "init": ("agentguard.commands.init", "main", "write agentguard.yaml and install the hooks"),
    "install": ("agentguard.commands.install", "install_main", "add the hooks to settings.json"),
    "doctor": ("agentguard.commands.doctor", "main", "check the guard really runs, per worktree"),
    "explain": ("agentguard.commands.explain", "main", "show the decision for a call and why"),
    "lint": ("agentguard.commands.lint", "main", "check policies: schema, examples, semantics"),
    "test": ("agentguard.commands.policytest", "main", "run the policy's own tests"),
    "compile": ("agentguard.commands.compile", "main", "compile the policy cache (and check it)"),
    "schema": ("agentguard.commands.schema", "main", "print or write the policy JSON Schema"),
    "memory": (
        "agentguard.commands.memory",
        "main",
        "lint CLAUDE.md & co. against repo and policy",
    ),
    "agents": ("agentguard.commands.agents", "main", "set up, inspect, remove agent worktrees"),
    "verify": ("agentguard.commands.verify", "main", "check a branch stayed in its agent's lane"),
    "integrate": ("agentguard.commands.integrate", "main", "plan or run the integration merges"),
    "logs": ("agentguard.commands.logs", "main", "sessions, report, loops, suggest, export …"),
    "approve": ("agentguard.commands.approve", "main", "turn one logged ask into a reviewed rule"),
    "metrics": (
        "agentguard.commands.metrics",
        "main",
        "cost per merged change, by agent and model",
    ),
    "wrap": ("agentguard.commands.wrap", "main", "run a team's own hook with a loop cap"),
    "uninstall": ("agentguard.commands.install", "uninstall_main", "remove agentguard's hooks"),
    "hook": (
        "agentguard.commands.hook_help",
        "main",
        "run as a Claude Code hook: agentguard hook PreToolUse",
    ),
}

CRASH_HINT = "please report it with that file"
# Failures that say what is wrong in their own words: one line, exit 2, no crash file.
KNOWN: tuple[type[BaseException], ...] = (
    errors.GuardError,
    errors.PolicyError,
    errors.GitError,
    errors.SettingsError,
    errors.InstallError,
    errors.VerifyError,
    errors.LogReadError,
    errors.EngineError,
    OSError,
)


def main(argv: Sequence[str] | None = None) -> int:
    """Dispatch ``agentguard <command> …`` under the one error handler."""
    args = list(sys.argv[1:] if argv is None else argv)
    while args and args[0] in ("-v", "--verbose"):
        args.pop(0)
        os.environ[diag.VERBOSE_ENV] = "1"  # subprocesses of the command inherit it
        diag.configure(verbose=True)
    name = args[0] if args and args[0] in COMMANDS else None
    return handle(name, lambda: _dispatch(name, args))


def _dispatch(name: str | None, args: list[str]) -> int:
    if name is None:
        parser = _parser()
        parsed = parser.parse_args(args)  # --version, --help, or an error naming the commands
        if parsed.command is None:
            parser.print_help()
        return errors.USAGE
    module_name, func, _ = COMMANDS[name]
    module = importlib.import_module(module_name)
    result: int = getattr(module, func)(args[1:])
    return result


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="agentguard",
        description="Claude Code hooks and a declarative policy for parallel coding agents.",
        epilog=_exit_codes(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"agentguard {__version__}")
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="print what the command does on stderr"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command, (_, _, help_text) in COMMANDS.items():
        sub.add_parser(command, help=help_text, add_help=False)
    return parser


def _exit_codes() -> str:
    by_code: dict[int, list[str]] = {}
    for meaning, code in errors.EXIT.items():
        by_code.setdefault(code, []).append(meaning)
    lines = [f"  {code:<4} {', '.join(meanings)}" for code, meanings in by_code.items()]
    return "exit codes:\n" + "\n".join(lines)


def handle(name: str | None, run: Callable[[], int]) -> int:
    """Run one command and map how it ended to an exit code; never print a traceback.

    A known failure (a guard, policy, git or settings error, a file that cannot be
    read) is one line on stderr; anything else writes a crash file and names it.
    """
    where = f"agentguard {name}" if name else "agentguard"
    try:
        try:
            result = run()
        except SystemExit as exc:  # argparse: --help is 0, a usage error 2
            result = _system_exit(exc)
        # What is still buffered must reach the reader before the code says "done".
        sys.stdout.flush()
        return result
    except BrokenPipeError:
        # The reader went away (`agentguard logs timeline | head -1`): not an error of ours.
        # Point stdout at /dev/null so the interpreter's final flush does not complain.
        _silence_stdout()
        return errors.PIPE_CLOSED
    except KeyboardInterrupt:
        _say(f"\n{where}: interrupted")
        return errors.INTERRUPTED
    except KNOWN as exc:
        _say(f"{where}: {_one_line(exc)}")
        return errors.USAGE
    except Exception as exc:
        path = crash_file(exc, name)
        where_file = path or "(no crash file could be written)"
        _say(
            f"{where}: unexpected error ({type(exc).__name__}: {_one_line(exc)}); "
            f"the traceback is in {where_file}; {CRASH_HINT}"
        )
        return errors.USAGE


def _system_exit(exc: SystemExit) -> int:
    code = exc.code
    if code is None:
        return errors.OK
    if isinstance(code, int):
        return code
    _say(str(code))
    return errors.USAGE


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


def _say(line: str) -> None:
    try:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):  # stderr is gone too: the exit code still says it
        pass


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # stdout is not a real file (a test's StringIO)
        pass


def crash_file(exc: BaseException, name: str | None) -> str | None:
    """Write the traceback of an unexpected ``exc`` to a file; its path, or None."""
    import platform
    import traceback

    stamp = time.strftime("%Y%m%dT%H%M%S")
    body = (
        f"agentguard {__version__}, Python {platform.python_version()}, {platform.platform()}\n"
        f"command: agentguard {name or ''}\n"
        + "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    )
    for folder in _crash_folders():
        try:
            os.makedirs(folder, exist_ok=True)
            path = os.path.join(folder, f"cli-{stamp}-{os.getpid()}.log")
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(body)
            return path
        except OSError:
            continue
    return None


def _crash_folders() -> list[str]:
    folders: list[str] = []
    try:
        from agentguard.state.home import home

        folders.append(os.path.join(home(os.getcwd()), "crash"))
    except Exception:  # no state home here (the folder is gone): the temp folder will do
        pass
    folders.append(os.path.join(tempfile.gettempdir(), "agentguard-crash"))
    return folders
