"""CPU seconds used by each party of a benchmark (server processes, PostgreSQL, the load generator), from /proc."""

from __future__ import annotations

import os
import resource
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[str, int, float] | None:
    """(command, parent pid, CPU seconds) of a process, or None when it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    name = raw[raw.index("(") + 1:raw.rindex(")")]
    fields = raw[raw.rindex(")") + 2:].split()
    return name, int(fields[1]), (int(fields[11]) + int(fields[12])) / TICKS


def _all() -> dict[int, tuple[str, int, float]]:
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))) is not None:
            found[int(entry.name)] = stat
    return found


def sample(server_pid: int) -> dict[str, float]:
    """CPU seconds so far of the server's process tree, of every PostgreSQL process, and of this process."""
    procs = _all()
    tree, frontier = set(), {server_pid}
    while frontier:
        tree |= frontier
        frontier = {pid for pid, (_, ppid, _) in procs.items() if ppid in frontier} - tree
    own = resource.getrusage(resource.RUSAGE_SELF)
    return {"server": sum(procs[p][2] for p in tree if p in procs),
            "postgres": sum(cpu for name, _, cpu in procs.values() if name.startswith("postgres")),
            "load generator": own.ru_utime + own.ru_stime}


def used(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    """CPU seconds each party used between two samples."""
    return {party: after[party] - before[party] for party in before}
