"""JSON for the hook path, on the standard library's C accelerator without the ``json``
package. Hot path.

``import json`` pulls in ``re``, ``enum`` and ``functools`` (about 6 ms under ``-S``, more
than a Write's whole evaluation); ``_json``'s scanner and encoder are the very code
``json.loads`` and ``json.dumps`` run, built here with the same settings. Anything off the
fast path (a syntax error, an object the encoder refuses, an interpreter without
``_json``) goes to the ``json`` package itself, so results and error messages are the
standard library's, byte for byte.
"""

from __future__ import annotations

# Not ``typing.TYPE_CHECKING``: importing typing costs milliseconds on every hook call.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

try:
    import _json
except ImportError:  # an interpreter without the accelerator: the package does it all
    _json = None  # type: ignore[assignment]

_WHITESPACE = " \t\n\r"
# What json.decoder maps these constants to (json.loads accepts them by default).
_CONSTANTS = {"-Infinity": float("-inf"), "Infinity": float("inf"), "NaN": float("nan")}


class _Settings:
    """The attributes ``_json.make_scanner`` reads: json.JSONDecoder's defaults."""

    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int
    parse_constant = _CONSTANTS.__getitem__


def _refuse(value: object) -> object:
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


_scanners: list[Any] = []
_encoders: dict[tuple[str, str, bool, bool], Any] = {}


def loads(text: str | bytes) -> Any:
    """``json.loads(text)``, for UTF-8 text or bytes."""
    try:
        if isinstance(text, bytes):
            # json.loads detects UTF-16/32 and a BOM; those rare forms take its path.
            if text[:1] in (b"\xef", b"\xfe", b"\xff") or b"\x00" in text[:4]:
                raise ValueError("not plain UTF-8")
            text = text.decode("utf-8")
        if not _scanners:
            _scanners.append(_json.make_scanner(_Settings()))  # type: ignore[arg-type]
        end = len(text)
        start = 0
        while start < end and text[start] in _WHITESPACE:
            start += 1
        value, stop = _scanners[0](text, start)
        while stop < end and text[stop] in _WHITESPACE:
            stop += 1
        if stop == end:
            return value
    except RecursionError:
        raise
    except Exception:
        pass
    import json

    return json.loads(text)


def dumps(
    value: Any,
    *,
    separators: tuple[str, str] = (", ", ": "),
    sort_keys: bool = False,
    default_str: bool = False,
) -> str:
    """``json.dumps(value, separators=…, sort_keys=…)``; ``default_str`` is ``default=str``."""
    key = (separators[0], separators[1], sort_keys, default_str)
    try:
        encoder = _encoders.get(key)
        if encoder is None:
            encoder = _encoders[key] = _json.make_encoder(
                {},
                str if default_str else _refuse,
                _json.encode_basestring_ascii,
                None,
                separators[1],
                separators[0],
                sort_keys,
                False,
                True,
            )
        return "".join(encoder(value, 0))
    except RecursionError:
        raise
    except Exception:
        pass
    import json

    return json.dumps(
        value, separators=separators, sort_keys=sort_keys, default=str if default_str else None
    )
