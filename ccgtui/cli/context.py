"""Shared state for every command: where the database and case folder are."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

if TYPE_CHECKING:
    from ccgtui.model import Case, Dataset
    from ccgtui.store import Store


class NotFound(click.ClickException):
    """Exit code 1: the thing asked for does not exist (or data is invalid)."""

    exit_code = 1


@dataclass
class Env:
    db: Path | None = None
    cases: Path | None = None
    _store: Store | None = field(default=None, repr=False)

    def store(self, *, reload: bool | None = None) -> Store:
        """Open the store once per command; report recoveries on stderr."""
        if self._store is None or reload:
            from ccgtui.loader import LoadError
            from ccgtui.store import StoreError, open_store

            try:
                store, report = open_store(self.db, self.cases, reload=reload)
            except LoadError as exc:
                fail_load(exc)
            except StoreError as exc:
                raise NotFound(str(exc)) from exc
            for message in report.messages:
                click.echo(f"ccgtui: {message}", err=True)
            if report.problems is not None:
                click.echo(
                    f"ccgtui: the case folder {store.cases_dir} has problems; "
                    f"using the last good data ({len(report.problems.problems)} problems, "
                    "run `ccgtui validate` to list them)",
                    err=True,
                )
            self._store = store
        return self._store

    def dataset(self) -> Dataset:
        return self.store().dataset()

    def case(self, ref: str) -> Case:
        """Find a case by id, unique id prefix or label; exit 1 with suggestions if not."""
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
            found, suggestions = find_case(store.case_summaries(), ref)
            if found is None:
                hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
                raise NotFound(f"no case matches {ref!r}.{hint} (`ccgtui list` shows all cases)")
            ids.append(found.id)
        partial = store.partial_dataset(ids)
        by_id = {c.id: c for c in partial.cases}
        return partial.model_copy(update={"cases": [by_id[i] for i in ids]})


def fail_load(exc: Exception) -> NoReturn:
    """Print a LoadError's problems on stderr and exit 1."""
    click.echo(f"ccgtui: {exc}", err=True)
    raise SystemExit(1)


pass_env = click.make_pass_decorator(Env, ensure=True)
