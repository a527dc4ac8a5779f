"""The benchmark harness (``make bench``): measure, then write docs/benchmarks.md.

Every timing runs in a fresh process, several times; the table reports min and
median.  Sizes: 100, 1,000 and 10,000 synthetic cases (bench/synth.py).

    python bench/run.py                 # all sizes, writes docs/benchmarks.md
    python bench/run.py --sizes 100     # quick run, prints only
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
from synth import write_synthetic  # noqa: E402

PY = sys.executable
CCGTUI = str(Path(PY).parent / "ccgtui")
QUERIES = [
    "frail",
    "frial",
    "integrated care",
    "social",
    "negotiation",
    "programme board",
    "budget contract",
    "pathway",
    "diabetes",
    "engagement outcome",
    "logic market",
    "routine",
    "hospital",
    "patients",
    "sector:social-work care",
    "kind:illustrative frail",
    "learnign",
    "evaluation",
    "network hierarchy",
    "synthetic place 17",
]
MARK = "<!-- bench/run.py writes below this line -->"


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, env=env, cwd=REPO)
    return time.perf_counter() - start


def script(code: str, env: dict[str, str]) -> dict[str, float]:
    """Run ``code`` in a fresh interpreter; it prints one JSON object."""
    out = subprocess.run(
        [PY, "-c", code], check=True, capture_output=True, text=True, env=env, cwd=REPO
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


OPEN = """
import json, time, sys
from ccgtui.store import Store
s = Store({db!r}, {cases!r}); t = time.perf_counter(); r = s.open()
print(json.dumps({{"s": time.perf_counter() - t, "reloaded": r.reloaded}}))
"""

SEARCH = """
import json, time, statistics, resource
from ccgtui.store import Store
from ccgtui.query import SearchIndex
s = Store({db!r}, {cases!r}); s.open(); d = s.dataset()
t = time.perf_counter(); index = SearchIndex(d); build = time.perf_counter() - t
lat = []
for _ in range(3):
    for q in {queries!r}:
        t = time.perf_counter(); index.search(q, limit=50); lat.append(time.perf_counter() - t)
lat.sort()
print(json.dumps({{"build": build, "median": statistics.median(lat),
                   "p95": lat[int(len(lat) * 0.95) - 1],
                   "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def summary(values: list[float]) -> str:
    return f"{min(values):.3f} / {statistics.median(values):.3f}"


def bench_size(n: int, repeat: int, tmp: Path) -> dict[str, object]:
    cases = write_synthetic(tmp / f"cases-{n}", n)
    env = {**os.environ}
    row: dict[str, object] = {"cases": n}
    cold = []
    for i in range(max(1, repeat if n < 10000 else 2)):
        db = str(tmp / f"cold-{n}-{i}.json")
        cold.append(script(OPEN.format(db=db, cases=str(cases)), env)["s"])
    row["load_s"] = cold
    warm_db = str(tmp / f"warm-{n}.json")
    script(OPEN.format(db=warm_db, cases=str(cases)), env)
    row["reopen_s"] = [
        script(OPEN.format(db=warm_db, cases=str(cases)), env)["s"] for _ in range(repeat)
    ]
    env_cli = {**env, "CCGTUI_DB": warm_db, "CCGTUI_CASES": str(cases)}
    row["python_s"] = [timed([PY, "-c", "pass"], env) for _ in range(repeat)]
    row["help_s"] = [timed([CCGTUI, "--help"], env_cli) for _ in range(repeat)]
    row["show_s"] = [timed([CCGTUI, "show", "synth-00001"], env_cli) for _ in range(repeat)]
    s = script(SEARCH.format(db=warm_db, cases=str(cases), queries=QUERIES), env)
    row.update(
        search_median_ms=s["median"] * 1000,
        search_p95_ms=s["p95"] * 1000,
        index_build_s=s["build"],
        rss_mb=s["rss_mb"],
    )
    paint = subprocess.run(
        [PY, str(REPO / "bench" / "tui_first_paint.py"), "--cases", str(cases), "--repeat", "2"],
        check=True,
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    first = json.loads(paint.stdout)
    row["paint_warm_s"] = first["warm"]["median_s"]
    row["paint_cold_s"] = first["cold"]["median_s"]
    return row


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )


def table(rows: list[dict[str, object]]) -> str:
    def f(key: str, row: dict[str, object]) -> str:
        value = row[key]
        return summary(value) if isinstance(value, list) else f"{value:.1f}"  # type: ignore[arg-type]

    head = (
        "| cases | load (validate + cache) | re-open | `python -c pass` | `ccgtui --help` | "
        "`ccgtui show` | search median / p95 | first paint warm / cold | peak RSS |"
    )
    lines = [head, "|" + "---|" * 9]
    for r in rows:
        lines.append(
            f"| {r['cases']:,} | {f('load_s', r)} s | {f('reopen_s', r)} s | {f('python_s', r)} s "
            f"| {f('help_s', r)} s | {f('show_s', r)} s | {r['search_median_ms']:.1f} / "
            f"{r['search_p95_ms']:.1f} ms | {r['paint_warm_s']:.2f} / {r['paint_cold_s']:.2f} s "
            f"| {r['rss_mb']:.0f} MB |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="Run the ccgtui benchmarks.")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="print, do not update the doc")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            print(f"benchmarking {n} cases...", file=sys.stderr, flush=True)
            rows.append(bench_size(n, args.repeat, Path(tmp)))
    text = table(rows)
    print(text)
    if args.no_write or args.sizes != [100, 1000, 10000]:
        return
    doc = REPO / "docs" / "benchmarks.md"
    head = doc.read_text(encoding="utf-8").split(MARK)[0].rstrip() + "\n\n" + MARK + "\n\n"
    body = (
        f"Measured {time.strftime('%Y-%m-%d')} on {machine()} by `make bench` "
        f"(min / median of {args.repeat} runs; each in a fresh process).\n\n{text}\n"
    )
    doc.write_text(head + body, encoding="utf-8")


if __name__ == "__main__":
    main()
