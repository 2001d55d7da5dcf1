"""Benchmarks: each measurement is reported next to a baseline measured in the same run, as a ratio."""

from __future__ import annotations

import resource
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class Result:
    """One measurement, its baseline from the same run, and the target it is held to."""

    name: str
    value: float
    unit: str
    baseline_name: str
    baseline: float
    target: str = ""

    @property
    def ratio(self) -> float:
        """value / baseline (for latencies: how many times slower than the baseline)."""
        return self.value / self.baseline if self.baseline else float("inf")

    def as_dict(self) -> dict[str, object]:
        """JSON-friendly form."""
        return {**asdict(self), "ratio": self.ratio}


def peak_mb() -> float:
    """This process's peak resident memory in MB.

    VmHWM, not getrusage's ru_maxrss: on Linux a child started with fork and exec inherits its parent's
    maximum in ru_maxrss, so a large parent would show up as the child's peak.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
