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


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU time so far of a process and its living children (nginx's master and
    worker, a gunicorn master and its worker)."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return _process_cpu(pid) + sum(_process_cpu(int(child)) for child in children)


def own_cpu_seconds() -> float:
    """User + system CPU time so far of this process (every thread, not its children)."""
    return _process_cpu(os.getpid())


def tree_cpu_wait_seconds(pid: int) -> float:
    """Seconds a process and its living children were ready to run but waited for a CPU
    (Linux schedstat of each one's main thread, where a gevent server, nginx's worker and
    the viewers do their work): on a machine shared with other work, the time the
    benchmark's own processes lost to it."""
    pids = [pid, *map(int, Path(f"/proc/{pid}/task/{pid}/children").read_text().split())]
    return sum(int(Path(f"/proc/{each}/schedstat").read_text().split()[1]) for each in pids) / 1e9
