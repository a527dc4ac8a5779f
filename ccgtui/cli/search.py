"""``ccgtui search``: full-text search with filters, for quick lookups in meetings."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from ccgtui.cli.context import Env, NotFound, pass_env
from ccgtui.cli.filters import SearchCommand
from ccgtui.cli.output import FORMATS, emit, text

if TYPE_CHECKING:
    from ccgtui.search_index import PersistentIndex


def parse_or_usage(text: str):  # type: ignore[no-untyped-def]
    """Parse a query; a bad filter is a usage error (exit 2) with the allowed values.

    An over-long query (a paste or a script gone wrong) is refused before any work,
    without echoing it back.
    """
    from ccgtui.query import MAX_QUERY_CHARS, QueryError, parse_query

    if len(text) > MAX_QUERY_CHARS:
        raise click.UsageError(
            f"the search words and filters are {len(text):,} characters long; "
            f"the limit is {MAX_QUERY_CHARS:,} characters"
        )
    try:
        return parse_query(text)
    except QueryError as exc:
        raise click.UsageError(str(exc)) from exc


def user_notes_and_tags(env: Env) -> tuple[list[tuple[str, str]], dict[str, list[str]]]:
    """The user's notes (target, text) and tags (case id -> tags), for search and filters."""
    from ccgtui import userdata

    store = env.store()
    notes = [(n.target, n.text) for n in userdata.list_notes(store)]
    return notes, userdata.list_tags(store)


def _current_index(env: Env) -> tuple[PersistentIndex, dict[str, list[str]]] | None:
    """(index, tags) straight from the search index file when it describes the folder as it
    is now: the store is not opened, so neither its table of contents nor any case is read
    (issue 16: at 10,000 cases that was most of a search).  ``None``: open the store as
    every command does (it reloads, recovers or rebuilds, and says so).
    """
    from ccgtui import userdata
    from ccgtui.search_index import current_index
    from ccgtui.store import StoreError, store_for

    store = store_for(env.db, env.cases)
    tags: dict[str, list[str]] = {}

    def notes() -> list[tuple[str, str]]:  # read only when the index is current
        tags.update(userdata.list_tags(store))
        return [(n.target, n.text) for n in userdata.list_notes(store)]

    try:
        index = current_index(store, notes)
    except (StoreError, OSError, ValueError):  # e.g. a damaged notes file: open() recovers it
        return None
    return None if index is None else (index, tags)


def _index(env: Env, notes: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    """The persistent index written at load time; in memory when the cache has none.

    (A folder that failed to load serves its last good data, which may have no index.)
    """
    from ccgtui.store import StoreError

    env.dataset()  # opened (lazily: no case is read) and checked as every command does
    try:
        from ccgtui.search_index import search_index

        return search_index(env.store(), notes)
    except StoreError:
        from ccgtui.query import SearchIndex

        return SearchIndex(env.dataset(), notes=notes)


@click.command(cls=SearchCommand)
@click.argument("terms", nargs=-1, required=True)
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@pass_env
def search(env: Env, terms: tuple[str, ...], limit: int, fmt: str) -> None:
    """Search every statement, label, stage, partner, source and note.

    Words must all match (prefixes and small typos count); "quoted words" must stand
    together in that order; a OR b matches either; -word drops hits with the word.
    key:value filters narrow the cases: study: kind: arena: sector: theme: tag:
    has:unknowns is:unverified is:illustrative; -key:value excludes.

    \b
    Examples:
      ccgtui search frail
      ccgtui search sector:social-work arena:programme logics --format json
      ccgtui search frail -kind:composite
      ccgtui search '"clinical leadership"' gps OR nhs -england
    """
    query = parse_or_usage(" ".join(terms))
    if not query.words:
        raise click.UsageError("give at least one word to search for (filters alone: ccgtui list)")
    found = _current_index(env)
    if found is None:
        notes, tags = user_notes_and_tags(env)
        index = _index(env, notes)
    else:
        index, tags = found
    hits = index.search(query, limit=limit, tags=tags)
    if not hits:
        missing = [w for w in query.words if not index.search(w, limit=1)]
        hint = ""
        suggestions = sorted({s for w in missing for s in index.suggest(w)})
        if suggestions:
            hint = f" Did you mean: {', '.join(suggestions)}?"
        where = f" with {' '.join(t for t in terms if ':' in t)}" if query.filters else ""
        raise NotFound(f"nothing matches {query.text!r}{where}.{hint}")
    if fmt != "table":
        columns = ["case_id", "study_id", "tab", "field", "label", "snippet", "sources", "score"]
        emit([h.as_dict() for h in hits], columns, fmt)
        return

    from rich import box
    from rich.table import Table
    from rich.text import Text

    from ccgtui.cli.console import stdout_console
    from ccgtui.safe_text import clean_id

    table = Table(
        title=text(f"{len(hits)} result{'s' if len(hits) != 1 else ''} for {query.text!r}"),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_lines=False,
    )
    table.add_column("where", no_wrap=True, overflow="ellipsis", max_width=30)
    table.add_column("match", ratio=1)
    for hit in hits:
        origin = text(hit.case_id or hit.study_id or "sources", style="bold")
        origin.append(f"\n{hit.place}", style="dim")  # "Story, stage 2: title", cleaned
        # Cleaned piece by piece, so the match spans still fall on the matched words.
        snippet, start = Text(), 0
        for a, b in sorted(hit.spans):
            a = max(a, start)
            if b <= a:
                continue
            snippet.append(clean_id(hit.snippet[start:a]))
            snippet.append(clean_id(hit.snippet[a:b]), style="bold reverse")
            start = b
        snippet.append(clean_id(hit.snippet[start:]))
        if hit.sources:
            snippet.append(f" [{', '.join(clean_id(s) for s in hit.sources)}]", style="dim")
        table.add_row(origin, snippet)
    stdout_console().print(table)
