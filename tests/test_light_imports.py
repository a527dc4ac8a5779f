"""The packages split in issue 14 stay cheap to import (issue 16).

The model's schemas are built on first use and its vocabularies need no pydantic, so a
command that validates nothing pays for neither; the model, query and user-data packages
import a part only when one of its names is first asked for.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from ccgtui import model, query, userdata


def run(code: str) -> str:
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-800:]
    return result.stdout


def test_the_vocabularies_import_no_pydantic_and_no_model_class() -> None:
    out = run(
        "import sys, ccgtui.model.vocabularies\n"
        "print([m for m in sys.modules if m.startswith(('pydantic', 'ccgtui.model.'))])"
    )
    assert out.strip() == "['ccgtui.model.vocabularies']"


def test_no_schema_is_built_until_a_model_is_first_used() -> None:
    out = run(
        "from ccgtui.model import Case, Source, Statement, Study\n"
        "print([m.__pydantic_complete__ for m in (Case, Source, Statement, Study)])\n"
        "Statement(text='x')\n"
        "print(Statement.__pydantic_complete__)"
    )
    assert out.split("\n")[:2] == ["[False, False, False, False]", "True"]


@pytest.mark.parametrize("package", [model, query, userdata], ids=lambda p: p.__name__)
def test_every_public_name_is_still_importable_from_the_package(package: object) -> None:
    for name in package.__all__:  # type: ignore[attr-defined]
        assert getattr(package, name) is not None, name
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        package.Nope  # type: ignore[attr-defined]  # noqa: B018


def test_a_package_imports_only_the_part_asked_for() -> None:
    out = run(
        "import sys\n"
        "from ccgtui.query import parse_query\n"
        "from ccgtui.userdata import case_target\n"
        "parts = ('ccgtui.query.', 'ccgtui.userdata.')\n"
        "print(sorted(m for m in sys.modules if m.startswith(parts)))"
    )
    assert out.strip() == "['ccgtui.query.language', 'ccgtui.userdata.targets']"


def test_the_fingerprint_and_load_error_need_no_yaml_parser_and_no_model() -> None:
    out = run(
        "import sys\n"
        "from ccgtui.loader import LoadError, fingerprint\n"
        "print(sorted(m for m in sys.modules if m.startswith(('ccgtui.loader.', 'ccgtui.model.'))))"
    )
    assert out.strip() == (
        "['ccgtui.loader.files', 'ccgtui.loader.problems', 'ccgtui.model.vocabularies']"
    )


def test_opening_the_store_module_builds_no_schema() -> None:
    out = run(
        "import ccgtui.store\n"
        "from ccgtui.store.content import content_file\n"
        "from ccgtui.model import Case, Source, Study\n"
        "print([m.__pydantic_complete__ for m in (content_file(), Case, Source, Study)])"
    )
    assert out.strip() == "[False, False, False, False]"


def test_the_store_and_its_index_need_no_pydantic_model() -> None:
    # list and export json over a current cache read no case as a model (issue 16): the
    # store, the facts and the search index builder import pydantic's models when used.
    out = run(
        "import sys\n"
        "import ccgtui.store, ccgtui.store.content, ccgtui.facts, ccgtui.search_build\n"
        "import ccgtui.lazy_cases\n"
        "print(sorted(m for m in sys.modules if m in ('pydantic.main', 'ccgtui.model.case',"
        " 'ccgtui.model.statements', 'ccgtui.model.dataset')))"
    )
    assert out.strip() == "[]"
