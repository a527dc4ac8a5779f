"""Store warnings (a note saved but its backup failed) become notices in the explorer.

Printed to stderr they would land in Textual's capture, where nobody reads them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ccgtui import userdata as ud
from tests.tui.conftest import running, wait_loaded


async def test_a_failed_backup_after_a_saved_note_is_a_notice(
    fixture_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    async with running(fixture_folder) as (app, pilot):
        store = app.store
        assert store is not None
        store.backup_dir.parent.mkdir(parents=True, exist_ok=True)
        if store.backup_dir.is_dir():
            for old in store.backup_dir.iterdir():
                old.unlink()
            store.backup_dir.rmdir()
        store.backup_dir.write_text("a file where the backups folder belongs")
        await pilot.press("n")
        await wait_loaded(pilot)
        await pilot.press(*"kept anyway", "ctrl+s")
        await wait_loaded(pilot)
        notices = [str(n.message) for n in app._notifications]
        assert any("your change is saved" in n and "backup" in n for n in notices), notices
        assert [n.text for n in ud.list_notes(store)] == ["kept anyway"]
    assert "ccgtui: warning" not in capsys.readouterr().err
