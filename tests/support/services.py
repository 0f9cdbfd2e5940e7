"""Real PostgreSQL / Redis / Chromium for the tests that need them.

On a newcomer's machine without them those tests are skipped with the reason; with CI=true a
missing service fails the run instead, so CI can never pass by skipping.
"""

import json
import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

POSTGRES_URL = os.environ.get(
    "ASSEMBLY_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("ASSEMBLY_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
CHROMIUM = os.environ.get("ASSEMBLY_CHROMIUM", "/usr/bin/chromium")


def on_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def require(available: bool, reason: str) -> None:
    """Skip (or, on CI, fail) when a service the test needs is missing."""
    if available:
        return
    if on_ci():
        pytest.fail(f"CI=true requires it: {reason}")
    pytest.skip(reason)


def require_postgres() -> str:
    require(_reachable("127.0.0.1", 5432), "PostgreSQL no está en 127.0.0.1:5432")
    return POSTGRES_URL


def require_redis() -> str:
    require(_reachable("127.0.0.1", 6379), "Redis no está en 127.0.0.1:6379")
    return REDIS_URL


def require_chromium() -> str:
    require(
        os.path.exists(CHROMIUM) or shutil.which("chromium") is not None,
        f"Chromium no está instalado ({CHROMIUM}); en Debian: apt-get install -y chromium",
    )
    return CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")


def require_node() -> str:
    """Node.js runs the shared JS modules' unit tests (tests/js, its built-in test runner)."""
    node = shutil.which("node")
    require(node is not None, "Node.js no está instalado; en Debian: apt-get install -y nodejs")
    return node


def node_module_json(script: str):
    """Run ``script`` as an ES module in the project root (its imports: ``./static/js/...``)
    and answer what it printed as JSON: the way a test asks the screens' own JS to decide."""
    result = subprocess.run(
        [require_node(), "--input-type=module", "-e", script],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return json.loads(result.stdout)
