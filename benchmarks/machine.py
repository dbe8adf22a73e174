"""The machine a benchmark ran on, as the report states it: CPU model, cores, memory, OS, Python, torch."""
from __future__ import annotations

import os
import platform
from dataclasses import dataclass
from pathlib import Path

import torch


@dataclass(frozen=True)
class Machine:
    cpu: str
    cores: int
    memory_gib: float
    system: str
    python: str
    torch: str
    torch_threads: int


def _proc_field(path: str, key: str) -> str | None:
    """The value of the first `key: value` line of a /proc file, or None where there is none."""
    try:
        lines = Path(path).read_text().splitlines()
    except OSError:
        return None
    return next((line.split(":", 1)[1].strip() for line in lines
                 if ":" in line and line.split(":", 1)[0].strip() == key), None)


def _memory_gib() -> float:
    total_kb = _proc_field("/proc/meminfo", "MemTotal")
    if total_kb is not None:
        return int(total_kb.split()[0]) / 2**20
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30


def _system() -> str:
    """Distribution (from /etc/os-release where there is one), kernel and architecture."""
    try:
        pretty = next((line.split("=", 1)[1].strip().strip('"') for line in
                       Path("/etc/os-release").read_text().splitlines() if line.startswith("PRETTY_NAME=")), None)
    except OSError:
        pretty = None
    kernel = f"{platform.system()} {platform.release()} ({platform.machine()})"
    return f"{pretty}, {kernel}" if pretty else kernel


def describe() -> Machine:
    """This machine, now."""
    cpu = _proc_field("/proc/cpuinfo", "model name") or platform.processor() or platform.machine()
    return Machine(cpu=cpu, cores=os.cpu_count() or 0, memory_gib=_memory_gib(), system=_system(),
                   python=platform.python_version(), torch=torch.__version__,
                   torch_threads=torch.get_num_threads())
