"""The folder's stamps and fingerprint: the files, order and digest of a plain reference.

``stamps`` and ``fingerprint`` run on every start and are tuned for speed (one
``stat`` per file, names sorted as strings, the studies folder merged in);
these tests hold them to a straightforward implementation over awkward folders:
subfolders, symlinks (to files, folders, nowhere, themselves), non-YAML files,
dot files, names that sort around ``studies``, and names that are not UTF-8.
"""

from __future__ import annotations

import gc
import hashlib
import os
import stat
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ccgtui.loader import files
from ccgtui.loader.files import case_files, fingerprint, stamps, yaml_files

NOT_UTF8 = os.fsdecode(b"caf\xe9.yaml")  # Latin-1 bytes: a surrogate escape in the str


def reference_stamps(folder: Path) -> list[files.FileStamp]:
    """What the folder holds, the plain way: splitext, a followed stat, tuples sorted."""
    rows: list[files.FileStamp] = []
    for prefix in ((), ("studies",)):
        directory = folder.joinpath(*prefix)
        try:
            names = os.listdir(directory)
        except OSError:
            continue
        for name in names:
            if os.path.splitext(name)[1] not in (".yaml", ".yml"):
                continue
            try:
                st = os.stat(directory / name)
            except FileNotFoundError:
                continue  # a link to nothing: not a file
            except OSError:
                rows.append(((*prefix, name), -1, -1))  # a loop: the load says why
                continue
            if stat.S_ISREG(st.st_mode):
                rows.append(((*prefix, name), st.st_size, st.st_mtime_ns))
    return sorted(rows, key=lambda row: row[0])


def reference_fingerprint(folder: Path) -> str:
    digest = hashlib.sha256(os.fsencode(folder.resolve()))
    digest.update(files._rules_digest())
    for parts, size, mtime_ns in reference_stamps(folder):
        text = f"{'/'.join(parts)}\0{size}\0{mtime_ns}\n"
        digest.update(text.encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def awkward_folder(root: Path) -> Path:
    folder = root / "cases"
    studies = folder / "studies"
    studies.mkdir(parents=True)
    for name in (
        "a.yaml",
        "b.yml",
        "Z.yaml",  # capitals sort first
        ".hidden.yaml",  # a dot file with a suffix: read
        "studies.yaml",  # after studies/...
        "studies-x.yaml",  # '-' < '/': a joined path would sort it before studies/...
        "studiea.yaml",
        "studies_.yaml",
        "études.yaml",
        "new\nline.yaml",
        "with space.yml",
        NOT_UTF8,
        ".yaml",  # only a suffix: a dot file without one, skipped
        "..yml",
        "c.YAML",  # suffixes are matched as written
        "notes.txt",
        "a.yaml.bak",
        "yaml",
    ):
        (folder / name).write_bytes(b"x" * len(name))
    (folder / "dir.yaml").mkdir()
    (folder / "dir.yaml" / "inner.yaml").write_text("x")
    (folder / "link.yaml").symlink_to("a.yaml")
    (folder / "broken.yaml").symlink_to("missing.yaml")
    (folder / "loop.yaml").symlink_to("loop.yaml")
    (folder / "notdir.yaml").symlink_to("a.yaml/x")
    (folder / "dirlink.yaml").symlink_to("dir.yaml")
    os.mkfifo(folder / "pipe.yaml")
    for name in ("s1.yaml", "0.yml", ".yaml", "sub.txt"):
        (studies / name).write_text(name * 3)
    (studies / "nested").mkdir()
    (studies / "nested" / "deep.yaml").write_text("x")
    (studies / "up.yaml").symlink_to("../b.yml")
    (studies / "gone.yaml").symlink_to("nowhere")
    return folder


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return awkward_folder(tmp_path)


def test_stamps_are_the_reference_on_an_awkward_folder(folder: Path) -> None:
    rows = stamps(folder)
    assert rows == reference_stamps(folder)
    names = [parts for parts, _, _ in rows]
    assert ("loop.yaml",) in names and ("notdir.yaml",) in names  # kept, unreadable
    assert dict((p, (s, m)) for p, s, m in rows)[("loop.yaml",)] == (-1, -1)
    assert (NOT_UTF8,) in names and ("studies", "up.yaml") in names
    for skipped in (".yaml", "..yml", "broken.yaml", "dir.yaml", "dirlink.yaml", "pipe.yaml"):
        assert (skipped,) not in names
    at = names.index(("studies", "0.yml"))
    assert names[at - 1 : at + 6] == [
        ("studiea.yaml",),
        ("studies", "0.yml"),
        ("studies", "s1.yaml"),
        ("studies", "up.yaml"),
        ("studies-x.yaml",),
        ("studies.yaml",),
        ("studies_.yaml",),
    ]


def test_the_loader_reads_the_files_the_stamps_describe_in_that_order(folder: Path) -> None:
    parts = [p for p, _, _ in reference_stamps(folder)]
    assert yaml_files(folder) == parts
    assert case_files(folder) == [folder.joinpath(*p) for p in parts]


def test_fingerprint_is_the_reference_digest(folder: Path) -> None:
    assert fingerprint(folder) == reference_fingerprint(folder)
    assert fingerprint(folder, stamps(folder)) == fingerprint(folder)


def test_without_directory_descriptors_the_stamps_are_the_same(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = stamps(folder)
    monkeypatch.setattr(files, "_BY_FD", False)
    assert stamps(folder) == expected


def test_a_folder_without_studies_or_with_a_linked_one(tmp_path: Path) -> None:
    folder = awkward_folder(tmp_path)
    (folder / "studies").rename(tmp_path / "elsewhere")
    assert stamps(folder) == reference_stamps(folder)
    assert yaml_files(folder) == [p for p, _, _ in reference_stamps(folder)]
    (folder / "studies").symlink_to(tmp_path / "elsewhere")
    assert any(p[0] == "studies" for p, _, _ in stamps(folder))
    assert stamps(folder) == reference_stamps(folder)
    (folder / "studies").unlink()
    (folder / "studies").write_text("not a folder")
    assert stamps(folder) == reference_stamps(folder)


def test_a_missing_folder_has_no_stamps_and_its_listing_raises(tmp_path: Path) -> None:
    assert stamps(tmp_path / "missing") == []
    (tmp_path / "file").write_text("x")
    assert stamps(tmp_path / "file") == []
    with pytest.raises(FileNotFoundError):
        yaml_files(tmp_path / "missing")


def test_stamps_leave_the_collector_as_they_found_it(folder: Path) -> None:
    assert gc.isenabled()
    stamps(folder)
    assert gc.isenabled()
    gc.disable()
    try:
        stamps(folder)
        assert not gc.isenabled()
    finally:
        gc.enable()


# -- sensitivity: any change of name, size or mtime is a new fingerprint ------------------


def test_a_new_size_alone_changes_the_fingerprint(folder: Path) -> None:
    path = folder / "Z.yaml"
    before, st = fingerprint(folder), path.stat()
    path.write_bytes(path.read_bytes() + b"y")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_mtime_ns == st.st_mtime_ns
    assert fingerprint(folder) != before


@pytest.mark.parametrize("rel", ["Z.yaml", "studies/s1.yaml", NOT_UTF8])
def test_a_new_mtime_alone_changes_the_fingerprint(folder: Path, rel: str) -> None:
    path = folder / rel
    before, st = fingerprint(folder), path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1))
    assert path.stat().st_mtime_ns == st.st_mtime_ns + 1 and path.stat().st_size == st.st_size
    assert fingerprint(folder) != before


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("with space.yml", "with space2.yml"),
        (NOT_UTF8, "cafe.yaml"),
        ("studies/s1.yaml", "studies/s2.yaml"),
        ("studies/s1.yaml", "s1.yaml"),  # moved up a folder, same name and stat
        ("notes.txt", "notes.yaml"),  # a file starts to count
        ("studiea.yaml", "studiea.txt"),  # a file stops counting
    ],
)
def test_a_rename_alone_changes_the_fingerprint(folder: Path, old: str, new: str) -> None:
    before = fingerprint(folder)
    os.rename(folder / old, folder / new)  # keeps size and mtime
    assert fingerprint(folder) != before


def test_a_file_added_or_removed_changes_the_fingerprint(folder: Path) -> None:
    before = fingerprint(folder)
    (folder / "studies" / "s9.yaml").write_text("")
    added = fingerprint(folder)
    assert added != before
    (folder / "studies" / "s9.yaml").unlink()
    assert fingerprint(folder) == before
    (folder / "loop.yaml").unlink()  # one that cannot be read counts too
    assert fingerprint(folder) != before


def test_the_rules_digest_and_the_folder_are_part_of_the_fingerprint(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = fingerprint(folder)
    other = tmp_path / "copy"
    os.rename(folder, other)
    assert fingerprint(other) != before
    os.rename(other, folder)
    assert fingerprint(folder) == before
    monkeypatch.setattr(files, "_rules_digest", lambda: b"other rules")
    assert fingerprint(folder) != before


# -- any names: the order of sorting the paths as parts --------------------------------

NAME_CHARS = st.sampled_from([*"studie.-_ ySAML0é", "studies", "yaml", "yml", ".yaml", ".yml"])
NAMES = (
    st.lists(NAME_CHARS, min_size=1, max_size=6).map("".join).filter(lambda n: n not in (".", ".."))
)


@settings(max_examples=60, deadline=None)
@given(top=st.sets(NAMES, max_size=12), studies=st.sets(NAMES, max_size=6))
def test_stamps_are_the_reference_for_any_names(top: set[str], studies: set[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "studies").mkdir()
        for directory, names in ((folder, top), (folder / "studies", studies)):
            for name in names:
                if not (directory / name).exists():
                    (directory / name).write_text(name)
        assert stamps(folder) == reference_stamps(folder)
        assert yaml_files(folder) == [p for p, _, _ in reference_stamps(folder)]
        assert fingerprint(folder) == reference_fingerprint(folder)
