"""ccgtui.prefs: the preferences file read, checked and written (no Textual here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ccgtui import prefs
from ccgtui.prefs import Prefs


def test_the_env_var_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(prefs.CONFIG_ENV, str(tmp_path / "my.toml"))
    assert prefs.config_path() == tmp_path / "my.toml"


def test_a_missing_file_is_the_defaults_without_a_warning(tmp_path: Path) -> None:
    loaded = prefs.load(tmp_path / "none.toml")
    assert (loaded.prefs, loaded.warnings) == (Prefs(), [])


def test_what_is_saved_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "config.toml"
    saved = Prefs(
        theme='odd "theme" \\ name',
        case_list_hidden=True,
        last_case="fix-composite",
        last_tab="arenas",
        keymap={"open-matrix": "M", "add-note": "ctrl+n,n"},
    )
    assert prefs.save(path, saved)
    loaded = prefs.load(path)
    assert loaded.warnings == []
    assert loaded.prefs == saved


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("theme = 3\n", "theme"),
        ('case_list = "gone"\n', "case_list"),
        ("keymap = 1\n", "keymap"),
        ("[keymap]\nopen-matrix = 5\n", "keymap.open-matrix"),
        ('[keymap]\nopen-matrix = "M M"\n', "keymap.open-matrix"),
        ('colour = "red"\n', "colour"),
        ('theme = "x\n', "not valid TOML"),
    ],
)
def test_a_bad_key_gives_one_line_naming_it_and_the_default(
    tmp_path: Path, text: str, named: str
) -> None:
    path = tmp_path / "config.toml"
    path.write_text('last_tab = "story"\n' + text if "TOML" not in named else text)
    loaded = prefs.load(path)
    assert len(loaded.warnings) == 1
    warning = loaded.warnings[0]
    assert "\n" not in warning and named in warning and str(path) in warning
    assert warning.startswith("ccgtui: config ")
    assert loaded.prefs.theme is None and not loaded.prefs.case_list_hidden
    if "TOML" not in named:
        assert loaded.prefs.last_tab == "story"  # the good keys still count


def test_a_file_with_a_problem_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('theme = "nord"\ncase_list = "sometimes"\n')
    loaded = prefs.load(path)
    assert not loaded.prefs.writable
    assert not prefs.save(path, loaded.prefs.changed(last_case="x"))
    assert path.read_text() == 'theme = "nord"\ncase_list = "sometimes"\n'


def test_a_value_that_would_not_read_back_is_not_written(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("# mine\n")
    with pytest.raises(ValueError):
        prefs.save(path, Prefs(last_tab="two\nlines"))
    assert path.read_text() == "# mine\n"


def test_control_characters_in_a_key_are_not_printed(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('"\\u001b[31mred" = 1\n')
    (warning,) = prefs.load(path).warnings
    assert "\x1b" not in warning
