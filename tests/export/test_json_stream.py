"""export json streams (issue 16): compact, record by record, and still readable by import."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccgtui.cli import cli
from ccgtui.export import Selection
from ccgtui.export.json_export import render_json, stream_json
from ccgtui.loader import load_folder

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("folder", ["cases", "examples/illustrative"])
@pytest.mark.parametrize("what", ["cases", "study"])
def test_the_stream_is_the_same_document(folder: str, what: str) -> None:
    dataset = load_folder(REPO / folder)
    selection = Selection(dataset, what=what, cases=list(dataset.cases))
    streamed = "".join(stream_json(selection))
    assert json.loads(streamed) == json.loads(render_json(selection))
    assert streamed.endswith("}\n") and "\n" not in streamed[:-1]  # compact


def test_a_case_selection_lists_only_its_cited_sources() -> None:
    dataset = load_folder(REPO / "cases")
    selection = Selection(dataset, what="case", cases=[dataset.cases[1]])
    assert json.loads("".join(stream_json(selection))) == json.loads(render_json(selection))


def test_a_lazy_store_view_is_read_once_and_never_held(tmp_path: Path) -> None:
    from ccgtui.lazy_cases import LazyCases
    from ccgtui.store import Store

    store = Store(tmp_path / "db.json", REPO / "cases")
    store.open()
    again = Store(tmp_path / "db.json", REPO / "cases")
    again.open()
    dataset = again.dataset()
    assert isinstance(dataset.cases, LazyCases)
    selection = Selection(dataset, what="cases", cases=dataset.cases)  # type: ignore[arg-type]
    streamed = json.loads("".join(stream_json(selection)))
    reference = load_folder(REPO / "cases")
    expected = json.loads(render_json(Selection(reference, cases=list(reference.cases))))
    assert streamed == expected


def test_records_come_one_at_a_time() -> None:
    dataset = load_folder(REPO / "cases")
    chunks = list(stream_json(Selection(dataset, what="cases", cases=list(dataset.cases))))
    assert len(chunks) >= len(dataset.cases) + 2  # head, a chunk per case, tail


def test_unsafe_characters_are_escaped_in_compact_output_too(tmp_path: Path) -> None:
    dataset = load_folder(REPO / "cases")
    case = dataset.cases[0].model_copy(update={"label": "evil\u202elabel\x9b"})
    text = "".join(stream_json(Selection(dataset, what="case", cases=[case])))
    assert "\u202e" not in text and "\x9b" not in text
    assert json.loads(text)["cases"][0]["label"] == "evil\u202elabel\x9b"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_cli_export_round_trips_through_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CCGTUI_CASES", str(REPO / "cases"))
    first = tmp_path / "all.json"
    code, _, err = run("export", "json", "-o", str(first))
    assert code == 0, err
    assert "\n" not in first.read_text(encoding="utf-8")[:-1]  # compact, not indented
    code, _, err = run("import", str(first), str(tmp_path / "again"))
    assert code == 0, err
    monkeypatch.setenv("CCGTUI_CASES", str(tmp_path / "again"))
    monkeypatch.setenv("CCGTUI_DB", str(tmp_path / "db2" / "ccgtui.json"))
    (tmp_path / "db2").mkdir()
    second = tmp_path / "again.json"
    code, _, err = run("export", "json", "-o", str(second))
    assert code == 0, err
    assert json.loads(second.read_text("utf-8")) == json.loads(first.read_text("utf-8"))


def test_pretty_when_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CCGTUI_CASES", str(REPO / "cases"))
    code, out, err = run("export", "json", "--pretty")
    assert code == 0, err
    assert out.startswith('{\n  "banners"')
    code, piped, err = run("export", "json")
    assert code == 0, err
    assert piped.startswith('{"banners":') and json.loads(piped) == json.loads(out)


def test_an_existing_file_is_refused_before_anything_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CCGTUI_CASES", str(REPO / "cases"))
    target = tmp_path / "x.json"
    target.write_text("keep me", encoding="utf-8")
    code, _, err = run("export", "json", "-o", str(target))
    assert code == 1 and "already exists" in err
    assert target.read_text(encoding="utf-8") == "keep me"
