"""Issue 16's targets, judged from one run of bench/run.py, and the tables it prints.

Every ratio is of medians of figures measured in the same run (the rounds interleave
the commands, so a busy spell on the shared machine falls on both sides of a ratio).
The ratio of minima is shown beside it: on a noisy machine it is the better guess of
the intrinsic cost, but the verdict is the median's.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Any

# The issue's own "today" figures at 10k (its table, a quiet machine): the fixed
# reference when no older code was measured in the run.
ISSUE_TODAY_10K = {"matrix": 5.7, "export": 5.7}
CMD_LABEL = {
    "list": "`list --format json`",
    "show": "`show`",
    "search": "`search frail`",
    "matrix": "`matrix --by arenas --format json`",
    "export": "`export json -o`",
}


@dataclass
class Verdict:
    figure: str
    measured: str  # median (min), with units
    reference: str  # the peer, floor or before it is compared with
    ratio: str  # median-based (min-based)
    goal: str
    verdict: str


def med(values: list[float]) -> float:
    return statistics.median(values)


def fmt_s(values: list[float]) -> str:
    return f"{med(values):.3f} s ({min(values):.3f})"


def judge(value: float, value_min: float, limit: float) -> str:
    if value <= limit:
        return "**met**"
    if value_min <= limit:
        return "**missed** (met on minima)"
    return "**missed**"


def _ratio(a: list[float], b: list[float], goal: float, figure: str, ref: str) -> Verdict:
    r, r_min = med(a) / med(b), min(a) / min(b)
    return Verdict(
        figure,
        fmt_s(a),
        f"{ref} {fmt_s(b)}",
        f"{r:.2f}× ({r_min:.2f}×)",
        f"≤ {goal}×",
        judge(r, r_min, goal),
    )


def _missing(figure: str, goal: str, why: str) -> Verdict:
    return Verdict(figure, "-", "-", "-", goal, f"not measured ({why})")


def verdicts(res: dict[str, Any]) -> list[Verdict]:
    cli, out = res["cli"], []
    bundled = cli["bundled"]
    floor = res["floor"]
    for cmd in ("list", "show", "export"):
        a = bundled[cmd]
        over, over_min = med(a) - med(floor), min(a) - min(floor)
        out.append(
            Verdict(
                f"{CMD_LABEL[cmd]} on the bundled data − floor",
                fmt_s(a),
                f"floor {fmt_s(floor)}",
                f"+{over:.3f} s (+{over_min:.3f})",
                "≤ +0.05 s",
                judge(over, over_min, 0.05),
            )
        )
    for n, goal in (("10000", 1.5), ("50000", 2.0)):
        for cmd in ("search", "show", "list"):
            figure = f"{CMD_LABEL[cmd]} at {int(n):,} ÷ bundled"
            if n not in cli:
                out.append(_missing(figure, f"≤ {goal}×", f"no {int(n):,} in this run"))
                continue
            out.append(_ratio(cli[n][cmd], bundled[cmd], goal, figure, "bundled"))
    if "10000" in cli:
        peer = res["fts"]["10000"]["query"]
        out.append(_ratio(cli["10000"]["search"], peer, 2.0, "`search` at 10k ÷ FTS5 peer", "peer"))
    before_label = next((k for k in cli if k.startswith("before-")), "before-10000")
    before, at = cli.get(before_label), before_label.removeprefix("before-")
    for cmd in ("matrix", "export"):
        figure = f"{CMD_LABEL[cmd]} at {int(at):,} ÷ before"
        if at not in cli:
            out.append(_missing(figure, "≤ 0.3×", "no 10k"))
        elif before:
            ref = f"before ({res['meta']['before']})"
            row = _ratio(cli[at][cmd], before[cmd], 0.3, figure, ref)
            today = ISSUE_TODAY_10K[cmd]  # also against the issue's own figure, for reference
            row.ratio += f"; the issue's {today} s: {med(cli[at][cmd]) / today:.2f}×"
            out.append(row)
        else:
            a = cli["10000"][cmd]
            today = ISSUE_TODAY_10K[cmd]
            r = med(a) / today
            out.append(
                Verdict(
                    figure,
                    fmt_s(a),
                    f"the issue's {today} s (not remeasured)",
                    f"{r:.2f}× ({min(a) / today:.2f}×)",
                    "≤ 0.3×",
                    judge(r, min(a) / today, 0.3),
                )
            )
    for cmd in ("matrix", "export"):
        figure = f"{CMD_LABEL[cmd]} at 50k ÷ at 10k"
        if "50000" not in cli or "10000" not in cli:
            out.append(_missing(figure, "≤ 5.5×", "no --with-50k"))
            continue
        out.append(_ratio(cli["50000"][cmd], cli["10000"][cmd], 5.5, figure, "10k"))
    out += _rss(res)
    out += _paint(res)
    out += _load(res)
    return out


def rss_figures(res: dict[str, Any], n: str) -> dict[str, float]:
    """Peak RSS (MB, the largest of the runs) of every command measured at size ``n``."""
    found: dict[str, float] = {}
    row = res["cli"].get(n, {})
    for cmd in CMD_LABEL:
        if cmd + "_rss" in row:
            found[CMD_LABEL[cmd]] = max(row[cmd + "_rss"])
    if n in res["load"]:
        found["load (`Store.open`, new database)"] = max(res["load"][n]["rss"])
    touch = res["touch"].get(n)
    if touch:
        found["`list` after touching one file"] = max(touch["list_rss"])
        if touch.get("search_rss"):
            found["`search` after touching one file"] = max(touch["search_rss"])
    paint = res["paint"].get(n)
    if paint:
        found["explorer (once the case list is filled)"] = paint["warm"]["rss_max_mb"]
    return found


def _rss(res: dict[str, Any]) -> list[Verdict]:
    out = []
    for n, limit in (("10000", 150), ("50000", 400)):
        figures = rss_figures(res, n)
        if not figures:
            out.append(_missing(f"peak RSS at {int(n):,}", f"≤ {limit} MB", "size not run"))
        for name, mb in figures.items():
            v = "**met**" if mb <= limit else "**missed**"
            out.append(
                Verdict(
                    f"peak RSS at {int(n):,}: {name}", f"{mb:.0f} MB", "-", "-", f"≤ {limit} MB", v
                )
            )
    return out


def _paint(res: dict[str, Any]) -> list[Verdict]:
    out = []
    for key, goal in (("bundled", 1.15), ("10000", 1.5)):
        figure = f"explorer first paint ({'bundled' if key == 'bundled' else '10k'}) ÷ minimal app"
        paint = res["paint"].get(key)
        if not paint:
            out.append(_missing(figure, f"≤ {goal}×", "not run"))
            continue
        warm, peer = paint["warm"]["runs_s"], paint["peer"]["runs_s"]
        out.append(_ratio(warm, peer, goal, figure, "minimal Textual app"))
    return out


def _load(res: dict[str, Any]) -> list[Verdict]:
    out = []
    load = res["load"].get("10000")
    if load:
        s, ref = load["s"], "-"
        if "before_load_s" in res:  # the old code's `ccgtui load`, once, in the same run
            ref = f"before: {res['before_load_s']:.2f} s ({res['before_load_rss']:.0f} MB), CLI"
        out.append(
            Verdict(
                "load 10k (`Store.open`, new database)",
                fmt_s(s),
                ref,
                "-",
                "≤ 5 s",
                judge(med(s), min(s), 5.0),
            )
        )
    touch = res["touch"].get("10000")
    if touch:
        s = touch["open_s"]
        how = "incremental" if all(touch["incremental"]) else "NOT all incremental"
        out.append(
            Verdict(
                f"reload after touching one file of 10k (`Store.open`, {how})",
                fmt_s(s),
                "-",
                "-",
                "≤ 0.5 s",
                judge(med(s), min(s), 0.5),
            )
        )
    return out


def verdict_table(rows: list[Verdict]) -> str:
    lines = [
        "| figure | measured: median (min) | compared with | ratio: median (min) "
        "| goal | verdict |",
        "|---|---|---|---|---|---|",
    ]
    for v in rows:
        lines.append(
            f"| {v.figure} | {v.measured} | {v.reference} | {v.ratio} | {v.goal} | {v.verdict} |"
        )
    return "\n".join(lines)


def figures_table(res: dict[str, Any]) -> str:
    """Every size's figures (medians; peak RSS in brackets), the issue's table shape."""
    cli = res["cli"]
    lines = [
        "| cases | load (of which search index) | re-open | touch 1 file: reload / `list` "
        "| `list --format json` | `show` | `search frail` | FTS5 peer query "
        "| `matrix --by arenas --format json` | `export json -o` |",
        "|" + "---|" * 10,
    ]
    labels = [k for k in cli if not k.startswith("before")] + [
        k for k in cli if k.startswith("before")
    ]
    for label in labels:
        row = cli[label]
        n = label.removeprefix("before-")

        def cmd(name: str, row: dict[str, Any] = row) -> str:
            if name not in row:
                return "-"
            return f"{med(row[name]):.2f} s ({max(row[name + '_rss']):.0f} MB)"

        load, size = res["load"].get(n), label
        if label.isdigit():
            size = f"{int(label):,}"
        elif label.startswith("before"):
            size = f"{int(n):,}, before ({res['meta']['before']})"
        head = "- | -"
        if load and not label.startswith("before"):
            reopen = f"{med(res['reopen'][n]):.3f} s" if n in res["reopen"] else "-"
            head = (
                f"{med(load['s']):.2f} s ({med(load['index_s']):.2f} s, {max(load['rss']):.0f} MB)"
                f" | {reopen}"
            )
        elif label.startswith("before") and "before_load_s" in res:
            head = f"{res['before_load_s']:.2f} s ({res['before_load_rss']:.0f} MB, CLI) | -"
        touch = res["touch"].get(n) if not label.startswith("before") else None
        touched = f"{med(touch['open_s']):.3f} s / {med(touch['list_s']):.2f} s" if touch else "-"
        fts = res["fts"].get(n) if not label.startswith("before") else None
        peer = f"{med(fts['query']):.3f} s" if fts else "-"
        lines.append(
            f"| {size} | {head} | {touched} | {cmd('list')} | {cmd('show')} | {cmd('search')} "
            f"| {peer} | {cmd('matrix')} | {cmd('export')} |"
        )
    return "\n".join(lines)


def extras_table(res: dict[str, Any]) -> str:
    lines = [
        "| cases | search in process median / p95 | index open | FTS5 peer build "
        "| first `search` after a touch | explorer first paint / minimal app (RSS) |",
        "|---|---|---|---|---|---|",
    ]
    for n, s in res["inproc"].items():
        touch = res["touch"].get(n, {})
        after = (
            f"{touch['search_s'][0]:.2f} s ({max(touch['search_rss']):.0f} MB)"
            if touch.get("search_s")
            else "-"
        )
        paint = res["paint"].get(n)
        painted = (
            f"{paint['warm']['median_s']:.3f} s / {paint['peer']['median_s']:.3f} s "
            f"({paint['warm']['rss_max_mb']:.0f} MB)"
            if paint
            else "-"
        )
        lines.append(
            f"| {int(n):,} | {s['median'] * 1000:.1f} / {s['p95'] * 1000:.1f} ms "
            f"| {s['open'] * 1000:.0f} ms | {res['fts'][n]['build_s']:.2f} s "
            f"| {after} | {painted} |"
        )
    paint = res["paint"].get("bundled")
    if paint:
        lines.append(
            f"| bundled | - | - | - | - | {paint['warm']['median_s']:.3f} s / "
            f"{paint['peer']['median_s']:.3f} s ({paint['warm']['rss_max_mb']:.0f} MB) |"
        )
    return "\n".join(lines)
