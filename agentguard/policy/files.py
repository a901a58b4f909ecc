"""Read a policy file safely: a regular file, at most :data:`MAX_BYTES`. Hot path.

The hook hashes the policy files on every call (:mod:`agentguard.policy.compiled`) and the
loader parses them (:mod:`agentguard.policy.loader`); both read them through
:func:`read_policy`, so a FIFO cannot hang either and a link to ``/dev/zero`` costs nothing.
"""

from __future__ import annotations

import os
import stat

from agentguard.errors import PolicyFileError

# All policy files of a call together; a larger policy is a guard error, never read in full.
MAX_BYTES = 1 << 20


def _not_regular(mode: int) -> str:
    if stat.S_ISDIR(mode):
        kind = "a folder"
    elif stat.S_ISFIFO(mode):
        kind = "a FIFO"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        kind = "a device"
    elif stat.S_ISSOCK(mode):
        kind = "a socket"
    else:
        kind = "something else"
    return (
        f"the policy file is {kind}, not a regular file; agentguard reads a policy only from"
        " a regular file"
    )


def read_policy(path: str, limit: int = MAX_BYTES) -> bytes:
    """The bytes of the policy file ``path``: a regular file of at most ``limit`` bytes.

    Anything else is a :class:`GuardError`: a missing or unreadable file, a FIFO or device
    (checked before opening, and again on the open descriptor, which is opened
    non-blocking so a FIFO swapped in meanwhile cannot hang), or a file past the cap (at
    most ``limit + 1`` bytes are read to tell).
    """
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        raise PolicyFileError(path, f"cannot read policy file: {exc.strerror}") from None
    if not stat.S_ISREG(mode):
        raise PolicyFileError(path, _not_regular(mode))
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise PolicyFileError(path, f"cannot read policy file: {exc.strerror}") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise PolicyFileError(path, _not_regular(mode))
        chunks = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, limit + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise PolicyFileError(path, f"cannot read policy file: {exc.strerror}") from None
    finally:
        os.close(fd)
    if size > limit:
        raise PolicyFileError(
            path,
            f"the policy file is larger than the {MAX_BYTES >> 20} MiB agentguard reads (all"
            " policy files together); make the policy smaller",
        )
    return b"".join(chunks)
