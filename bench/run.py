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
# Commands run outside the checkout: ``python -c`` puts the working folder first on the
# path, which would shadow the code ``--code`` points at.
RUN_DIR = "/"


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, env=env, cwd=RUN_DIR)
    return time.perf_counter() - start


def script(code: str, env: dict[str, str]) -> dict[str, float]:
    """Run ``code`` in a fresh interpreter; it prints one JSON object."""
    out = subprocess.run(
        [PY, "-c", code], check=True, capture_output=True, text=True, env=env, cwd=RUN_DIR
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


OPEN = """
import json, time, sys
from ccgtui.store import Store
spent = []
if hasattr(Store, "_write_search_index"):  # the index write, timed on its own (issue 16)
    inner = Store._write_search_index
    def timed(self, *a):
        t = time.perf_counter(); inner(self, *a); spent.append(time.perf_counter() - t)
    Store._write_search_index = timed
s = Store({db!r}, {cases!r}); t = time.perf_counter(); r = s.open()
print(json.dumps({{"s": time.perf_counter() - t, "index_s": sum(spent), "reloaded": r.reloaded}}))
"""

# In-process latency of the index a CLI search opens (persistent when there is one).
SEARCH = """
import json, time, statistics, resource
from ccgtui.store import Store
s = Store({db!r}, {cases!r}); s.open()
t = time.perf_counter()
try:
    from ccgtui.search_index import search_index
    index = search_index(s)
except ImportError:
    from ccgtui.query import SearchIndex
    index = SearchIndex(s.dataset())
build = time.perf_counter() - t
lat = []
for _ in range(3):
    for q in {queries!r}:
        t = time.perf_counter(); index.search(q, limit=50); lat.append(time.perf_counter() - t)
lat.sort()
print(json.dumps({{"open": build, "median": statistics.median(lat),
                   "p95": lat[int(len(lat) * 0.95) - 1],
                   "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""

# The peer: a persistent SQLite FTS5 file over the same statements, queried by a bare script.
FTS_BUILD = """
import json, sqlite3, time
from ccgtui.store import Store
from ccgtui.search_build import case_raw_entries, other_entries
s = Store({db!r}, {cases!r}); s.open(); d = s.dataset()
texts = [t for c in d.cases for (_, _, t, _, _) in case_raw_entries(c)]
texts += [e.text for e in other_entries(d.studies, d.sources)]
t = time.perf_counter()
db = sqlite3.connect({fts!r})
db.execute("create virtual table fts using fts5(text)")
db.executemany("insert into fts(text) values (?)", ((x,) for x in texts))
db.commit(); db.close()
print(json.dumps({{"s": time.perf_counter() - t, "entries": len(texts)}}))
"""
FTS_QUERY = (
    "import sqlite3, sys; db = sqlite3.connect(sys.argv[1]); "
    "rows = db.execute(\"select rowid, snippet(fts, 0, '[', ']', '...', 12) from fts "
    'where fts match ? order by rank limit 20", (sys.argv[2],)).fetchall(); '
    "print(len(rows))"
)

CLI_COMMANDS = {
    "list": ["list", "--format", "json"],
    "show": ["show", "{first}"],
    "search": ["search", "frail"],
    "matrix": ["matrix", "--by", "arenas", "--format", "json"],
    "export": ["export", "json", "--force", "-o", "{out}"],
}


def measured(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of one command in a fresh process."""
    start = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-f", "%M", *cmd], capture_output=True, text=True, env=env, cwd=RUN_DIR
    )
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{cmd}: {done.stderr[-500:]}")
    return wall, int(done.stderr.strip().splitlines()[-1]) / 1024


def cli_row(
    cases: Path, db: Path, first: str, repeat: int, tmp: Path, ccgtui: list[str]
) -> dict[str, object]:
    env = {**os.environ, "CCGTUI_DB": str(db), "CCGTUI_CASES": str(cases)}
    subprocess.run([*ccgtui, "load"], check=True, capture_output=True, env=env, cwd=RUN_DIR)
    row: dict[str, object] = {}
    for name, args in CLI_COMMANDS.items():
        cmd = [*ccgtui, *(a.format(first=first, out=tmp / "export.json") for a in args)]
        runs = [measured(cmd, env) for _ in range(repeat)]
        row[name] = [w for w, _ in runs]
        row[name + "_rss"] = max(r for _, r in runs)
    return row


def summary(values: list[float]) -> str:
    return f"{min(values):.3f} / {statistics.median(values):.3f}"


def bench_size(
    n: int, repeat: int, tmp: Path, ccgtui: list[str], py_env: dict[str, str]
) -> dict[str, object]:
    cases = write_synthetic(tmp / f"cases-{n}", n)
    row: dict[str, object] = {"cases": n}
    cold = []
    for i in range(max(1, repeat if n < 10000 else 2)):
        db = str(tmp / f"cold-{n}-{i}.json")
        cold.append(script(OPEN.format(db=db, cases=str(cases)), py_env))
    row["load_s"] = [c["s"] for c in cold]
    row["index_write_s"] = [c["index_s"] for c in cold]
    warm_db = str(tmp / f"warm-{n}.json")
    script(OPEN.format(db=warm_db, cases=str(cases)), py_env)
    row["reopen_s"] = [
        script(OPEN.format(db=warm_db, cases=str(cases)), py_env)["s"] for _ in range(repeat)
    ]
    s = script(SEARCH.format(db=warm_db, cases=str(cases), queries=QUERIES), py_env)
    row.update(
        search_median_ms=s["median"] * 1000,
        search_p95_ms=s["p95"] * 1000,
        index_open_s=s["open"],
        search_rss_mb=s["rss_mb"],
    )
    fts = str(tmp / f"fts-{n}.sqlite")
    here = {k: v for k, v in py_env.items() if k != "PYTHONPATH"}  # this checkout builds it
    build = FTS_BUILD.format(db=str(tmp / f"fts-{n}.json"), cases=str(cases), fts=fts)
    row["fts_build_s"] = script(build, here)["s"]
    row["fts_query_s"] = [timed([PY, "-c", FTS_QUERY, fts, "frail"], here) for _ in range(repeat)]
    row.update(cli_row(cases, tmp / f"cli-{n}.json", "synth-00001", repeat, tmp, ccgtui))
    return row


def bundled_row(repeat: int, tmp: Path, ccgtui: list[str]) -> dict[str, object]:
    from ccgtui.loader import load_folder

    first = load_folder(REPO / "cases").cases[0].id
    row: dict[str, object] = {"cases": "bundled"}
    row.update(cli_row(REPO / "cases", tmp / "bundled.json", first, repeat, tmp, ccgtui))
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


def med(row: dict[str, object], key: str) -> float:
    value = row[key]
    return statistics.median(value) if isinstance(value, list) else float(value)  # type: ignore[arg-type]


def table(rows: list[dict[str, object]], bundled: dict[str, object]) -> str:
    lines = [
        "| cases | load (of which search index) | re-open | `list --format json` | `show` | "
        "`search frail` | FTS5 peer query | `matrix --by arenas` | `export json -o` |",
        "|" + "---|" * 9,
    ]
    for r in [bundled, *rows]:

        def cmd(name: str, r: dict[str, object] = r) -> str:
            return f"{med(r, name):.2f} s ({r[name + '_rss']:.0f} MB)"

        head = (
            f"| {r['cases']:,} | {med(r, 'load_s'):.2f} s ({med(r, 'index_write_s'):.2f} s) "
            f"| {med(r, 'reopen_s'):.3f} s"
            if "load_s" in r
            else f"| {r['cases']} | - | -"
        )
        fts = f"{med(r, 'fts_query_s'):.3f} s" if "fts_query_s" in r else "-"
        lines.append(
            f"{head} | {cmd('list')} | {cmd('show')} | {cmd('search')} | {fts} "
            f"| {cmd('matrix')} | {cmd('export')} |"
        )
    lines += [
        "",
        "| cases | search in process median / p95 | index open | FTS5 peer build | "
        "`search` ÷ bundled | `show` ÷ bundled | `list` ÷ bundled | `search` ÷ FTS5 peer |",
        "|" + "---|" * 8,
    ]
    for r in rows:
        lines.append(
            f"| {r['cases']:,} | {r['search_median_ms']:.1f} / {r['search_p95_ms']:.1f} ms "
            f"| {r['index_open_s'] * 1000:.0f} ms | {med(r, 'fts_build_s'):.2f} s "
            f"| {med(r, 'search') / med(bundled, 'search'):.2f}× "
            f"| {med(r, 'show') / med(bundled, 'show'):.2f}× "
            f"| {med(r, 'list') / med(bundled, 'list'):.2f}× "
            f"| {med(r, 'search') / med(r, 'fts_query_s'):.1f}× |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="Run the ccgtui benchmarks.")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--with-50k", action="store_true", help="also 50,000 cases (slow)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="print, do not update the doc")
    parser.add_argument(
        "--code", type=Path, help="measure another checkout of ccgtui (e.g. an older commit)"
    )
    args = parser.parse_args()
    sizes = args.sizes + ([50000] if args.with_50k else [])
    py_env = {**os.environ}
    ccgtui = [CCGTUI]
    if args.code is not None:  # that checkout's package first on the path
        py_env["PYTHONPATH"] = str(args.code.resolve())
        ccgtui = [PY, "-m", "ccgtui"]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        print("benchmarking the bundled cases...", file=sys.stderr, flush=True)
        bundled = bundled_row(args.repeat, Path(tmp), ccgtui_env(ccgtui, py_env))
        for n in sizes:
            print(f"benchmarking {n} cases...", file=sys.stderr, flush=True)
            rows.append(bench_size(n, args.repeat, Path(tmp), ccgtui_env(ccgtui, py_env), py_env))
    text = table(rows, bundled)
    print(text)
    print(json.dumps({"bundled": bundled, "rows": rows}), file=sys.stderr)
    if args.no_write or args.code is not None:
        return
    doc = REPO / "docs" / "benchmarks.md"
    head = doc.read_text(encoding="utf-8").split(MARK)[0].rstrip() + "\n\n" + MARK + "\n\n"
    body = (
        f"Measured {time.strftime('%Y-%m-%d')} on {machine()} by `make bench` "
        f"(median of {args.repeat} runs, each in a fresh process; peak RSS in brackets; "
        "other work on the machine is not controlled).\n\n"
        f"{text}\n"
    )
    doc.write_text(head + body, encoding="utf-8")


def ccgtui_env(ccgtui: list[str], py_env: dict[str, str]) -> list[str]:
    """The command line that runs ccgtui (env prefix carries PYTHONPATH for --code)."""
    if "PYTHONPATH" in py_env:
        return ["env", f"PYTHONPATH={py_env['PYTHONPATH']}", *ccgtui]
    return ccgtui


if __name__ == "__main__":
    main()
