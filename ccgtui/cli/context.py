"""Shared state for every command: where the database and case folder are."""

from __future__ import annotations

import shlex
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NoReturn

import click

from ccgtui.safe_text import clean_id, show_name
from ccgtui.wording import plural

if TYPE_CHECKING:
    from ccgtui.model import Case, Dataset
    from ccgtui.store import OpenReport, Store


class NotFound(click.ClickException):
    """Exit code 1: the thing asked for does not exist (or data is invalid)."""

    exit_code = 1

    def show(self, file: IO[Any] | None = None) -> None:
        # The project's error style (`ccgtui: ...`), not click's `Error: ...`.
        click.echo(f"ccgtui: {self.format_message()}", err=True, file=file)


@dataclass
class Env:
    db: Path | None = None
    cases: Path | None = None
    # Set by the note, tag, bookmark and notes groups: the notes file needs no case
    # data, so a broken folder with no cache to answer from still lets it be read.
    cases_optional: bool = False
    cases_unavailable: str | None = None  # why, when opened without any case data
    _store: Store | None = field(default=None, repr=False)

    def store(self, *, reload: bool | None = None) -> Store:
        """Open the store once per command; say on stderr when the data is not current."""
        if self._store is None or reload:
            store, report = self.open(reload=reload, failed_note=self._no_fallback())
            if report.problems is not None:
                click.echo(stale_notice(store.cases_dir, len(report.problems.problems)), err=True)
        assert self._store is not None
        return self._store

    def _no_fallback(self) -> str:
        from ccgtui import paths

        folder = paths.cases_dir(self.cases)
        return f"no earlier good load of {show_name(folder)} to answer from; fix the problems above"

    def open(
        self, *, reload: bool | None = None, failed_note: str = ""
    ) -> tuple[Store, OpenReport]:
        """Open and report recoveries; a folder with problems and no good data exits 1."""
        from ccgtui.cli.progress import load_progress
        from ccgtui.store import OpenReport, StoreError, store_for

        store = store_for(self.db, self.cases)
        try:
            with load_progress() as progress:  # a bar on a terminal's stderr, else nothing
                store.on_progress = progress
                report = store.open(reload=reload)
        except StoreError as exc:
            raise NotFound(str(exc)) from exc
        except Exception as exc:
            # A LoadError's module (it imports yaml, 20 ms) is loaded only by a load:
            # looked up, so that opening a current cache does not import it.
            problems = sys.modules.get("ccgtui.loader.problems")
            if problems is None or not isinstance(exc, problems.LoadError):
                raise
            # Recoveries made before the load failed (a damaged cache moved aside).
            for message in store.last_open.messages if store.last_open else []:
                click.echo(f"ccgtui: {message}", err=True)
            if not self.cases_optional:
                fail_load(exc, failed_note)
            self._without_cases(store, exc)
            return store, OpenReport()
        for message in report.messages:
            click.echo(f"ccgtui: {message}", err=True)
        self._store = store
        return store, report

    def _without_cases(self, store: Store, exc: Exception) -> None:
        """Use the notes file alone, saying once on stderr why there is no case data."""
        from ccgtui.loader import LoadError

        folder = store.cases_dir
        count = len(exc.problems) if isinstance(exc, LoadError) else 1
        cache = (
            "the case cache holds another folder's data"
            if store.db_path.exists()
            else "there is no case cache to answer from"
        )
        self.cases_unavailable = (
            f"the case data is unavailable: the case folder {show_name(folder)} has "
            f"{plural(count, 'problem')} (`{validate_hint(folder)}` lists them) and {cache}"
        )
        click.echo(f"ccgtui: {self.cases_unavailable}; every status is shown as unknown", err=True)
        self._store = store  # not opened: user_db() needs only the notes file and the lock

    def has_cases(self) -> bool:
        """Whether case data could be had (opens the store if not yet open)."""
        self.store()
        return self.cases_unavailable is None

    def need_cases(self, what: str) -> None:
        """Exit 1 when there is no case data to check ``what`` against; nothing is saved."""
        if not self.has_cases():
            raise NotFound(
                f"cannot {what}: {self.cases_unavailable}, so the target cannot be checked; "
                "nothing was saved (run the command again once the folder is fixed)"
            )

    def dataset(self) -> Dataset:
        self.need_cases("read the cases")
        return self.store().dataset()

    def case(self, ref: str) -> Case:
        """Find a case by id, unique id prefix or label; exit 1 with suggestions if not."""
        self.need_cases(f"look up the case {clean_id(ref)!r}")
        return self.cases_with_references([ref]).cases[0]

    def cases_with_references(self, refs: list[str]) -> Dataset:
        """The studies, the sources and the cases ``refs`` name, in that order.

        Only those cases are read and validated, which keeps one-case commands
        quick however big the folder is.
        """
        from ccgtui.lookup import find_case

        store = self.store()
        ids = []
        for ref in refs:
            if store.dataset().case(ref) is not None:  # an exact id: no need to list them all
                ids.append(ref)
                continue
            lookup = find_case(store.case_summaries(), ref)
            if lookup.found is None:
                raise NotFound(not_found_message(ref, lookup.candidates, lookup.near))
            ids.append(lookup.found.id)
        partial = store.partial_dataset(ids)
        by_id = {c.id: c for c in partial.cases}
        return partial.model_copy(update={"cases": [by_id[i] for i in ids]})


CANDIDATES_SHOWN = 50  # beyond this an ambiguous reference points to `ccgtui list`


def not_found_message(ref: str, candidates: list[str], near: list[str]) -> str:
    """Why ``ref`` names no one case: every case it fits, or the ids nearest a typo."""
    shown = repr(clean_id(ref))
    if candidates:
        listed = ", ".join(clean_id(c) for c in candidates[:CANDIDATES_SHOWN])
        more = len(candidates) - CANDIDATES_SHOWN
        tail = f" and {more:,} more (`ccgtui list` shows them)" if more > 0 else ""
        return (
            f"{shown} matches {plural(len(candidates), 'case')}: {listed}{tail}; "
            "give one of these ids"
        )
    hint = f" Did you mean: {', '.join(clean_id(n) for n in near)}?" if near else ""
    return f"no case matches {shown}.{hint} (`ccgtui list` shows all cases)"


def fail_load(exc: Exception, note: str = "") -> NoReturn:
    """Print a LoadError's problems (and ``note``) on stderr and exit 1."""
    click.echo(f"ccgtui: {exc}", err=True)
    if note:
        click.echo(f"ccgtui: {note}", err=True)
    raise SystemExit(1)


def validate_hint(folder: Path) -> str:
    """The command that lists ``folder``'s problems, ready to paste into a shell."""
    return f"ccgtui --cases {shlex.quote(show_name(folder))} validate"


def stale_notice(folder: Path, problems: int) -> str:
    """Say that the answer comes from the last good load of ``folder``, not from its files."""
    return (
        f"ccgtui: the case folder {show_name(folder)} has {plural(problems, 'problem')}; "
        f"answering from the last good data loaded from it (`{validate_hint(folder)}` lists them)"
    )


pass_env = click.make_pass_decorator(Env, ensure=True)
