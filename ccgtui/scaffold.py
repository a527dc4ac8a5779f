"""``ccgtui init DIR``: a new case folder with commented templates.

The templates are valid as written (``ccgtui --cases DIR validate --strict``
passes), so a team can start from a working folder and edit it step by step.
"""

from __future__ import annotations

from pathlib import Path

SOURCES = """\
# sources.yaml: every source your statements cite.
#   id:      short lowercase id used in `sources: [...]` lists
#   type:    report | article | web-page | other
#   level:   primary (a document you hold) | secondary (seen, not held) | unverified
#   doi/url: at least one is required by `validate --strict`
#   notes:   free text; a note that mentions "conflict" is listed in the coverage report
sources:
  - id: smith2020
    type: article
    authors: [Smith A, Jones B]
    year: 2020
    title: Title of the paper
    container: Journal name
    volume: "1"
    issue: "2"
    pages: 10-20
    doi: 10.0000/replace-me
    level: primary
"""

STUDY = """\
# study.yaml: the study your cases belong to.  Further studies go in studies/*.yaml.
# Every fact is a statement: {text: ..., sources: [ids]}, optionally with
#   unverified: true   (a figure you could not check), quote: true, note: ...
# Where your sources are silent, write {unknown: true} instead of guessing.
id: my-study
title: Title of your study
objective:
  text: What the study set out to find.
  sources: [smith2020]
objectives:
  - text: A main objective.
    sources: [smith2020]
phases:
  - number: 1
    name: First phase
    period: "2020"
    text: What happened in this phase.
    sources: [smith2020]
"""

CASE = """\
# One YAML file per case.  kind: in-depth | scoping | composite | illustrative
# arenas: board | programme | practice
# sectors: primary-care | secondary-care | community-care | social-work | hwb |
#          patients-public | other
# Any list field (story, partners, enablers, barriers, outcomes, an arena) may be
# {unknown: true} when the sources do not report it.
id: example-case
study: my-study
kind: in-depth
label: Example case
place: {unknown: true}
service_area:
  text: The clinical or service area being redesigned.
  sources: [smith2020]
story:
  - id: first-step
    title: First step of the redesign
    arena: board
    sectors: [primary-care]
    text: What happened, and who led it.
    sources: [smith2020]
arenas:
  board:
    - text: What leadership at board level did.
      sources: [smith2020]
partners:
  - sector: social-work
    organisation: Name of the organisation
    role: Its role in the redesign
    text: How it took part.
    sources: [smith2020]
enablers:
  - text: What helped.
    sources: [smith2020]
barriers: {unknown: true}
outcomes: {unknown: true}
themes: [example]
"""

TEMPLATES = {"sources.yaml": SOURCES, "study.yaml": STUDY, "example-case.yaml": CASE}


def write_template(directory: Path) -> list[Path]:
    """Write the templates into ``directory``; refuse if it already holds YAML."""
    directory = Path(directory)
    if directory.is_dir() and any(p.suffix in (".yaml", ".yml") for p in directory.iterdir()):
        raise FileExistsError(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, text in TEMPLATES.items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
