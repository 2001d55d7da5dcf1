"""`make bench`: run every benchmarks/*_bench.py module's run() and print one table; JSON in benchmarks/results/."""

from __future__ import annotations

import importlib
import json
import platform
import sys
import time
from pathlib import Path

from benchmarks import Result

HERE = Path(__file__).resolve().parent


def main(selected: list[str]) -> int:
    """Run the selected benchmark modules (all when none are named)."""
    names = selected or sorted(p.stem for p in HERE.glob("*_bench.py"))
    results: list[Result] = []
    for name in names:
        module = importlib.import_module(f"benchmarks.{name}")
        print(f"== {name}", flush=True)
        results.extend(module.run())
    print()
    print(f"{'measurement':<48} {'result':>12} {'unit':<8} {'baseline':<34} {'value':>10} {'ratio':>7}  target")
    for r in results:
        print(f"{r.name:<48} {r.value:>12.2f} {r.unit:<8} {r.baseline_name:<34} {r.baseline:>10.2f} "
              f"{r.ratio:>7.2f}  {r.target}")
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    payload = {"machine": {"python": sys.version.split()[0], "platform": platform.platform(),
                           "cpus": __import__("os").cpu_count()},
               "results": [r.as_dict() for r in results]}
    (out / f"bench-{stamp}.json").write_text(json.dumps(payload, indent=2), encoding="utf-8")
    print(f"\nJSON: benchmarks/results/bench-{stamp}.json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
