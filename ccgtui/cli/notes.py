"""``ccgtui note``, ``tag``, ``bookmark`` and ``notes export``: the user's own layer.

TARGET is a target id (see :mod:`ccgtui.userdata`), e.g. ``case:composite-frail-elderly``,
``stage:composite-frail-elderly/legitimacy``, ``arena:<case>/board``,
``partner:<case>/<partner-id>`` (or ``partner:<case>/1`` for a partner without an id),
``source:storey2018``, ``study:ccg-clinical-leadership``; a bare case reference (id,
unique prefix or part of the label) means that case.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ParamSpec, TypeVar

import click

from ccgtui.cli.complete import complete_case_ids, complete_targets
from ccgtui.cli.context import Env, NotFound, pass_env
from ccgtui.cli.output import echo, emit, force_option, format_option, output_option
from ccgtui.safe_text import clean_id
from ccgtui.userdata import UserDataError
from ccgtui.wording import plural

if TYPE_CHECKING:
    from ccgtui.userdata import Bookmark, Note

P = ParamSpec("P")
R = TypeVar("R")

TARGET_HELP = (
    "TARGET is KIND:ID with KIND one of study, case, stage, arena, partner, source "
    "(e.g. case:composite-frail-elderly, stage:<case>/<stage>, arena:<case>/board, "
    "partner:<case>/<partner-id>, source:storey2018), or just a case id, prefix or label. "
    "A partner without an id in the case file is partner:<case>/<n> (n from 1); a note on it "
    "remembers the partner, so if the partners are reordered it is listed as ORPHANED "
    "(with where that partner is now), never shown on another partner."
)


def _target(env: Env, text: str) -> str:
    """A canonical target id; bare words are looked up as a case."""
    from ccgtui.userdata import case_target, parse_target

    if ":" not in text:
        return case_target(env.case(text).id)
    try:
        return str(parse_target(text))
    except UserDataError as exc:
        raise click.BadParameter(str(exc), param_hint="TARGET") from exc


def _call(fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Run a userdata call; its errors become a clean message and exit 1."""
    from ccgtui.store import StoreError

    try:
        return fn(*args, **kwargs)
    except (UserDataError, StoreError) as exc:
        raise NotFound(str(exc)) from exc


UNKNOWN = "unknown"  # no case data to check against: neither ok nor ORPHANED


def _status(target: str, env: Env) -> str:
    from ccgtui.userdata import resolve_safe

    if not env.has_cases():
        return UNKNOWN
    return "ok" if resolve_safe(target, env.dataset()) is not None else "ORPHANED"


def _item_status(item: Note | Bookmark, env: Env, what: str) -> str:
    """ok, ORPHANED or unknown; for a partner that moved, say on stderr how to follow it."""
    if not env.has_cases():
        return UNKNOWN
    dataset = env.dataset()
    if item.name(dataset) is not None:
        return "ok"
    where = item.moved_to(dataset)
    if where:
        fix = (
            f"ccgtui note edit {item.id} --target {where}"
            if what == "note"
            else f"ccgtui bookmark add {where}"
        )
        echo(
            f"ccgtui: {what} {item.id} is orphaned: the partner at {item.target} changed; "
            f"the one it was on is now {where} ({fix})",
            err=True,
        )
    return "ORPHANED"


# -- note ----------------------------------------------------------------------


@click.group(epilog=TARGET_HELP)
@pass_env
def note(env: Env) -> None:
    """Notes on a study, case, stage, arena, partner or source.

    Notes live in your own file next to the database; reloading or editing the
    case folder never removes one.  A note whose target has gone is listed as
    ORPHANED and can be moved with `note edit ID --target NEW`.  Without any
    case data (a broken folder and no cache) notes are still listed, status
    unknown; adding or moving one then waits until its target can be checked.
    """
    env.cases_optional = True


@note.command("add", epilog=TARGET_HELP)
@click.argument("target", shell_complete=complete_targets)
@click.argument("text")
@pass_env
def note_add(env: Env, target: str, text: str) -> None:
    """Add a note.  Example: ccgtui note add case:composite-frail-elderly "compare with ours" """
    from ccgtui.userdata import add_note

    env.need_cases(f"add a note on {clean_id(target)}")
    added = _call(add_note, env.store(), _target(env, target), text, dataset=env.dataset())
    echo(f"added note {added.id} on {added.target}")


@note.command("list", epilog=TARGET_HELP)
@click.argument("target", required=False)
@click.option("--orphaned", is_flag=True, help="Only notes whose target has gone.")
@click.option(
    "--conflicts",
    is_flag=True,
    help="Only notes that `notes import --merge` found in two versions (same uid), "
    "with their uid and author; keep one with `note resolve ID`.",
)
@format_option
@pass_env
def note_list(env: Env, target: str | None, orphaned: bool, conflicts: bool, fmt: str) -> None:
    """List notes, all or those on TARGET (a case includes its stages, arenas, partners).

    The status column says ORPHANED when the target is no longer in the case files.
    Example: ccgtui note list composite-frail-elderly
    """
    from ccgtui.userdata import conflicts as in_conflict
    from ccgtui.userdata import list_notes

    store = env.store()
    if orphaned and not env.has_cases():
        raise NotFound(f"cannot tell which notes are orphaned: {env.cases_unavailable}")
    wanted = _target(env, target) if target else None
    listed = _call(list_notes, store, wanted)
    if conflicts:  # versions side by side: grouped by uid, oldest note number first
        listed = sorted(in_conflict(listed), key=lambda n: (n.uid, n.id))
    rows = [
        {
            "id": n.id,
            "target": n.target,
            "status": _item_status(n, env, "note"),
            "updated": n.updated,
            "text": n.text,
            **({"uid": n.uid, "author": n.author} if conflicts else {}),
        }
        for n in listed
    ]
    if orphaned:
        rows = [r for r in rows if r["status"] == "ORPHANED"]
    columns = ["id", "target", "status", "updated", "text"]
    if conflicts:
        columns = ["id", "uid", "author", "target", "status", "updated", "text"]
    emit(rows, columns, fmt, title="Notes in conflict" if conflicts else "Notes")


@note.command("edit", epilog=TARGET_HELP)
@click.argument("note_id", metavar="ID", type=int)
@click.argument("text", required=False)
@click.option("--target", "new_target", help="Move the note to another target.")
@pass_env
def note_edit(env: Env, note_id: int, text: str | None, new_target: str | None) -> None:
    """Change a note's text; without TEXT (and --target) opens $EDITOR.

    Example: ccgtui note edit 3 --target case:new-id   (rescue an orphaned note)
    """
    from ccgtui.userdata import edit_note, get_note

    store = env.store()
    if text is None and new_target is None:
        current = _call(get_note, store, note_id)
        edited = click.edit(current.text, extension=".md")
        if edited is None or edited.strip() == current.text:
            echo(f"note {note_id} unchanged")
            return
        text = edited
    if new_target:
        env.need_cases(f"move note {note_id} to {clean_id(new_target)}")
    target = _target(env, new_target) if new_target else None
    dataset = env.dataset() if target else None  # only a new target needs checking
    changed = _call(edit_note, store, note_id, text, target=target, dataset=dataset)
    echo(f"updated note {changed.id} on {changed.target}")


@note.command("rm")
@click.argument("note_id", metavar="ID", type=int)
@pass_env
def note_rm(env: Env, note_id: int) -> None:
    """Delete a note (it stays in the rotating backups for a while).  Example: ccgtui note rm 3"""
    from ccgtui.userdata import remove_note

    removed = _call(remove_note, env.store(), note_id)
    echo(f"removed note {removed.id} on {removed.target}")


@note.command("resolve")
@click.argument("note_id", metavar="ID", type=int)
@pass_env
def note_resolve(env: Env, note_id: int) -> None:
    """Keep this version of a note in conflict and remove the others.

    Merging the same colleague's file again does not bring them back.  See the
    versions with `note list --conflicts`.  Example: ccgtui note resolve 3
    """
    from ccgtui.userdata import resolve_conflict

    for gone in _call(resolve_conflict, env.store(), note_id):
        echo(f"removed note {gone.id} (the other version, on {gone.target})")
    echo(f"kept note {note_id}")


# -- tag -----------------------------------------------------------------------


@click.group()
@pass_env
def tag(env: Env) -> None:
    """Tags on cases: free text, stored trimmed, lowercased, spaces as '-'."""
    env.cases_optional = True


@tag.command("add")
@click.argument("case_ref", metavar="CASE", shell_complete=complete_case_ids)
@click.argument("tags", metavar="TAG...", nargs=-1, required=True)
@pass_env
def tag_add(env: Env, case_ref: str, tags: tuple[str, ...]) -> None:
    """Tag a case.  Example: ccgtui tag add composite "follow up" frailty"""
    from ccgtui.userdata import add_tags

    case = env.case(case_ref)
    now = _call(add_tags, env.store(), case.id, tags)
    echo(f"{case.id}: {', '.join(now)}")


def _tagged_case(env: Env, case_ref: str) -> str:
    """A case id; a case that has gone but still has tags is accepted as typed."""
    from ccgtui.userdata import list_tags

    if list_tags(env.store(), case_ref):
        return case_ref
    return env.case(case_ref).id


@tag.command("rm")
@click.argument("case_ref", metavar="CASE", shell_complete=complete_case_ids)
@click.argument("tag_text", metavar="TAG")
@pass_env
def tag_rm(env: Env, case_ref: str, tag_text: str) -> None:
    """Remove a tag from a case.  Example: ccgtui tag rm composite follow-up"""
    from ccgtui.userdata import normalise_tag, remove_tag

    case_id = _tagged_case(env, case_ref)
    if not _call(remove_tag, env.store(), case_id, tag_text):
        raise NotFound(f"{case_id} has no tag {_call(normalise_tag, tag_text)!r}")
    echo(f"removed tag {_call(normalise_tag, tag_text)} from {case_id}")


@tag.command("list")
@click.argument("case_ref", metavar="[CASE]", required=False, shell_complete=complete_case_ids)
@format_option
@pass_env
def tag_list(env: Env, case_ref: str | None, fmt: str) -> None:
    """List tags by case (ORPHANED when the case has gone).  Example: ccgtui tag list"""
    from ccgtui.userdata import case_target, list_tags

    case_id = _tagged_case(env, case_ref) if case_ref else None
    rows = [
        {"case": case, "status": _status(case_target(case), env), "tags": tags}
        for case, tags in _call(list_tags, env.store(), case_id).items()
    ]
    if fmt != "table":
        rows = [{**r, "tags": " ".join(r["tags"]) if fmt == "csv" else r["tags"]} for r in rows]
    emit(rows, ["case", "status", "tags"], fmt, title="Tags")


# -- bookmark ------------------------------------------------------------------


@click.group(epilog=TARGET_HELP)
@pass_env
def bookmark(env: Env) -> None:
    """Bookmarks: places to come back to, with an optional label."""
    env.cases_optional = True


@bookmark.command("add", epilog=TARGET_HELP)
@click.argument("target", shell_complete=complete_targets)
@click.option("--label", help="A few words to recognise it by.")
@pass_env
def bookmark_add(env: Env, target: str, label: str | None) -> None:
    """Bookmark a target (again: update its label).  Example: ccgtui bookmark add composite"""
    from ccgtui.userdata import add_bookmark

    env.need_cases(f"bookmark {clean_id(target)}")
    added = _call(add_bookmark, env.store(), _target(env, target), label, dataset=env.dataset())
    echo(f"bookmark {added.id}: {added.target}")


@bookmark.command("list")
@format_option
@pass_env
def bookmark_list(env: Env, fmt: str) -> None:
    """List bookmarks, oldest first.  Example: ccgtui bookmark list"""
    from ccgtui.userdata import list_bookmarks

    rows = [
        {
            "id": b.id,
            "target": b.target,
            "status": _item_status(b, env, "bookmark"),
            "label": b.label,
        }
        for b in _call(list_bookmarks, env.store())
    ]
    emit(rows, ["id", "target", "status", "label"], fmt, title="Bookmarks")


@bookmark.command("rm")
@click.argument("bookmark_id", metavar="ID", type=int)
@pass_env
def bookmark_rm(env: Env, bookmark_id: int) -> None:
    """Delete a bookmark.  Example: ccgtui bookmark rm 2"""
    from ccgtui.userdata import remove_bookmark

    removed = _call(remove_bookmark, env.store(), bookmark_id)
    echo(f"removed bookmark {removed.id}: {removed.target}")


# -- notes export --------------------------------------------------------------


@click.group()
@pass_env
def notes(env: Env) -> None:
    """Everything you wrote, in one file, and a colleague's merged in."""
    env.cases_optional = True


@notes.command("export")
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md", show_default=True)
@output_option
@force_option
@pass_env
def notes_export(env: Env, fmt: str, output: Path | None, force: bool) -> None:
    """Export notes, tags and bookmarks, orphans flagged.

    Example: ccgtui notes export --format md -o notes.md
    """
    from ccgtui.export import ExportError, write_output
    from ccgtui.export.notes import render_notes_json, render_notes_markdown
    from ccgtui.userdata import export_data

    render = render_notes_json if fmt == "json" else render_notes_markdown
    dataset = env.dataset() if env.has_cases() else None  # None: every status unknown
    text = render(_call(export_data, env.store(), dataset))
    try:
        write_output(text, output, force=force)
    except ExportError as exc:
        raise NotFound(str(exc)) from exc
    if output is not None and str(output) != "-":
        echo(f"wrote {output}", err=True)


@notes.command("import")
@click.argument("file", type=click.Path(path_type=Path))  # checked by read_export
@click.option(
    "--merge",
    is_flag=True,
    help="Merge into the notes you have (without it, import only into an empty notes file).",
)
@pass_env
def notes_import(env: Env, file: Path, merge: bool) -> None:
    """Bring in a colleague's `notes export --format json` file.

    Notes merge by their uid: a note both of you have is kept once; one the
    other side edited since replaces its earlier text; one edited apart on both
    sides is kept in both versions, listed by `note list --conflicts`.  Tags and
    bookmarks merge as sets (your bookmark labels win).  Nothing is written if
    any row of FILE is invalid.  Example: ccgtui notes import anna.json --merge
    """
    from ccgtui.notes_import import ImportProblems, read_export
    from ccgtui.safe_text import show_name
    from ccgtui.userdata import import_notes

    try:
        incoming = read_export(file)
    except ImportProblems as exc:
        for problem in exc.problems:
            echo(f"ccgtui: {show_name(file)}: {problem}", err=True)
        raise SystemExit(1) from exc
    done = _call(import_notes, env.store(), incoming, merge=merge)
    echo(
        f"imported {show_name(file)}: {plural(done.added, 'note')} added, "
        f"{done.replaced:,} replaced by their newer text, {plural(done.tags, 'tag')} and "
        f"{plural(done.bookmarks, 'bookmark')} added"
    )
    if done.conflicts:
        echo(
            f"{plural(len(done.conflicts), 'note')} in two versions (edited apart); both kept: "
            "`ccgtui note list --conflicts` shows them",
            err=True,
        )
