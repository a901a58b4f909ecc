"""A scripted fake of the Anthropic Messages API, for driving the real Claude Code offline.

The server listens on 127.0.0.1 (ephemeral port) and answers ``POST /v1/messages`` the
way Claude Code 2.1.197 expects (SSE when ``stream`` is true, a plain Message otherwise),
``POST /v1/messages/count_tokens`` and any ``GET``. A *script* picks each answer:

- a list of steps, chosen by the number of ``tool_result`` blocks in the request (step
  ``n`` answers the request that carries ``n`` results); each step is a list of blocks
  made with :func:`text` and :func:`tool_use`. Past the last step the model says
  ``"done"`` and ends its turn.
- or a callable ``(request_body) -> blocks`` for anything that needs more state
  (Stop-hook feedback counting, subagent prompts).

Every request body is recorded, so a test can check what the model was told: the
``tool_result`` blocks (:func:`tool_results`) and the extra text blocks that carry
``<system-reminder>`` context and Stop hook feedback (:func:`extra_texts`). Where hook
output lands differs by version (2.1.332 prefixes deny reasons, may put context in
``role:"system"`` messages or inside tool results, and wraps Stop feedback), so
:attr:`ToolResult.reason`, :func:`hook_texts` and :func:`stop_feedback` read it
wherever it is. See /work/shared/docs/claude-code-hooks.md sections 12 and 13.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Block = dict[str, Any]
Body = dict[str, Any]
Responder = Callable[[Body], Sequence[Block]]
Script = Sequence[Sequence[Block]] | Responder

FINAL_TEXT = "done"
STOP_FEEDBACK = "Stop hook feedback:"
# 2.1.332 shows a PreToolUse deny as ``PreToolUse:Write hook error: <reason>``.
_DENY_PREFIX = re.compile(r"\A[A-Za-z]+:[A-Za-z0-9_.-]+ hook error: ")
# Some models get hook context appended to the tool result's own text.
_REMINDER = re.compile(r"\s*<system-reminder>.*?</system-reminder>\s*", re.DOTALL)


def text(value: str) -> Block:
    """A text block the fake model says."""
    return {"type": "text", "text": value}


def tool_use(name: str, tool_input: dict[str, Any]) -> Block:
    """A tool call the fake model makes (the server gives it a unique ``toolu_`` id)."""
    return {"type": "tool_use", "name": name, "input": tool_input}


class ToolResult:
    """One ``tool_result`` block as the model received it, with the call it answers."""

    __slots__ = ("content", "is_error", "name", "tool_input", "tool_use_id")

    def __init__(
        self,
        tool_use_id: str,
        content: str,
        is_error: bool,
        name: str | None,
        tool_input: dict[str, Any] | None,
    ) -> None:
        self.tool_use_id = tool_use_id
        self.content = content
        self.is_error = is_error
        self.name = name
        self.tool_input = tool_input

    @property
    def reminders(self) -> list[str]:
        """``<system-reminder>`` blocks the binary appended to the tool's own text."""
        return [m.group().strip() for m in _REMINDER.finditer(self.content)]

    @property
    def reason(self) -> str:
        """The text without what the version wrapped it in (deny prefix, reminders).

        A hook's deny reason comes out exactly as the hook wrote it, on every version.
        """
        return _DENY_PREFIX.sub("", _REMINDER.sub("\n", self.content).strip(), count=1)

    def __repr__(self) -> str:
        return (
            f"ToolResult(name={self.name!r}, is_error={self.is_error!r}, "
            f"content={self.content[:300]!r})"
        )


def _blocks(message: dict[str, Any]) -> list[Block]:
    content = message.get("content")
    if isinstance(content, str):
        return [text(content)]
    if isinstance(content, list):
        return [block for block in content if isinstance(block, dict)]
    return []


def _content_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(
            str(block.get("text", ""))
            for block in content
            if isinstance(block, dict) and block.get("type") == "text"
        )
    return ""


def _user_messages(body: Body) -> list[dict[str, Any]]:
    # A ``role:"system"`` message can sit mid-list (agent lists, SessionStart context).
    return [m for m in body.get("messages", []) if isinstance(m, dict) and m.get("role") == "user"]


def count_tool_results(body: Body) -> int:
    """How many ``tool_result`` blocks the request carries (the step number of a list script)."""
    return sum(
        1
        for message in _user_messages(body)
        for block in _blocks(message)
        if block.get("type") == "tool_result"
    )


def tool_results(body: Body) -> list[ToolResult]:
    """The ``tool_result`` blocks of one request, in order, each joined to its ``tool_use``."""
    calls: dict[str, Block] = {}
    for message in body.get("messages", []):
        if isinstance(message, dict) and message.get("role") == "assistant":
            for block in _blocks(message):
                if block.get("type") == "tool_use":
                    calls[str(block.get("id"))] = block
    found: list[ToolResult] = []
    for message in _user_messages(body):
        for block in _blocks(message):
            if block.get("type") != "tool_result":
                continue
            tool_use_id = str(block.get("tool_use_id"))
            call = calls.get(tool_use_id)
            found.append(
                ToolResult(
                    tool_use_id=tool_use_id,
                    content=_content_text(block.get("content")),
                    is_error=bool(block.get("is_error", False)),
                    name=None if call is None else str(call.get("name")),
                    tool_input=None if call is None else call.get("input"),
                )
            )
    return found


def first_user_text(body: Body) -> str:
    """The text of the first user message: the prompt (and, for a subagent, its Agent prompt)."""
    users = _user_messages(body)
    if not users:
        return ""
    return "\n".join(
        str(block.get("text", "")) for block in _blocks(users[0]) if block.get("type") == "text"
    )


def extra_texts(body: Body) -> list[str]:
    """Text blocks of user messages after the first one: reminders, hook context, Stop feedback."""
    return [
        str(block.get("text", ""))
        for message in _user_messages(body)[1:]
        for block in _blocks(message)
        if block.get("type") == "text"
    ]


def system_texts(body: Body) -> list[str]:
    """Text of mid-list ``role:"system"`` messages (SessionStart/UserPromptSubmit context)."""
    return [
        _content_text(message.get("content"))
        for message in body.get("messages", [])
        if isinstance(message, dict) and message.get("role") == "system"
    ]


def hook_texts(body: Body) -> list[str]:
    """Texts that can carry hook output: extra user blocks, system messages, reminders.

    2.1.197 puts PostToolUse context in extra user blocks; 2.1.332 in a mid-list
    ``role:"system"`` message or (some models) inside the tool result's text.
    """
    reminders = [r for result in tool_results(body) for r in result.reminders]
    return extra_texts(body) + system_texts(body) + reminders


def stop_feedback(body: Body) -> list[str]:
    """The reason of each Stop block in one request, in order, without the wrapping.

    2.1.197 sends ``Stop hook feedback:\n<reason>`` as a user block; 2.1.332 wraps it in
    a ``<system-reminder>`` with a preamble (and repeats it in a system message, which is
    not counted here, so that the count is one per block).
    """
    found = []
    for block in extra_texts(body):
        if STOP_FEEDBACK in block:
            reason = block.split(STOP_FEEDBACK, 1)[1]
            found.append(reason.replace("</system-reminder>", "").strip())
    return found


def _step_script(steps: Sequence[Sequence[Block]]) -> Responder:
    def respond(body: Body) -> Sequence[Block]:
        index = count_tool_results(body)
        if index < len(steps):
            return steps[index]
        return [text(FINAL_TEXT)]

    return respond


class FakeAnthropic:
    """A threaded fake Messages API on 127.0.0.1 that answers from a script and records requests."""

    def __init__(self, script: Script) -> None:
        self.responder: Responder = script if callable(script) else _step_script(script)
        self.requests: list[Body] = []
        self.errors: list[str] = []
        self.other_requests: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The base URL to put in ``ANTHROPIC_BASE_URL``."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FakeAnthropic:
        """Serve in a daemon thread until :meth:`stop`."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> FakeAnthropic:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def tool_results(self) -> list[ToolResult]:
        """Every ``tool_result`` the model received across all requests, once each, in order."""
        seen: dict[str, ToolResult] = {}
        for body in self.snapshot():
            for result in tool_results(body):
                seen.setdefault(result.tool_use_id, result)
        return list(seen.values())

    def extra_texts(self) -> list[str]:
        """Extra user text blocks (reminders, Stop feedback) across all requests, once each."""
        seen: dict[str, None] = {}
        for body in self.snapshot():
            for value in extra_texts(body):
                seen.setdefault(value, None)
        return list(seen)

    def hook_texts(self) -> list[str]:
        """:func:`hook_texts` across all requests, once each."""
        seen: dict[str, None] = {}
        for body in self.snapshot():
            for value in hook_texts(body):
                seen.setdefault(value, None)
        return list(seen)

    def stop_feedback(self) -> list[str]:
        """:func:`stop_feedback` across all requests: each block once, repeats kept."""
        # Keyed by (reason, how many times it came before in that request): a growing
        # conversation repeats earlier blocks, but the same reason twice is two blocks.
        seen: dict[tuple[str, int], None] = {}
        for body in self.snapshot():
            counts: dict[str, int] = {}
            for reason in stop_feedback(body):
                counts[reason] = counts.get(reason, 0) + 1
                seen.setdefault((reason, counts[reason]), None)
        return [reason for reason, _ in seen]

    def snapshot(self) -> list[Body]:
        """A copy of the recorded ``/v1/messages`` bodies, safe to iterate while serving."""
        with self._lock:
            return list(self.requests)

    def next_id(self, prefix: str) -> str:
        """A fresh id: Claude Code merges assistant messages that share one."""
        return f"{prefix}{next(self._ids):06d}fake{threading.get_ident() % 10_000:04d}"

    def answer(self, body: Body) -> tuple[list[Block], str]:
        """Run the script on ``body``: the content blocks (ids filled in) and the stop reason."""
        blocks: list[Block] = []
        for block in self.responder(body):
            if block.get("type") == "tool_use":
                blocks.append(
                    {
                        "type": "tool_use",
                        "id": self.next_id("toolu_"),
                        "name": block["name"],
                        "input": block.get("input", {}),
                    }
                )
            else:
                blocks.append({"type": "text", "text": str(block.get("text", ""))})
        if not blocks:
            blocks = [text(FINAL_TEXT)]
        stop = "tool_use" if any(b["type"] == "tool_use" for b in blocks) else "end_turn"
        return blocks, stop

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _send(self, status: int, payload: bytes, content_type: str) -> None:
                self.send_response(status)
                self.send_header("content-type", content_type)
                self.send_header("content-length", str(len(payload)))
                self.send_header("request-id", fake.next_id("req_"))
                self.end_headers()
                self.wfile.write(payload)

            def _json(self, status: int, payload: Any) -> None:
                self._send(status, json.dumps(payload).encode(), "application/json")

            def do_GET(self) -> None:
                with fake._lock:
                    fake.other_requests.append(("GET", self.path))
                self._json(200, {})

            def do_HEAD(self) -> None:
                self.send_response(200)
                self.send_header("content-length", "0")
                self.end_headers()

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length)
                path = self.path.split("?", 1)[0]
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    self._json(400, _error("request body is not JSON"))
                    return
                if path.endswith("/count_tokens"):
                    with fake._lock:
                        fake.other_requests.append(("POST", self.path))
                    self._json(200, {"input_tokens": 10})
                    return
                if not path.endswith("/v1/messages"):
                    with fake._lock:
                        fake.other_requests.append(("POST", self.path))
                    self._json(404, _error(f"fake API has no route {path}"))
                    return
                with fake._lock:
                    fake.requests.append(body)
                try:
                    blocks, stop = fake.answer(body)
                except Exception:
                    # A 400 is not retried by the client, so a broken script fails fast
                    # instead of sitting through the SDK's retry backoff.
                    with fake._lock:
                        fake.errors.append(traceback.format_exc())
                    self._json(400, _error("fake API script raised; see FakeAnthropic.errors"))
                    return
                message_id = fake.next_id("msg_")
                model = str(body.get("model", "claude-fake"))
                if body.get("stream"):
                    payload = "".join(_sse(message_id, model, blocks, stop)).encode()
                    self._send(200, payload, "text/event-stream")
                else:
                    self._json(200, _message(message_id, model, blocks, stop))

        return Handler


def _error(message: str) -> dict[str, Any]:
    return {"type": "error", "error": {"type": "invalid_request_error", "message": message}}


def _message(message_id: str, model: str, blocks: list[Block], stop: str) -> dict[str, Any]:
    return {
        "id": message_id,
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": blocks,
        "stop_reason": stop,
        "stop_sequence": None,
        "usage": {"input_tokens": 10, "output_tokens": 5},
    }


def _event(kind: str, data: dict[str, Any]) -> str:
    return f"event: {kind}\ndata: {json.dumps(data)}\n\n"


def _sse(message_id: str, model: str, blocks: list[Block], stop: str) -> Iterator[str]:
    start = _message(message_id, model, [], stop)
    start.update(stop_reason=None, usage={"input_tokens": 10, "output_tokens": 1})
    yield _event("message_start", {"type": "message_start", "message": start})
    for index, block in enumerate(blocks):
        if block["type"] == "tool_use":
            opening: Block = {**block, "input": {}}
            delta: Block = {"type": "input_json_delta", "partial_json": json.dumps(block["input"])}
        else:
            opening = {"type": "text", "text": ""}
            delta = {"type": "text_delta", "text": block["text"]}
        yield _event(
            "content_block_start",
            {"type": "content_block_start", "index": index, "content_block": opening},
        )
        yield _event(
            "content_block_delta", {"type": "content_block_delta", "index": index, "delta": delta}
        )
        yield _event("content_block_stop", {"type": "content_block_stop", "index": index})
    yield _event(
        "message_delta",
        {
            "type": "message_delta",
            "delta": {"stop_reason": stop, "stop_sequence": None},
            "usage": {"output_tokens": 5},
        },
    )
    yield _event("message_stop", {"type": "message_stop"})
