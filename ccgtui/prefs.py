"""The explorer's preferences: a small TOML file the app writes and a person may edit.

Where: ``config.toml`` in the user config folder (platformdirs), or the file
``CCGTUI_CONFIG`` names.  What (docs/config.md has the format)::

    theme = "textual-dark"
    case_list = "shown"          # or "hidden"
    last_case = "composite-frail-elderly"
    last_tab = "arenas"

    [keymap]                     # binding id = "key[,key...]"
    open-matrix = "M"

A bad file never stops the explorer: each bad key gives one warning naming it and
its default is used.  A file with any problem is left as it is (``Prefs.writable``
is false), so a hand edit with a typo is never replaced by the app's defaults; and
what the app writes is parsed back before it replaces the file, so it never writes
a broken one.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from ccgtui.fileio import atomic_write_bytes
from ccgtui.safe_text import clean_id, show_name

CONFIG_ENV = "CCGTUI_CONFIG"
CONFIG_FILENAME = "config.toml"
CASE_LIST_VALUES = ("shown", "hidden")
MAX_BYTES = 64 * 1024  # a preferences file is a few lines; a huge one is not ours
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
# A binding id and a key string: printable, short (they are shown in warnings and the footer).
_ID = re.compile(r"[A-Za-z0-9_.-]{1,60}")
_KEYS = re.compile(r"[A-Za-z0-9_+,-]{1,80}")


@dataclass(frozen=True)
class Prefs:
    theme: str | None = None
    case_list_hidden: bool = False
    last_case: str | None = None
    last_tab: str | None = None
    keymap: dict[str, str] = field(default_factory=dict)
    writable: bool = True
    """False when the file had a problem: the app then leaves it alone."""

    def changed(self, **changes: object) -> Prefs:
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass
class Loaded:
    prefs: Prefs
    warnings: list[str]


def config_path() -> Path:
    """The preferences file: ``CCGTUI_CONFIG`` if set, else the user config folder's."""
    value = os.environ.get(CONFIG_ENV)
    if value:
        return Path(value).expanduser()
    from platformdirs import user_config_path  # lazily: CLI start-up stays lean

    return user_config_path("ccgtui", appauthor=False) / CONFIG_FILENAME


def load(path: Path) -> Loaded:
    """Read the preferences; a missing file means the defaults, with no warning."""
    where = f"ccgtui: config {show_name(str(path))}"
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return Loaded(Prefs(), [])
    except OSError as exc:
        return Loaded(
            Prefs(writable=False), [f"{where}: cannot read ({exc.strerror}); defaults used"]
        )
    if len(raw) > MAX_BYTES:
        return Loaded(
            Prefs(writable=False), [f"{where}: larger than {MAX_BYTES} bytes; defaults used"]
        )
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return Loaded(Prefs(writable=False), [f"{where}: not valid TOML ({reason}); defaults used"])
    return _read(data, where)


def _read(data: dict[str, object], where: str) -> Loaded:
    warnings: list[str] = []

    def bad(key: str, why: str) -> None:
        warnings.append(f"{where}: {_show_key(key)} {why}; default used")

    values: dict[str, object] = {}
    for key, value in data.items():
        if key in ("theme", "last_case", "last_tab"):
            if isinstance(value, str) and 0 < len(value) <= 200 and value.isprintable():
                values[key] = value
            else:
                bad(key, "must be a short line of text")
        elif key == "case_list":
            if value in CASE_LIST_VALUES:
                values["case_list_hidden"] = value == "hidden"
            else:
                bad(key, f"must be {' or '.join(map(json.dumps, CASE_LIST_VALUES))}")
        elif key == "keymap":
            if isinstance(value, dict):
                values["keymap"] = _keymap(value, where, warnings)
            else:
                bad(key, 'must be a table: [keymap] with lines such as open-matrix = "M"')
        else:
            warnings.append(f"{where}: unknown key {_show_key(key)} ignored")
    return Loaded(Prefs(writable=not warnings, **values), warnings)  # type: ignore[arg-type]


def _keymap(table: dict[str, object], where: str, warnings: list[str]) -> dict[str, str]:
    keymap: dict[str, str] = {}
    for binding_id, keys in table.items():
        if not _ID.fullmatch(binding_id):
            warnings.append(
                f"{where}: keymap key {_show_key(binding_id)} is not a binding id; ignored"
            )
        elif not isinstance(keys, str) or not _KEYS.fullmatch(keys):
            warnings.append(
                f'{where}: keymap.{binding_id} must be keys such as "M" or "ctrl+m,M"; default used'
            )
        else:
            keymap[binding_id] = keys
    return keymap


def _show_key(key: str) -> str:
    """A key from the file, safe to print in one line (it is untrusted text)."""
    return clean_id(key[:60])


def dumps(prefs: Prefs) -> str:
    """The file's text (TOML; JSON string escapes are valid TOML basic strings)."""
    lines = ["# ccgtui preferences: written by the explorer, yours to edit (docs/config.md)."]
    if prefs.theme:
        lines.append(f"theme = {json.dumps(prefs.theme)}")
    lines.append(f"case_list = {json.dumps(CASE_LIST_VALUES[prefs.case_list_hidden])}")
    if prefs.last_case:
        lines.append(f"last_case = {json.dumps(prefs.last_case)}")
    if prefs.last_tab:
        lines.append(f"last_tab = {json.dumps(prefs.last_tab)}")
    lines += ["", '# binding id = "key[,key...]"; the ids are listed in docs/config.md', "[keymap]"]
    for binding_id, keys in sorted(prefs.keymap.items()):
        name = binding_id if _BARE_KEY.fullmatch(binding_id) else json.dumps(binding_id)
        lines.append(f"{name} = {json.dumps(keys)}")
    return "\n".join(lines) + "\n"


def save(path: Path, prefs: Prefs) -> bool:
    """Write the preferences atomically; False (nothing written) if the file is not ours to
    replace (it had a problem when read)."""
    if not prefs.writable:
        return False
    text = dumps(prefs)
    again = _read(tomllib.loads(text), "check")  # never write what we could not read back
    if again.warnings or again.prefs.changed(writable=True) != prefs.changed(writable=True):
        raise ValueError(f"preferences would not read back: {again.warnings}")
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(path, text.encode("utf-8"))
    return True
