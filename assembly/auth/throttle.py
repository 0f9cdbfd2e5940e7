"""Failed credentials are counted, so a join code cannot be guessed over the socket.

Only FAILED attempts count (a phone that reconnects with a valid code, or a whole venue behind
one NAT address entering valid codes, is never throttled), per client address and per value
tried, in the rate-limit storage (Redis when configured: shared by every worker).

    if throttle.blocked(kind, value): refuse
    ... check the credential ...
    if refused: throttle.failed(kind, value)

The client address is ``request.remote_addr``: the real client once ProxyFix applies
``ASSEMBLY_TRUSTED_PROXIES`` (see ``assembly.core.web``).
"""

import logging

from flask import current_app, request
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

log = logging.getLogger(__name__)

_KEY = "assembly.credential_throttle"
_FALLBACK = "assembly.credential_throttle.memory"


def _strategy(*, fallback: bool = False) -> MovingWindowRateLimiter:
    key = _FALLBACK if fallback else _KEY
    strategy = current_app.extensions.get(key)
    if strategy is None:
        config = current_app.config
        uri = "memory://" if fallback else config["RATELIMIT_STORAGE_URI"]
        options = {} if uri.startswith("memory") else config.get("RATELIMIT_STORAGE_OPTIONS", {})
        storage = storage_from_string(uri, **options)
        strategy = current_app.extensions[key] = MovingWindowRateLimiter(storage)
    return strategy


def _run(action):
    """``action(strategy)`` on the shared storage; this process's memory while Redis is
    unreachable (as the HTTP limits do), so a Redis outage never refuses a phone."""
    try:
        return action(_strategy())
    except Exception as error:  # the storage's own connection errors vary by backend
        log.warning("credential throttle: shared storage unavailable (%s); using memory", error)
        return action(_strategy(fallback=True))


def _keys(kind: str, value: object) -> list[tuple[str, ...]]:
    address = request.remote_addr or "unknown"
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX") or "asamblea"
    keys = [(prefix, "credential-address", address)]
    if isinstance(value, str) and value:
        keys.append((prefix, "credential-value", kind, value.strip().upper()[:64]))
    return keys


def _limits():
    return (
        parse(current_app.config["CREDENTIAL_FAILURE_LIMIT"]),
        parse(current_app.config["CREDENTIAL_VALUE_FAILURE_LIMIT"]),
    )


def blocked(kind: str, value: object = None) -> bool:
    """True when this address (or this value) failed too often lately."""
    pairs = list(zip(_keys(kind, value), _limits(), strict=False))
    return _run(lambda strategy: any(not strategy.test(limit, *key) for key, limit in pairs))


def failed(kind: str, value: object = None) -> None:
    """Count one refused attempt against the address and the value tried."""
    pairs = list(zip(_keys(kind, value), _limits(), strict=False))
    _run(lambda strategy: [strategy.hit(limit, *key) for key, limit in pairs])


def reset() -> None:
    """Forget every count (tests; an operator after a false alarm)."""
    _run(lambda strategy: strategy.storage.reset())
    _strategy(fallback=True).storage.reset()
