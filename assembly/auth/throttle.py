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

from flask import current_app, request
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

_KEY = "assembly.credential_throttle"


def _strategy() -> MovingWindowRateLimiter:
    strategy = current_app.extensions.get(_KEY)
    if strategy is None:
        storage = storage_from_string(current_app.config["RATELIMIT_STORAGE_URI"])
        strategy = current_app.extensions[_KEY] = MovingWindowRateLimiter(storage)
    return strategy


def _keys(kind: str, value: object) -> list[tuple[str, ...]]:
    address = request.remote_addr or "unknown"
    keys = [("credential-address", address)]
    if isinstance(value, str) and value:
        keys.append(("credential-value", kind, value.strip().upper()[:64]))
    return keys


def _limits():
    return (
        parse(current_app.config["CREDENTIAL_FAILURE_LIMIT"]),
        parse(current_app.config["CREDENTIAL_VALUE_FAILURE_LIMIT"]),
    )


def blocked(kind: str, value: object = None) -> bool:
    """True when this address (or this value) failed too often lately."""
    strategy = _strategy()
    per_address, per_value = _limits()
    for key, limit in zip(_keys(kind, value), (per_address, per_value), strict=False):
        if not strategy.test(limit, *key):
            return True
    return False


def failed(kind: str, value: object = None) -> None:
    """Count one refused attempt against the address and the value tried."""
    strategy = _strategy()
    per_address, per_value = _limits()
    for key, limit in zip(_keys(kind, value), (per_address, per_value), strict=False):
        strategy.hit(limit, *key)


def reset() -> None:
    """Forget every count (tests; an operator after a false alarm)."""
    _strategy().storage.reset()
