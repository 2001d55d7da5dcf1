"""`make bench`: run every benchmarks/*_bench.py module's run() and print one table; JSON in benchmarks/results/.

`python -m benchmarks letters_bench growth_bench` runs only the named modules. The machine, the database and the
load average before each module are printed and stored with the results: the load generator shares the machine,
and anything else running on it shows in every figure.
"""

from __future__ import annotations

import importlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import Result
from benchmarks.db import backend

HERE = Path(__file__).resolve().parent


def machine() -> dict[str, object]:
    """What the figures were measured on."""
    model = ""
    memory_gb = 0.0
    try:
        model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                      if line.startswith("model name")), "")
        kib = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal:"))
        memory_gb = round(kib / 1024 / 1024, 1)
    except (OSError, StopIteration, ValueError):
        pass
    return {"python": sys.version.split()[0], "platform": platform.platform(), "cpus": os.cpu_count(),
            "cpu_model": model or platform.processor(), "memory_gb": memory_gb, "database": backend()}


def print_table(results: list[Result]) -> None:
    """The one table: measurement, result, the same-run baseline and the ratio, and the target."""
    print(f"{'measurement':<52} {'result':>10} {'unit':<7} {'baseline':<34} {'value':>10} {'ratio':>8}  target")
    for r in results:
        print(f"{r.name:<52} {r.value:>10.2f} {r.unit:<7} {r.baseline_name:<34} {r.baseline:>10.2f} "
              f"{r.ratio:>8.2f}  {r.target}")


def _figure(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.2f}"


def markdown_rows(results: list[dict[str, object]]) -> list[str]:
    """The README's table rows for results as saved in the JSON: measurement, result, same-run baseline,
    ratio, target."""
    rows = ["| measurement | result | baseline (same run) | ratio | target |", "|---|---|---|---|---|"]
    for r in results:
        value, baseline, ratio = (float(str(r[key])) for key in ("value", "baseline", "ratio"))
        rows.append(f"| {r['name']} | {_figure(value)} {r['unit']} | {r['baseline_name']}: {_figure(baseline)} "
                    f"| {ratio:.2f} | {r['target']} |")
    return rows


def run_module(name: str) -> list[Result]:
    """One module's results, measured in a child process of its own.

    Each module starts from a clean interpreter: nothing one module loaded (fonts, 100,000 rows, patched
    functions) weighs on the next, and the import benchmark's peak memory is only its own.
    """
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        out = Path(tmp) / "results.json"
        subprocess.run([sys.executable, "-m", "benchmarks", "--module", name, "--json", str(out)], check=True,
                       cwd=HERE.parent)
        return [Result(**{key: value for key, value in row.items() if key != "ratio"})
                for row in json.loads(out.read_text(encoding="utf-8"))]


def main(argv: list[str]) -> int:
    """Run the selected benchmark modules (all when none are named), each in its own process;
    `--markdown RESULTS.json` prints a saved run as the README's table."""
    if argv[:1] == ["--markdown"]:
        for path in argv[1:]:
            print("\n".join(markdown_rows(json.loads(Path(path).read_text(encoding="utf-8"))["results"])))
        return 0
    if argv[:1] == ["--module"]:
        module = importlib.import_module(f"benchmarks.{argv[1]}")
        Path(argv[3]).write_text(json.dumps([r.as_dict() for r in module.run()]), encoding="utf-8")
        return 0
    names = argv or sorted(p.stem for p in HERE.glob("*_bench.py"))
    info = machine()
    print(f"machine: {info['cpus']} CPUs ({info['cpu_model']}), {info['memory_gb']} GB RAM, "
          f"Python {info['python']}, database {info['database']}", flush=True)
    results: list[Result] = []
    modules: list[dict[str, object]] = []
    started = time.perf_counter()
    for name in names:
        load = os.getloadavg()[0]
        print(f"== {name} (load average {load:.2f})", flush=True)
        t0 = time.perf_counter()
        results.extend(run_module(name))
        seconds = time.perf_counter() - t0
        modules.append({"module": name, "seconds": round(seconds, 1), "load_before": round(load, 2)})
        print(f"   {name}: {seconds:.0f} s", flush=True)
    total = time.perf_counter() - started
    print()
    print_table(results)
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    payload = {"machine": info, "seconds": round(total, 1), "modules": modules,
               "load_after": round(os.getloadavg()[0], 2), "results": [r.as_dict() for r in results]}
    (out / f"bench-{stamp}.json").write_text(json.dumps(payload, indent=2), encoding="utf-8")
    print(f"\nTotal {total / 60:.1f} min. JSON: benchmarks/results/bench-{stamp}.json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
