"""Benchmark (not a test): time from launch to the first paint of the case list.

Each run is a fresh Python process (so imports count) that starts the app
headless with ``run_test`` and stops the clock when the case list has items.
Two numbers per data set:

* cold: a new database, so the case folder is validated and cached first;
* warm: the cache is current (what every launch after the first one sees).

Beside each warm run, the peer of issue 16: a minimal Textual app (Header, a 9-item
list, Footer) timed by the same harness, and the ratio warm / peer.

Usage::

    .venv/bin/python bench/tui_first_paint.py                  # bundled cases/
    .venv/bin/python bench/tui_first_paint.py --cases DIR
    .venv/bin/python bench/tui_first_paint.py --synth 10000    # bench/synth.py if present,
                                                               # else a built-in generator
"""

from __future__ import annotations

import time

T0 = time.perf_counter()  # before any heavy import: the child's clock starts here

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


def peak_rss_mb() -> float:
    """This process's peak RSS so far.  Not ``ru_maxrss``: on Linux that keeps the high-water
    mark of the process that spawned it (vfork then exec), here the harness's."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def child(cases: str, db: str) -> None:
    """Run the app once and print the first-paint time (and peak RSS then) as JSON."""
    import asyncio

    os.environ["CCGTUI_DB"] = db
    from ccgtui.tui.app import make_app

    imported = time.perf_counter() - T0

    async def run() -> dict[str, float]:
        app = make_app(cases=Path(cases), cursor_blink=False)
        async with app.run_test(size=(120, 40)) as pilot:
            while True:
                # Found by id, so the harness imports no more of ccgtui than the CLI does.
                screen = app.screen
                lists = screen.query("#case-list")
                if lists and getattr(lists.first(), "option_count", 0) > 0:
                    break
                if app.return_code:
                    raise SystemExit(f"app failed: {app.exit_message}")
                await asyncio.sleep(0.002)
            painted_event = asyncio.Event()
            screen.call_after_refresh(painted_event.set)  # the next frame shows the list
            await painted_event.wait()
            painted = time.perf_counter() - T0
            await pilot.pause()  # let later batches of a long list land before counting
            count = int(getattr(lists.first(), "option_count", 0))
            rss = peak_rss_mb()  # after the whole list landed
        return {"import_s": imported, "first_paint_s": painted, "cases": count, "rss_mb": rss}

    print(json.dumps(asyncio.run(run())))


def peer_child() -> None:
    """The minimal Textual app of issue 16's target, timed the same way."""
    import asyncio

    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Header, OptionList

    imported = time.perf_counter() - T0

    class Minimal(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield OptionList(*[f"Item {i}" for i in range(1, 10)])
            yield Footer()

    async def run() -> dict[str, float]:
        app = Minimal()
        async with app.run_test(size=(120, 40)):
            while True:
                lists = app.screen.query(OptionList)
                if lists and lists.first().option_count > 0:
                    break
                await asyncio.sleep(0.002)
            painted_event = asyncio.Event()
            app.screen.call_after_refresh(painted_event.set)
            await painted_event.wait()
            painted = time.perf_counter() - T0
            rss = peak_rss_mb()
        return {"import_s": imported, "first_paint_s": painted, "cases": 9, "rss_mb": rss}

    print(json.dumps(asyncio.run(run())))


def measure(
    cases: Path,
    repeat: int,
    cold: bool = True,
    db: Path | None = None,
    env: dict[str, str] | None = None,
) -> dict[str, object]:
    """Cold (unless ``cold`` is false), warm and peer runs; ``db``: a database already
    current for ``cases`` (bench/run.py passes its own); ``env``: the children's environment."""
    with tempfile.TemporaryDirectory() as tmp:
        results: dict[str, list[dict[str, float]]] = {"cold": [], "warm": [], "peer": []}
        for i in range(repeat if cold else 0):
            results["cold"].append(_run_child(cases, Path(tmp) / f"cold-{i}.json", env))
        warm_db = db or Path(tmp) / "warm.json"
        _run_child(cases, warm_db, env)  # the cache current, the files in the page cache
        for _ in range(repeat):  # interleaved, so both see the same load on the machine
            results["warm"].append(_run_child(cases, warm_db, env))
            results["peer"].append(_run_child(None, None, env))
    summary: dict[str, object] = {"cases_dir": str(cases)}
    for kind, runs in results.items():
        if not runs:
            continue
        paints = [r["first_paint_s"] for r in runs]
        summary[kind] = {
            "cases": int(runs[0]["cases"]),
            "median_s": round(statistics.median(paints), 3),
            "min_s": round(min(paints), 3),
            "max_s": round(max(paints), 3),
            "import_median_s": round(statistics.median(r["import_s"] for r in runs), 3),
            "rss_max_mb": round(max(r.get("rss_mb", 0.0) for r in runs), 1),
            "runs_s": [round(p, 3) for p in paints],
        }
    warm, peer = summary["warm"], summary["peer"]
    assert isinstance(warm, dict) and isinstance(peer, dict)
    summary["warm_over_peer"] = round(warm["median_s"] / peer["median_s"], 2)
    return summary


def _run_child(
    cases: Path | None, db: Path | None, env: dict[str, str] | None = None
) -> dict[str, float]:
    """One timed launch: the explorer on ``cases``, or the minimal peer app if ``None``."""
    args = ["--peer"] if cases is None else ["--cases", str(cases), "--db", str(db)]
    proc = subprocess.run(
        [sys.executable, __file__, "--child", *args],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=REPO,
        env=env,
    )
    if proc.returncode != 0:
        raise SystemExit(f"child failed:\n{proc.stderr[-2000:]}")
    result: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def synth_folder(n: int, root: Path) -> Path:
    """``n`` synthetic cases: bench/synth.py when it exists, else a small generator here."""
    synth = REPO / "bench" / "synth.py"
    if synth.exists():
        subprocess.run(
            [sys.executable, str(synth), "--cases", str(n), "--out", str(root)],
            check=True,
            cwd=REPO,
        )
        return root
    return _builtin_synth(n, root)


def _builtin_synth(n: int, root: Path) -> Path:
    """Clearly synthetic cases built from the fixture shapes (not study data)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "sources.yaml").write_text(
        "sources:\n  - {id: synth-src, type: other, title: Synthetic benchmark source, "
        "level: unverified}\n",
        encoding="utf-8",
    )
    (root / "study.yaml").write_text(
        "id: synth-study\ntitle: Synthetic benchmark study\n", encoding="utf-8"
    )
    kinds = ["in-depth", "scoping", "composite"]
    arenas = ["board", "programme", "practice"]
    sectors = ["primary-care", "secondary-care", "social-work", "hwb"]
    for i in range(n):
        stages = "\n".join(
            f"  - {{id: s{j}, title: Synthetic stage {j}, arena: {arenas[j % 3]}, "
            f"sectors: [{sectors[(i + j) % 4]}], text: Synthetic text {i}-{j}., "
            "sources: [synth-src]}"
            for j in range(4)
        )
        (root / f"synth-{i:05d}.yaml").write_text(
            f"id: synth-{i:05d}\nstudy: synth-study\nkind: {kinds[i % 3]}\n"
            f"label: Synthetic case {i}\nthemes: [theme-{i % 17}]\nstory:\n{stages}\n"
            f"partners:\n  - {{sector: {sectors[i % 4]}, text: Synthetic partner., "
            "sources: [synth-src]}\n",
            encoding="utf-8",
        )
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=None)
    parser.add_argument("--synth", type=int, default=0, help="generate N synthetic cases")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--db", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--peer", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--no-cold", action="store_true", help="only warm starts (and the peer)")
    args = parser.parse_args()
    if args.child and args.peer:
        peer_child()
        return
    if args.child:
        child(str(args.cases), args.db)
        return
    if args.synth:
        with tempfile.TemporaryDirectory() as tmp:
            folder = synth_folder(args.synth, Path(tmp) / "synth")
            print(json.dumps(measure(folder, args.repeat, cold=not args.no_cold), indent=2))
        return
    from ccgtui import paths

    folder = args.cases or paths.bundled_cases_dir()
    print(json.dumps(measure(folder, args.repeat, cold=not args.no_cold), indent=2))


if __name__ == "__main__":
    main()
