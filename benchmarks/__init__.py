"""Benchmarks: each measurement is reported next to a baseline measured in the same run, as a ratio."""

from __future__ import annotations

from dataclasses import asdict, dataclass


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
