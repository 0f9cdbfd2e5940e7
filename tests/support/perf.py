"""Figures the benchmarks share: percentiles and the server worker's CPU time."""

import os
from pathlib import Path


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (``fraction`` 0.95 for p95); NaN for no values."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[max(0, int(len(ordered) * fraction + 0.5) - 1)]


def _process_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def worker_cpu_seconds(server) -> float:
    """User + system CPU time so far of a LiveServer's gunicorn workers (Linux /proc)."""
    master = server.process.pid
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return sum(_process_cpu(int(pid)) for pid in children)
