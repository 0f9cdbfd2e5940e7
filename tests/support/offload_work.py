"""Pure functions for assembly/core/offload.py's tests: importable by name, as the worker
process needs them."""

import hashlib
import os


def whose(value):
    """``(the process that computed it, value)``."""
    return os.getpid(), value


def burn(rounds: int) -> tuple[int, str]:
    """Seconds of pure arithmetic that never releases the interpreter's lock (32-byte hashes);
    returns the process that did it and the digest."""
    digest = b""
    for _ in range(rounds):
        digest = hashlib.sha256(digest).digest()
    return os.getpid(), digest.hex()


def refuse(message: str):
    raise ValueError(message)


def die_unless_in(pid: int):
    """Kills the worker process it runs in (as an out-of-memory kill would), unless it runs in
    the process ``pid``; there it answers where it ran."""
    if os.getpid() != pid:
        os._exit(1)
    return os.getpid()
