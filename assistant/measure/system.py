"""Measuring the machine and this process: CPU time, other processes' load, memory, disk,
and the percentile every report uses. Linux /proc where available; None elsewhere."""

from __future__ import annotations

import math
import os
import platform
import re
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

Progress = Callable[[str], None]


def percentile(values: Iterable[float], p: float) -> float | None:
    """The p-th quantile (0..1), interpolating between closest ranks (numpy's default)."""
    ordered = sorted(values)
    if not ordered:
        return None
    pos = (len(ordered) - 1) * p
    lo, hi = math.floor(pos), math.ceil(pos)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def rss_mb(field: str = "VmHWM") -> float | None:
    """This process's resident memory from /proc (VmHWM: the peak), in MiB; None elsewhere."""
    return proc_memory_mb(os.getpid(), field)


def proc_memory_mb(pid: int, field: str = "VmHWM") -> float | None:
    """A memory figure of process `pid` from /proc/PID/status, in MiB; None when unavailable."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    match = re.search(rf"^{field}:\s+(\d+)\s+kB", text, re.M)
    return int(match.group(1)) / 1024 if match else None


def proc_cpu_s(pid: int | None) -> float | None:
    """CPU seconds (user + system) used so far by process `pid`, from /proc/PID/stat."""
    if not pid:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def disk_usage(path: Path) -> int:
    """Bytes allocated on disk under `path` (what `du` counts)."""
    if not path.exists():
        return 0
    if path.is_file():
        return path.stat().st_blocks * 512
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += (Path(root) / name).stat().st_blocks * 512
            except OSError:
                continue
    return total


def cpu_jiffies() -> tuple[int, int] | None:
    """(busy, total) clock ticks of all CPUs since boot, from /proc/stat; None elsewhere."""
    try:
        first = Path("/proc/stat").read_text().split("\n", 1)[0]
    except OSError:
        return None
    return parse_cpu_line(first)


def parse_cpu_line(line: str) -> tuple[int, int]:
    """The aggregate 'cpu' line of /proc/stat as (busy, total) ticks (idle and iowait are idle;
    guest time is already counted in user time)."""
    values = [int(x) for x in line.split()[1:9]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    total = sum(values)
    return total - idle, total


def other_cores(
    before: tuple[int, int], after: tuple[int, int], own_cpu_s: float, wall_s: float
) -> float:
    """How many CPUs other processes kept busy on average while this one ran for `wall_s`."""
    hz = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    busy_s = (after[0] - before[0]) / hz
    return max(0.0, (busy_s - own_cpu_s) / wall_s) if wall_s > 0 else 0.0


def busy_cores(sample_s: float = 2.0) -> float | None:
    """CPUs in use by anything (this process is idle meanwhile), sampled over `sample_s`."""
    before = cpu_jiffies()
    time.sleep(sample_s)
    after = cpu_jiffies()
    if before is None or after is None or after[1] == before[1]:
        return None
    return (after[0] - before[0]) / (after[1] - before[1]) * (os.cpu_count() or 1)


def wait_for_quiet(
    progress: Progress, max_busy: float = 0.5, max_wait_s: float = 120.0
) -> float | None:
    """Wait, at most `max_wait_s`, until other processes use under `max_busy` CPUs.

    The machine may be shared (tests, builds): measuring latency while they run measures them.
    Returns the last reading; the bench goes on regardless and reports what it saw.
    """
    deadline = time.monotonic() + max_wait_s
    busy = busy_cores()
    while busy is not None and busy >= max_busy and time.monotonic() < deadline:
        progress(f"  waiting for a quiet machine ({busy:.1f} CPUs busy) ...")
        time.sleep(8.0)
        busy = busy_cores()
    return busy


def own_cpu_s() -> float:
    t = os.times()
    return t.user + t.system


class OtherLoad:
    """Started at creation: `cores()` says how many CPUs other processes kept busy since."""

    def __init__(self) -> None:
        self.stat, self.own, self.wall = cpu_jiffies(), own_cpu_s(), time.perf_counter()

    def cores(self) -> float | None:
        stat = cpu_jiffies()
        if self.stat is None or stat is None:
            return None
        wall = time.perf_counter() - self.wall
        return other_cores(self.stat, stat, own_cpu_s() - self.own, wall)


def machine_info() -> dict[str, Any]:
    ram = None
    cpu = platform.processor() or platform.machine()
    try:
        meminfo = Path("/proc/meminfo").read_text()
        ram = int(re.search(r"MemTotal:\s+(\d+)", meminfo).group(1)) / 1024**2  # type: ignore[union-attr]
        cpuinfo = Path("/proc/cpuinfo").read_text()
        found = re.search(r"model name\s*:\s*(.+)", cpuinfo)
        cpu = found.group(1).strip() if found else cpu
    except (OSError, AttributeError):
        pass
    return {
        "nproc": os.cpu_count(),
        "ram_gib": ram,
        "cpu": cpu,
        "python": platform.python_version(),
        "load_avg": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "openmp": {k: os.environ.get(k, "") for k in ("OMP_NUM_THREADS", "OMP_WAIT_POLICY")},
    }
