"""``ccgtui init DIR``: a new case folder with commented templates.

The templates are valid as written (``ccgtui --cases DIR validate --strict``
passes), so a team can start from a working folder and edit it step by step.
Every field of the schema is explained in a comment; optional fields that the
example does not use are shown commented out.  ``tests/test_scaffold.py``
checks that no field of :mod:`ccgtui.model` is left unexplained.
"""

from __future__ import annotations

from pathlib import Path

# Same as ccgtui.loader.YAML_SUFFIXES; not imported so `init` stays light.
YAML_SUFFIXES = (".yaml", ".yml")

SOURCES = """\
# yaml-language-server: $schema=schema/sources.schema.json
# sources.yaml: every source that a statement in this folder cites.
# One entry per source; statements refer to it by its id.
sources:
  - id: smith2020            # required: short lowercase id (letters, digits, . _ -)
    type: article            # required: report | article | web-page | other
    title: Title of the paper  # required
    level: primary           # required: primary (a document you hold) |
                             #   secondary (seen, not held) | unverified (third-party copy)
    authors: [Smith A, Jones B]
    year: 2020
    container: Journal name  # journal, book or website the source appears in
    volume: "1"
    issue: "2"
    pages: 10-20
    doi: 10.0000/replace-me  # doi and/or url: `validate --strict` requires at least one
    # url: https://example.org/paper
    # illustrative: true     # only for fictional example data
    # notes:                 # free text; a note mentioning "conflict" is listed
    #   - "Conflict of titles: the preprint has another title."   # in the coverage report
    # variants:              # another record's year, volume, issue or pages: shown in the
    #   - {field: pages, value: 10-25, given_by: repository}   # citation, counted as a conflict
"""

STUDY = """\
# yaml-language-server: $schema=schema/study.schema.json
# study.yaml: the study your cases belong to.  Further studies go in studies/*.yaml,
# one per file, with the same fields.
#
# Every fact is a STATEMENT:
#   text: ...              what the source says
#   sources: [smith2020]   ids from sources.yaml (required by `validate --strict`)
#   quote: true            optional: text is a verbatim quotation
#   unverified: true       optional: a figure you could not check (shown flagged)
#   note: ...              optional: a caveat; a note mentioning "conflict" is reported
# Where your sources are silent, write {unknown: true} (optionally with text: and
# note:) instead of guessing; ccgtui shows it as an explicit unknown, never as absent.
id: my-study                 # required: lowercase id; cases name it in `study:`
title: Title of your study   # required
# short_title: Short title   # shown where space is tight
# illustrative: true         # only for fictional example data
# titles:                    # other titles the study is known by (statements)
#   - {text: Repository title (2017), sources: [smith2020]}
# funder: {text: Name of the funder, sources: [smith2020]}
# project_number: {text: 12/345/678, sources: [smith2020]}
# dates:                     # keep disagreeing dates as separate statements with notes
#   - {text: Start January 2020, sources: [smith2020]}
# grant: {text: "£100,000", sources: [smith2020]}
# team:                      # name, role, institution, sources are all expected
#   - {name: A Smith, role: Principal investigator, institution: A University, sources: [smith2020]}
# context:                   # policy background (statements)
#   - {text: Why the study was done., sources: [smith2020]}
objective:                   # the overall objective (one statement)
  text: What the study set out to find.
  sources: [smith2020]
objectives:                  # the main objectives (statements, in order)
  - text: A main objective.
    sources: [smith2020]
# scope:                     # what the study covers (statements)
#   - {text: Primary and community care., sources: [smith2020]}
phases:                      # statements with number (unique, ascending), name, period
  - number: 1
    name: First phase
    period: "2020"           # optional free text: "2014", "Spring 2015"
    text: What happened in this phase.
    sources: [smith2020]
# participants:              # who took part (statements)
#   - {text: GPs in clinical lead roles., sources: [smith2020]}
# methods:                   # how the data were collected and analysed (statements)
#   - {text: Semi-structured interviews., sources: [smith2020]}
# findings:                  # headline findings (statements)
#   - {text: What the study found., sources: [smith2020]}
# surveys:                   # id, year, population, mode, response (statements;
#   - id: survey-2020        #   response defaults to unknown)
#     year: 2020
#     population: {text: All board members, sources: [smith2020]}
#     mode: {text: Postal survey, sources: [smith2020]}
#     response: {unknown: true}
# measures:                  # survey results: statements with id, label, unit, values
#   - id: share-agree
#     label: Agree that clinicians lead
#     unit: "%"              # default "%"
#     values: {2020: 40, 2022: 55}   # year -> value
#     text: 40% agreed in 2020 and 55% in 2022.
#     sources: [smith2020]
# concepts:                  # key ideas: statements with id, name, kind, arena
#   - id: arena-board
#     name: Strategy at board level
#     kind: arena            # arena | logic | leadership | other
#     arena: board           # for kind arena: board | programme | practice
#     text: What this arena contributes.
#     sources: [smith2020]
# unknowns:                  # what the sources do not report, study-wide
#   - {unknown: true, text: Survey response rates are not reported.}
# related: [other-study]     # ids of related studies in this folder
"""

CASE = """\
# yaml-language-server: $schema=schema/case.schema.json
# One YAML file per case (any file name except sources.yaml and study.yaml).
# Fact fields are statements ({text: ..., sources: [...]}) as explained in study.yaml.
id: example-case             # required: lowercase id, unique in the folder
study: my-study              # required: the id of a study in this folder
kind: in-depth               # required: in-depth|scoping|composite|illustrative|related-study
label: Example case          # required: the name shown in lists
# illustrative: true         # required with kind: illustrative; marks fictional data
summary:                     # one statement: what the case is about
  text: What this case is about.
  sources: [smith2020]
place: {unknown: true}       # place, population, service_area: a statement each,
population: {unknown: true}  #   unknown when left out
service_area:
  text: The clinical or service area being redesigned.
  sources: [smith2020]
# period: {text: 2020 to 2022, sources: [smith2020]}   # when the case ran
methods:                     # how this case was studied (statements)
  - text: Interviews and observation of key meetings.
    sources: [smith2020]
# Any list field below (story, each arena, partners, enablers, barriers, outcomes)
# may be {unknown: true} as a whole: "not reported" is different from "none".
story:                       # the redesign, in order: statements with
  - id: first-step           #   id (unique in the case; notes attach to it),
    title: First step of the redesign   # title,
    period: "2020"           #   period (optional),
    arena: board             #   arena: board | programme | practice (optional),
    sectors: [primary-care]  #   sectors of the partners involved in this stage
    text: What happened, and who led it.
    sources: [smith2020]
arenas:                      # what leadership did in each arena (statements)
  board:                     # strategy at CCG board level
    - text: What leadership at board level did.
      sources: [smith2020]
  programme: {unknown: true}   # operational planning and negotiation at programme board
  practice: {unknown: true}    # practical implementation at the point of delivery
partners:                    # cross-boundary partners: statements with
  - id: council              #   id (optional; unique in the case, not only digits:
                             #     notes attach to it and follow it if partners move),
    sector: social-work      #   sector: primary-care | secondary-care | community-care |
                             #     social-work | hwb | patients-public | other
    organisation: Name of the organisation   # optional
    role: Its role in the redesign           # optional
    text: How it took part.
    sources: [smith2020]
# sectors_unknown:           # sectors your sources are silent on: shown as unknown (?),
#   sectors: [patients-public]   # not absent; a sector here cannot also be a partner
#   text: Whether patients took part is not reported.
enablers:                    # what helped (statements)
  - text: What helped.
    sources: [smith2020]
barriers: {unknown: true}    # what hindered (statements)
outcomes: {unknown: true}    # what changed (statements)
findings: []                 # case-level findings (statements)
themes: [example]            # short lowercase tags, e.g. integrated-care, frail-elderly
"""

TEMPLATES = {"sources.yaml": SOURCES, "study.yaml": STUDY, "example-case.yaml": CASE}
# The first line of each template names its schema (so editors check as you type);
# the schemas are written beside the templates, so this works offline.
SCHEMA_DIR = "schema"


def write_template(directory: Path) -> list[Path]:
    """Write the templates into ``directory`` and return the paths written.

    Raises :class:`FileExistsError` if ``directory`` already holds YAML files,
    so an existing case folder is never overwritten.
    """
    directory = Path(directory)
    if directory.is_dir() and any(p.suffix in YAML_SUFFIXES for p in directory.iterdir()):
        raise FileExistsError(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, text in TEMPLATES.items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    from ccgtui.schema import KINDS, schema_text

    (directory / SCHEMA_DIR).mkdir(exist_ok=True)
    for kind in KINDS:
        path = directory / SCHEMA_DIR / f"{kind}.schema.json"
        path.write_text(schema_text(kind), encoding="utf-8")
        written.append(path)
    return written
