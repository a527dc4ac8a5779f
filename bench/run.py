"""The benchmark harness (``make bench``): measure issue 16's figures, judge them, and
write docs/benchmarks.md.

Every figure is a fresh process, run ``--repeat`` times.  The CLI commands, the
dependency floor, the FTS5 peer and the re-opens run in interleaved rounds (one of each
per round, every size), so the ratios the issue sets compare figures taken side by side.

    python bench/run.py                          # bundled, 1k, 10k; writes docs/benchmarks.md
    python bench/run.py --with-50k --repeat 5    # the full run (many minutes)
    python bench/run.py --sizes 100 --repeat 2 --no-write   # a quick check of the harness

``--snapshot REF`` measures the code of that commit (``git archive`` of ccgtui/ and cases/)
instead of the working tree, which other people may be editing while the bench runs.
``--before REF`` (default: the commit before issue 16's work) measures `matrix` and
`export json` at 10k with that commit's code, extracted with ``git archive``; ``--before ''``
uses the issue's own figures instead.  ``--work DIR`` keeps the synthetic folders between
runs (they are deterministic); the databases are always new.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
import probes  # noqa: E402
import report  # noqa: E402
from synth import write_synthetic  # noqa: E402
from tui_first_paint import measure as first_paint  # noqa: E402

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
# The parent of issue 16's first commit (50530d7): the code the issue's table measured.
BEFORE_REF = "50530d7^"
TOUCHED = "synth-00007.yaml"


def log(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def synthetic(n: int, work: Path) -> Path:
    """bench/synth.py's folder of ``n`` cases, reused when ``work`` already holds it whole."""
    folder = work / f"cases-{n}"
    done = work / f"cases-{n}.done"
    if not done.exists():
        write_synthetic(folder, n)
        done.write_text("written by bench/run.py\n")
    return folder


class Bench:
    def __init__(self, args: argparse.Namespace, tmp: Path, work: Path) -> None:
        self.args, self.tmp, self.work = args, tmp, work
        self.code: Path | None = args.code.resolve() if args.code else None
        self.cases = REPO / "cases"
        if args.snapshot:  # that commit's package first on the path, its bundled cases
            self.code = probes.extract_code(args.snapshot, REPO, tmp / "code", "ccgtui", "cases")
            self.cases = self.code / "cases"
        self.before: Path | None = None
        self.before_at = str(args.before_size)  # the size the old code is measured at
        self.folders: dict[str, Path] = {}
        self.first: dict[str, str] = {}
        self.res: dict[str, Any] = {
            "cli": {},
            "floor": [],
            "fts": {},
            "load": {},
            "reopen": {},
            "inproc": {},
            "paint": {},
            "touch": {},
            "loadavg": [],
        }

    def py_env(self) -> dict[str, str]:
        env = {**os.environ}
        env.pop("PYTHONPATH", None)
        if self.code is not None:
            env["PYTHONPATH"] = str(self.code)
        return env

    def db(self, label: str) -> Path:
        return self.tmp / f"db-{label}" / "ccgtui.json"

    def sample_load(self) -> None:
        self.res["loadavg"].append(round(os.getloadavg()[0], 2))

    # -- preparing: folders, databases (timed cold loads), the peer, the old code --------

    def prepare(self, sizes: list[int]) -> None:
        self.folders["bundled"] = self.cases
        self.cold_load("bundled", 1)
        env = probes.cli_env(self.db("bundled"), self.cases, self.code)
        listed = probes.measured([*probes.ccgtui_cmd(self.code), "list", "--format", "json"], env)
        self.first["bundled"] = json.loads(listed[2])[0]["id"]
        for n in sizes:
            label = str(n)
            log(f"writing {n:,} synthetic cases (or reusing {self.work})")
            self.folders[label] = synthetic(n, self.work)
            self.first[label] = "synth-00001"
            self.cold_load(label, 1 if n >= 50000 else 2)
            self.sample_load()
            log(f"building the FTS5 peer over {n:,} cases")
            fts = self.tmp / f"fts-{n}.sqlite"
            # Built with the code under test from the size's database: other code would find
            # that cache not its own and reload it (a full load, twice, at 50k).  An older
            # checkout (--code) may lack search_build: this checkout builds it, in its own.
            env, db = self.py_env(), self.db(label)
            if self.args.code:
                env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
                db = self.tmp / f"fts-db-{n}" / "ccgtui.json"
                db.parent.mkdir(parents=True, exist_ok=True)
            build = probes.FTS_BUILD.format(
                db=str(db), cases=str(self.folders[label]), fts=str(fts)
            )
            self.res["fts"][label] = {"build_s": probes.script(build, env)[0]["s"], "query": []}
        if self.args.before and self.before_at in self.folders and not self.args.code:
            self.prepare_before()

    def cold_load(self, label: str, times: int) -> None:
        """``Store.open()`` on new databases; the last one is the size's database."""
        log(f"loading {label} into a new database ×{times}")
        runs: dict[str, list[float]] = {"s": [], "index_s": [], "rss": []}
        for i in range(times):
            db = self.db(label) if i == times - 1 else self.tmp / f"cold-{label}-{i}" / "c.json"
            db.parent.mkdir(parents=True, exist_ok=True)
            code = probes.OPEN.format(db=str(db), cases=str(self.folders[label]))
            out, _, rss = probes.script(code, self.py_env())
            runs["s"].append(out["s"])
            runs["index_s"].append(out["index_s"])
            runs["rss"].append(rss)
        self.res["load"][label] = runs

    def prepare_before(self) -> None:
        ref = self.args.before
        self.res["meta"]["before"] = f"{ref} = {probes.resolve(ref, REPO)}"
        self.before = probes.extract_code(ref, REPO, self.tmp / "before-code")
        db = self.db("before-" + self.before_at)
        db.parent.mkdir(parents=True, exist_ok=True)
        log(f"loading {self.before_at} cases with the code of {ref}")
        env = probes.cli_env(db, self.folders[self.before_at], self.before)
        wall, rss, _ = probes.measured([*probes.ccgtui_cmd(self.before), "load"], env)
        self.res["before_load_s"], self.res["before_load_rss"] = wall, rss

    # -- the interleaved rounds ---------------------------------------------------------

    def rounds(self, labels: list[str]) -> None:
        for r in range(self.args.repeat):
            log(f"round {r + 1} of {self.args.repeat} (load average {os.getloadavg()[0]:.2f})")
            self.sample_load()
            self.res["floor"].append(probes.floor(self.py_env()))
            for label in labels:
                self.cli_round(label, label, self.code)
                if label != "bundled":
                    self.res["fts"][label]["query"].append(
                        probes.fts_query(self.tmp / f"fts-{label}.sqlite", self.py_env())
                    )
                    code = probes.OPEN.format(
                        db=str(self.db(label)), cases=str(self.folders[label])
                    )
                    out = probes.script(code, self.py_env())[0]
                    self.res["reopen"].setdefault(label, []).append(out["s"])
                    if out["reloaded"]:  # a cache some command did not take as current
                        self.res.setdefault("surprises", []).append(f"round {r + 1}: {label}")
            if self.before is not None and r < self.args.before_repeat:
                label = "before-" + self.before_at
                self.cli_round(label, self.before_at, self.before, ("matrix", "export"))

    def cli_round(
        self, label: str, folder: str, code: Path | None, names: tuple[str, ...] = ()
    ) -> None:
        env = probes.cli_env(self.db(label), self.folders[folder], code)
        row = self.res["cli"].setdefault(label, {})
        for name in names or tuple(probes.CLI_COMMANDS):
            out = self.tmp / f"export-{label}.json"
            wall, rss = probes.cli(name, env, code, self.first[folder], out)
            row.setdefault(name, []).append(wall)
            row.setdefault(name + "_rss", []).append(rss)

    # -- once per size: in-process search, first paint, touch one file --------------------

    def inproc(self, label: str) -> None:
        code = probes.SEARCH.format(
            db=str(self.db(label)), cases=str(self.folders[label]), queries=QUERIES
        )
        self.res["inproc"][label] = probes.script(code, self.py_env())[0]

    def paint(self, label: str) -> None:
        log(f"explorer first paint, {label}")
        env = probes.cli_env(self.db(label), self.folders[label], self.code)
        self.res["paint"][label] = first_paint(
            self.folders[label], self.args.repeat, cold=False, db=self.db(label), env=env
        )

    def touch(self, label: str) -> None:
        """Edit one case file, then time the reload; again, then the next ``list``."""
        log(f"touch one file of {label} and reload ×{self.args.repeat}")
        folder, db = self.folders[label], self.db(label)
        env = probes.cli_env(db, folder, self.code)
        touch = probes.Touch(folder / TOUCHED)
        got: dict[str, list[Any]] = {k: [] for k in ("open_s", "incremental", "list_s", "list_rss")}
        try:
            for _ in range(self.args.repeat):
                touch()
                out, _, _ = probes.script(probes.OPEN.format(db=str(db), cases=str(folder)), env)
                got["open_s"].append(out["s"])
                got["incremental"].append(out["incremental"])
                touch()
                wall, rss = probes.cli("list", env, self.code, self.first[label], self.tmp / "x")
                got["list_s"].append(wall)
                got["list_rss"].append(rss)
            touch()  # the first search after an edit: reload, search index patched with it
            wall, rss = probes.cli("search", env, self.code, self.first[label], self.tmp / "x")
            got["search_s"], got["search_rss"] = [wall], [rss]
        finally:
            touch.restore()
        self.res["touch"][label] = got


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


def code_label(args: argparse.Namespace) -> str:
    if args.code:
        return str(args.code)
    if args.snapshot:
        return f"{probes.resolve(args.snapshot, REPO)} (a snapshot of its ccgtui/ and cases/)"
    dirty = subprocess.run(
        ["git", "-C", str(REPO), "status", "--porcelain", "ccgtui", "cases"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return probes.resolve("HEAD", REPO) + (" plus uncommitted changes" if dirty else "")


def text_of(res: dict[str, Any]) -> str:
    meta, loads = res["meta"], res["loadavg"]
    head = (
        f"Measured {meta['date']} {meta['started']}–{meta['finished']} UTC on {meta['machine']}, "
        f"code {meta['commit']}, by `python bench/run.py {meta['argv']}`: "
        f"{meta['repeat']} interleaved rounds, every figure a fresh process; "
        f"1-minute load average during the run {min(loads):.2f}–{max(loads):.2f} "
        f"(median {report.med(loads):.2f}) on {os.cpu_count()} cores shared with other work."
    )
    if res.get("surprises"):
        head += (
            " **Warning**: a re-open reloaded the folder, so some figure includes a reload: "
            + ", ".join(res["surprises"])
            + "."
        )
    return (
        f"{head}\n\n### Targets\n\n{report.verdict_table(report.verdicts(res))}\n\n"
        f"### Every figure (medians; peak RSS in brackets)\n\n{report.figures_table(res)}\n\n"
        f"{report.extras_table(res)}\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="Run the ccgtui benchmarks.")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--with-50k", action="store_true", help="also 50,000 cases (slow)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--before", default=BEFORE_REF, help="older commit for matrix/export")
    parser.add_argument("--before-repeat", type=int, default=3)
    parser.add_argument("--before-size", type=int, default=10000, help="cases for --before")
    parser.add_argument("--no-paint", action="store_true", help="skip the explorer first paint")
    parser.add_argument("--no-write", action="store_true", help="print, do not update the doc")
    parser.add_argument("--work", type=Path, help="keep the synthetic folders here")
    parser.add_argument("--json", type=Path, help="also write every raw figure here")
    parser.add_argument("--code", type=Path, help="measure another checkout of ccgtui")
    parser.add_argument("--snapshot", help="measure this commit's code, not the working tree")
    parser.add_argument("--from-json", type=Path, help="judge and write a saved --json run")
    args = parser.parse_args()
    if args.from_json:
        res = json.loads(args.from_json.read_text())
        return publish(res, args)
    sizes = args.sizes + ([50000] if args.with_50k else [])
    labels = ["bundled", *map(str, sizes)]
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        work = args.work or tmp / "synth"
        work.mkdir(parents=True, exist_ok=True)
        bench = Bench(args, tmp, work)
        res = bench.res
        res["meta"] = {
            "date": time.strftime("%Y-%m-%d", time.gmtime()),
            "started": time.strftime("%H:%M", time.gmtime()),
            "machine": machine(),
            "commit": code_label(args),
            "argv": " ".join(sys.argv[1:]),
            "repeat": args.repeat,
        }
        bench.prepare(sizes)
        bench.rounds(labels)
        for label in labels[1:]:
            bench.inproc(label)
        if not args.no_paint:
            for label in labels:  # the targets: bundled and 10k
                if label == "bundled" or int(label) <= 10000:
                    bench.paint(label)
        for label in labels[1:]:
            bench.touch(label)
        bench.sample_load()
        res["meta"]["finished"] = time.strftime("%H:%M", time.gmtime())
    if args.json:  # before judging, so a fault in the tables loses no measurement
        args.json.write_text(json.dumps(res, indent=1))
    publish(res, args)


def publish(res: dict[str, Any], args: argparse.Namespace) -> None:
    text = text_of(res)
    print(text)
    if args.no_write or args.code is not None:
        return
    doc = REPO / "docs" / "benchmarks.md"
    head = doc.read_text(encoding="utf-8").split(MARK)[0].rstrip() + "\n\n" + MARK + "\n\n"
    doc.write_text(head + text, encoding="utf-8")


if __name__ == "__main__":
    main()
