"""Claude Code's tools as agentguard knows them: what each one does, which field names its path.

Hot path, data only: one dict literal, read by the PreToolUse evaluation, the PostToolUse
evidence, the log summary, event validation, ``explain``, ``agentguard test`` and the log
views, so a new tool (or a renamed field) is added here once.

Kinds:

- ``write``: changes the file its path field names; ``read``: reads it.
- ``search``: reads under the folder its (optional) path field names; the call's cwd otherwise.
- ``shell``: runs a command line (``Bash``; ``Monitor`` may open a WebSocket instead).
- ``web``: reaches the network (``WebFetch`` a URL, ``WebSearch`` a query).
- ``identity``: changes which worktree, so which agent, the session is.
- ``neutral``: touches no file, network or identity by itself; no opinion (the comment says why).

Tools absent here (MCP tools, ``CronCreate``, ``ReadMcpResourceTool``, anything new) are
judged by name in :mod:`agentguard.engine.evaluate`, or as unknown tools.
"""

from __future__ import annotations

WRITE = "write"
READ = "read"
SEARCH = "search"
SHELL = "shell"
WEB = "web"
IDENTITY = "identity"
NEUTRAL = "neutral"

# tool name -> (kind, tool_input field holding the path it acts on, "" when none). Old names
# stay for older Claude Code versions (2.1.332 maps Task to Agent, KillShell and KillBash to
# TaskStop, ListPeers to ListAgents).
TOOLS: dict[str, tuple[str, str]] = {
    "Write": (WRITE, "file_path"),
    "Edit": (WRITE, "file_path"),
    "MultiEdit": (WRITE, "file_path"),
    "NotebookEdit": (WRITE, "notebook_path"),
    "Read": (READ, "file_path"),
    "NotebookRead": (READ, "notebook_path"),
    "Glob": (SEARCH, "path"),
    "Grep": (SEARCH, "path"),
    "LS": (SEARCH, "path"),
    "Bash": (SHELL, ""),
    "Monitor": (SHELL, ""),
    "WebFetch": (WEB, ""),
    "WebSearch": (WEB, ""),
    # Moving to another worktree changes who the agent is: one agent, one worktree.
    "EnterWorktree": (IDENTITY, ""),
    "ExitWorktree": (IDENTITY, ""),
    # Subagents are guarded call by call, like their parent.
    "Agent": (NEUTRAL, ""),  # a subagent's calls are judged one by one
    "Task": (NEUTRAL, ""),  # a subagent's calls are judged one by one
    "Workflow": (NEUTRAL, ""),  # it runs subagents, whose calls are judged one by one
    "SendMessage": (NEUTRAL, ""),  # a message to another agent; the recipient's calls are judged
    "ListAgents": (NEUTRAL, ""),  # lists agents and sessions; reads no file
    "ListPeers": (NEUTRAL, ""),  # lists agents and sessions; reads no file
    "TaskStop": (NEUTRAL, ""),  # stops a background task
    "KillShell": (NEUTRAL, ""),  # stops a background task
    "KillBash": (NEUTRAL, ""),  # stops a background task
    "TaskCreate": (NEUTRAL, ""),  # the session's own task list
    "TaskGet": (NEUTRAL, ""),  # the session's own task list
    "TaskList": (NEUTRAL, ""),  # the session's own task list
    "TaskOutput": (NEUTRAL, ""),  # the output of a task already judged
    "TaskUpdate": (NEUTRAL, ""),  # the session's own task list
    "TodoWrite": (NEUTRAL, ""),  # the session's own task list
    "TodoRead": (NEUTRAL, ""),  # the session's own task list
    "BashOutput": (NEUTRAL, ""),  # the output of a command already judged
    "ReportFindings": (NEUTRAL, ""),  # reports review findings to the user
    # Later turns of the same session are judged call by call.
    "ScheduleWakeup": (NEUTRAL, ""),  # wakes this session later; its calls are judged then
    "CronList": (NEUTRAL, ""),  # lists scheduled prompts
    "CronDelete": (NEUTRAL, ""),  # removes a scheduled prompt; it makes the agent do nothing
    # A skill's shell commands fire PreSkillShellCommand (2.1.332+).
    "Skill": (NEUTRAL, ""),  # loads instructions
    "ExitPlanMode": (NEUTRAL, ""),  # a mode of the conversation
    "EnterPlanMode": (NEUTRAL, ""),  # a mode of the conversation
    "AskUserQuestion": (NEUTRAL, ""),  # asks the human
    # A deferred tool, once loaded, fires its own PreToolUse under its real name.
    "ToolSearch": (NEUTRAL, ""),  # loads tool schemas; the tools it loads are judged when called
    "DeferredToolPlaceholder": (NEUTRAL, ""),  # stands for tools not loaded yet; nothing runs
    "ListMcpResourcesTool": (NEUTRAL, ""),  # lists MCP resources
}

# Every path field of the table, in its order: what a log summary or a subject keeps first.
PATH_FIELDS: tuple[str, ...] = ("file_path", "notebook_path", "path")


def kind(tool: str) -> str | None:
    """The kind of ``tool`` (``write``, ``read``, ``search`` …), None when the table lacks it."""
    entry = TOOLS.get(tool)
    return entry[0] if entry is not None else None


def path_field(tool: str, default: str = "file_path") -> str:
    """The ``tool_input`` field that names ``tool``'s path (``default`` when it has none)."""
    entry = TOOLS.get(tool)
    return entry[1] if entry is not None and entry[1] else default
