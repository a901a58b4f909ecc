"""WebFetch and WebSearch: which hosts the policy lets an agent reach. Hot path
(imported for web calls only)."""

from __future__ import annotations

from agentguard.decision import ALLOW, DENY, Match

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from agentguard.decision import Evaluation


def host(url: str) -> str | None:
    """The URL's host name, lower case without a trailing dot; None when it has none."""
    # urllib.parse is only imported for web calls, not on every call.
    from urllib.parse import urlsplit

    try:
        name = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    return name.rstrip(".").lower() if name else None


def in_domains(host: str, domains: list[str]) -> str | None:
    """The entry of ``domains`` that ``host`` is, or is below; None when none."""
    for domain in domains:
        d = domain.lower().lstrip("*.").rstrip(".")
        if host == d or host.endswith("." + d):
            return domain
    return None


def fetch(
    result: Evaluation,
    policy: Mapping[str, Any],
    tool_input: Mapping[str, Any],
    label: str = "WebFetch",
) -> None:
    """The policy's ``web`` section on a fetch of ``tool_input.url``."""
    web = policy["web"]
    url = tool_input.get("url")
    if not isinstance(url, str):
        raise ValueError("event field tool_input.url: expected a string")
    name = host(url)
    if name is None:
        result.add(Match("web", DENY, "The URL has no host agentguard can judge.", what=url))
        return
    denied = in_domains(name, web["deny_domains"])
    if denied:
        result.add(Match("web", DENY, web["justification"], what=f"{name} is in deny_domains"))
        return
    allowed = in_domains(name, web["allow_domains"])
    if allowed:
        result.add(Match("web", ALLOW, "Listed domain.", what=f"{name} ({allowed})", grant=True))
        return
    result.add(
        Match(
            "web",
            web["fetch"],
            "The policy allows web fetches." if web["fetch"] == ALLOW else web["justification"],
            what=f"{label} {name}",
            fix="Ask a human, or add the domain to web.allow_domains.",
            grant=web["fetch"] == ALLOW,
        )
    )


def search(result: Evaluation, policy: Mapping[str, Any]) -> None:
    """The policy's ``web.search`` decision on a WebSearch."""
    web = policy["web"]
    allowed = web["search"] == ALLOW
    result.add(
        Match(
            "web",
            web["search"],
            "The policy allows web search." if allowed else web["justification"],
            what="WebSearch",
            grant=allowed,
        )
    )
