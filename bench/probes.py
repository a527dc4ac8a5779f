"""What bench/run.py measures, one fresh process per figure.

Each probe returns wall seconds, and peak RSS where the issue asks for it
(``/usr/bin/time -f %M``: the largest single process of the command's tree, so a
load's pool workers count one at a time, not summed).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import yaml

PY = sys.executable
CCGTUI = str(Path(PY).parent / "ccgtui")
# Commands run outside the checkout: ``python -c`` puts the working folder first on the
# path, which would shadow the code ``--code``/``--before`` points at.
RUN_DIR = "/"

# The dependency floor: what list/show/export cannot avoid importing.
FLOOR = "import click, tinydb, yaml, pydantic, rich.console, rich.table"

# Store.open() in a fresh process, with the search-index write timed on its own (issue 16
# asks for it to be printed) and whether the open was an incremental reload.
OPEN = """
import json, time
from ccgtui.store import Store
spent, refreshed = [], []
if hasattr(Store, "_write_search_index"):
    inner = Store._write_search_index
    def timed(self, *a):
        t = time.perf_counter(); inner(self, *a); spent.append(time.perf_counter() - t)
    Store._write_search_index = timed
if hasattr(Store, "_refresh_or_fail"):
    refresh = Store._refresh_or_fail
    def noted(self, *a):
        done = refresh(self, *a); refreshed.append(done); return done
    Store._refresh_or_fail = noted
s = Store({db!r}, {cases!r}); t = time.perf_counter(); r = s.open()
print(json.dumps({{"s": time.perf_counter() - t, "index_s": sum(spent),
                   "reloaded": r.reloaded, "incremental": any(refreshed)}}))
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

# The peer: a persistent SQLite FTS5 file over the same statements, queried by a bare
# script. Built by this checkout from a store it has already loaded (cases read one by one).
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

# The table, in its order; {first} is a case id, {out} a file in the temp folder.
CLI_COMMANDS = {
    "list": ["list", "--format", "json"],
    "show": ["show", "{first}"],
    "search": ["search", "frail"],
    "matrix": ["matrix", "--by", "arenas", "--format", "json"],
    "export": ["export", "json", "--force", "-o", "{out}"],
}


def measured(cmd: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """(wall seconds, peak RSS in MB, stdout) of one command in a fresh process."""
    start = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-f", "%M", *cmd], capture_output=True, text=True, env=env, cwd=RUN_DIR
    )
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{cmd} failed ({done.returncode}): {done.stderr[-800:]}")
    return wall, int(done.stderr.strip().splitlines()[-1]) / 1024, done.stdout


def script(code: str, env: dict[str, str]) -> tuple[dict[str, Any], float, float]:
    """Run ``code`` (it prints one JSON object last) -> (that object, wall s, peak RSS MB)."""
    wall, rss, out = measured([PY, "-c", code], env)
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result, wall, rss


def floor(env: dict[str, str]) -> float:
    return measured([PY, "-c", FLOOR], env)[0]


def fts_query(fts: Path, env: dict[str, str]) -> float:
    return measured([PY, "-c", FTS_QUERY, str(fts), "frail"], env)[0]


def cli_env(db: Path, cases: Path, code: Path | None) -> dict[str, str]:
    env = {**os.environ, "CCGTUI_DB": str(db), "CCGTUI_CASES": str(cases)}
    env.pop("PYTHONPATH", None)
    if code is not None:  # that checkout's package first on the path
        env["PYTHONPATH"] = str(code)
    return env


def ccgtui_cmd(code: Path | None) -> list[str]:
    """This checkout's console script, or ``python -m ccgtui`` for another checkout."""
    return [PY, "-m", "ccgtui"] if code is not None else [CCGTUI]


def cli(
    name: str, env: dict[str, str], code: Path | None, first: str, out: Path
) -> tuple[float, float]:
    """One of CLI_COMMANDS -> (wall s, peak RSS MB)."""
    args = [a.format(first=first, out=out) for a in CLI_COMMANDS[name]]
    wall, rss, _ = measured([*ccgtui_cmd(code), *args], env)
    return wall, rss


def extract_code(ref: str, repo: Path, into: Path, *paths: str) -> Path:
    """``git archive`` of ``ref``'s ccgtui/ (or ``paths``) into ``into`` (no worktree in
    the shared .git)."""
    into.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(
        ["git", "-C", str(repo), "archive", ref, *(paths or ["ccgtui"])],
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def resolve(ref: str, repo: Path) -> str:
    out = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "--short", ref],
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()


class Touch:
    """Rewrite one case file with a changed statement (new size and mtime); restore it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.original = path.read_bytes()
        self.count = 0

    def __call__(self) -> None:
        self.count += 1
        data = yaml.safe_load(self.original)
        data["summary"]["text"] += f" Edited by the bench, round {self.count}."
        self.path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))

    def restore(self) -> None:
        self.path.write_bytes(self.original)
