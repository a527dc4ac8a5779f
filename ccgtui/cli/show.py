"""The reading commands: ``list``, ``show`` and ``study``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from ccgtui import case_tabs
from ccgtui.cli.complete import complete_case_ids
from ccgtui.cli.context import Env, NotFound, pass_env
from ccgtui.cli.filters import FilterCommand
from ccgtui.cli.output import echo, echo_json_rows, emit, format_option, print_json

if TYPE_CHECKING:
    from ccgtui.facts import CaseSummary
    from ccgtui.model import Case, Dataset
    from ccgtui.present.views import CaseView, DatasetView


@click.command("list", cls=FilterCommand)
@click.argument("filters", nargs=-1)
@format_option
@pass_env
def list_cases(env: Env, filters: tuple[str, ...], fmt: str) -> None:
    """List the cases, optionally filtered (the same filters as `ccgtui search`).

    \b
    Examples:
      ccgtui list --format json | python -m json.tool
      ccgtui list kind:in-depth
      ccgtui list sector:social-work -is:illustrative   (-key:value excludes)
    """

    store = env.store()
    columns = ["id", "kind", "label", "study", "illustrative"]
    if not filters:  # straight from the table of contents: no summary is built
        listed = store.case_listing()
        if fmt == "json":
            echo_json_rows(columns, listed)
            return
        rows = [dict(zip(columns, row, strict=True)) for row in listed]
    else:
        rows = _filtered(env, store.case_summaries(), filters)
    if fmt != "table":
        emit(rows, columns, fmt, title="Cases")
        return
    from ccgtui.cli.fit import print_fitted

    # Ids whole, labels cut with "…" to fit; study and the flag only when there is room.
    print_fitted(rows, columns, title="Cases", squeeze="label", optional=("illustrative", "study"))


def _filtered(
    env: Env, listed: list[CaseSummary], filters: tuple[str, ...]
) -> list[dict[str, object]]:
    """The rows ``list`` prints of the cases that pass ``filters`` (key:value only)."""
    from ccgtui.cli.search import parse_or_usage, user_notes_and_tags
    from ccgtui.query import passes

    query = parse_or_usage(" ".join(filters))
    if query.words:
        raise click.UsageError(
            f"list takes only key:value filters; to search for {query.text!r} use `ccgtui search`"
        )
    tags = user_notes_and_tags(env)[1]
    listed = [s for s in listed if passes(s.facets, s.id, query.filters, tags)]
    if not listed:
        raise NotFound(f"no case matches {' '.join(filters)!r}")
    return [
        {
            "id": s.id,
            "kind": s.kind,
            "label": s.label,
            "study": s.study,
            "illustrative": s.illustrative,
        }
        for s in listed
    ]


class SectionChoice(click.Choice):  # type: ignore[type-arg]
    """``--section``: ``all``, the registered case tabs ``show`` prints, then ``ids``;
    read from :mod:`ccgtui.case_tabs` when asked, so a registered tab is a choice."""

    def __init__(self) -> None:
        super().__init__(case_tabs.show_choices())

    @property  # type: ignore[override]
    def choices(self) -> list[str]:
        return case_tabs.show_choices()

    @choices.setter
    def choices(self, value: object) -> None:
        pass  # always the registry's


@click.command()
@click.argument("case_ref", metavar="CASE", shell_complete=complete_case_ids)
@click.option(
    "--section",
    type=SectionChoice(),  # the case tab registry (ccgtui/case_tabs.py)
    default="all",
    show_default=True,
    help="Print only this part, fit to paste.",
)
@click.option(
    "--brief",
    is_flag=True,
    help="Five lines fit to paste: label, kind banner, arenas, partners, key finding.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@pass_env
def show(env: Env, case_ref: str, section: str, brief: bool, fmt: str) -> None:
    """Show one case: its story, arenas, partners, evidence and sources.

    CASE is an id, a unique id prefix or part of the label.  The last section lists
    the stage, arena and partner ids that `note add` and `bookmark add` take.
    Example: ccgtui show composite --section partners
    """
    if brief and section != "all":
        raise click.UsageError("--brief and --section: choose one")
    if not brief:
        cached = _cached_case(env, case_ref)  # no pydantic model imported (issue 16)
        if cached is not None and fmt == "json":
            from ccgtui.present.views import dumped

            print_json(dumped(cached[0]))  # the model's model_dump(mode="json")
            return
        if cached is not None:
            _print_text(*cached, section)
            return
    dataset = env.cases_with_references([case_ref])
    case = dataset.cases[0]
    if brief:
        from ccgtui.glance import brief as brief_lines

        lines = brief_lines(case, dataset)
        if fmt == "json":
            print_json({"id": case.id, "brief": lines})
        else:
            echo("\n".join(lines))
        return
    if fmt == "json":
        print_json(case.model_dump(mode="json"))
        return
    _print_text(case, dataset, section)


def _print_text(case: Case | CaseView, dataset: Dataset | DatasetView, section: str) -> None:
    from ccgtui.cli.case_ids import TITLE, case_id_lines
    from ccgtui.describe import case_section, case_sections, render_sections
    from ccgtui.wording import banners

    if section == "all":
        sections = [*case_sections(case, dataset), (TITLE, case_id_lines(case))]
    elif section == "ids":
        sections = [(TITLE, case_id_lines(case))]
    else:  # the section and the sources it cites, with their levels and notes
        sections = case_section(case, dataset, section)
    # The banners head every section too: a section is meant to be pasted on its own.
    echo(render_sections(sections, banners(case)), nl=False)


def _cached_case(env: Env, case_ref: str) -> tuple[CaseView, DatasetView] | None:
    """The case ``case_ref`` names and its study and sources, as views of the cache's JSON
    (:mod:`ccgtui.present.views`), found as ``Env.cases_with_references`` finds it;
    ``None`` when the store cannot hand out its records that way (then the models)."""
    from ccgtui.present.cached import cached_records, case_data

    store = env.store()
    records = cached_records(store)
    if records is None:
        return None
    data = case_data(records, case_ref)  # an exact id: no need to list them all
    if data is None:
        from ccgtui.cli.context import not_found_message
        from ccgtui.lookup import find_case

        lookup = find_case(store.case_summaries(), case_ref)
        if lookup.found is None:
            raise NotFound(not_found_message(case_ref, lookup.candidates, lookup.near))
        data = case_data(records, lookup.found.id)
        if data is None:  # the summaries and the records disagree: the models decide
            return None
    from ccgtui.present.views import CaseView, DatasetView, SourceView, StudyView

    try:
        view = CaseView(data)
        dataset = DatasetView(
            [StudyView(s) for s in records.studies.values()],
            [SourceView(s) for s in records.sources.values()],
        )
    except (KeyError, TypeError, ValueError):  # not as validated: the models say what is wrong
        return None
    return view, dataset


@click.command()
@click.argument("study_id", required=False)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option("--stats", is_flag=True, help="Counts, the phases and the survey charts.")
@pass_env
def study(env: Env, study_id: str | None, fmt: str, stats: bool) -> None:
    """Show a study: objectives, phases, team, surveys, concepts and findings.

    With no STUDY_ID, the main study.  Example: ccgtui study --format json
    """
    from ccgtui.describe import render_sections, study_sections

    dataset = env.dataset()
    if study_id:
        chosen = dataset.study(study_id)
    else:
        chosen = dataset.studies[0] if dataset.studies else None
    if chosen is None:
        known = ", ".join(s.id for s in dataset.studies)
        raise NotFound(f"no study {study_id!r}; known studies: {known}")
    if stats:
        _print_stats(dataset, chosen.id, fmt)
        return
    if fmt == "json":
        print_json(chosen.model_dump(mode="json"))
        return
    from ccgtui.wording import banners

    echo(render_sections(study_sections(chosen, dataset), banners(chosen)), nl=False)


def _print_stats(dataset: Dataset, study_id: str, fmt: str) -> None:
    from dataclasses import asdict

    from ccgtui.analysis import bar_chart, study_stats

    stats = study_stats(dataset, study_id)
    if fmt == "json":
        data = asdict(stats)
        data["phases"] = [p.model_dump(mode="json") for p in stats.phases]
        data["measures"] = [m.model_dump(mode="json") for m in stats.measures]
        print_json(data)
        return
    kinds = ", ".join(f"{k} {n}" for k, n in stats.cases_by_kind.items())
    lines = [
        f"Study {stats.study_id}",
        f"  cases:       {sum(stats.cases_by_kind.values())} ({kinds})",
        f"  statements:  {stats.statements} ({stats.unknowns} unknown, "
        f"{stats.unverified} unverified)",
        f"  sources:     {stats.sources} cited",
        "Phases",
        *(f"  {p.number}. {p.period or '(date not reported)':>20}  {p.name}" for p in stats.phases),
    ]
    if stats.measures:
        lines += ["Survey results", *(f"  {line}" for line in bar_chart(stats.measures))]
    echo("\n".join(lines))
