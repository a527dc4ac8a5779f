"""Synthetic case folders for benchmarks and scale tests (never written into cases/).

Every record is flagged illustrative and says it is synthetic; texts have the
lengths of real statements (one to three sentences), so timings are realistic.

    python bench/synth.py --cases 10000 --out /tmp/synth
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

import yaml

ARENAS = ["board", "programme", "practice"]
SECTORS = [
    "primary-care",
    "secondary-care",
    "community-care",
    "social-work",
    "hwb",
    "patients-public",
    "other",
]
WORDS = [
    "clinical",
    "leadership",
    "redesign",
    "commissioning",
    "integrated",
    "care",
    "frail",
    "elderly",
    "long-term",
    "conditions",
    "programme",
    "board",
    "governing",
    "body",
    "practice",
    "community",
    "hospital",
    "social",
    "work",
    "partners",
    "negotiation",
    "logic",
    "market",
    "hierarchy",
    "network",
    "pathway",
    "referral",
    "budget",
    "contract",
    "evaluation",
    "patients",
    "public",
    "engagement",
    "outcome",
    "barrier",
    "enabler",
    "learning",
    "routine",
]


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + " (synthetic)."


def _statement(rng: random.Random, sources: list[str]) -> dict[str, object]:
    return {"text": _sentence(rng, rng.randint(12, 40)), "sources": rng.sample(sources, 1)}


def synthetic_case(i: int, rng: random.Random, sources: list[str]) -> dict[str, object]:
    stages = [
        {
            "id": f"stage-{j}",
            "title": _sentence(rng, 5).removesuffix(" (synthetic)."),
            "arena": ARENAS[j % 3],
            "sectors": rng.sample(SECTORS, 2),
            **_statement(rng, sources),
        }
        for j in range(rng.randint(3, 6))
    ]
    return {
        "id": f"synth-{i:05d}",
        "study": "synthetic-study",
        "kind": "illustrative",
        "illustrative": True,
        "label": f"Synthetic case {i}: " + _sentence(rng, 4).removesuffix(" (synthetic)."),
        "summary": _statement(rng, sources),
        "place": {"text": f"Synthetic place {i % 211}", "sources": sources[:1]},
        "service_area": _statement(rng, sources),
        "story": stages,
        "arenas": {a: [_statement(rng, sources)] for a in ARENAS},
        "partners": [
            {"sector": s, "organisation": f"Synthetic org {i}-{s}", **_statement(rng, sources)}
            for s in rng.sample(SECTORS, rng.randint(2, 5))
        ],
        "enablers": [_statement(rng, sources) for _ in range(rng.randint(1, 3))],
        "barriers": [_statement(rng, sources) for _ in range(rng.randint(1, 3))],
        "outcomes": {"unknown": True} if i % 4 == 0 else [_statement(rng, sources)],
        "themes": rng.sample(
            [
                "integrated-care",
                "frailty",
                "diabetes",
                "mental-health",
                "urgent-care",
                "competition",
            ],
            2,
        ),
    }


def write_synthetic(folder: Path, n: int, seed: int = 12) -> Path:
    """Write ``n`` valid synthetic cases plus a study and sources into ``folder``."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    sources = [f"synth-src-{k}" for k in range(20)]
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml: 10k files in seconds

    def dump(data: object) -> str:
        return str(yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True))

    (folder / "sources.yaml").write_text(
        dump(
            {
                "sources": [
                    {
                        "id": s,
                        "type": "other",
                        "title": f"Synthetic source {s}",
                        "level": "unverified",
                        "url": f"https://example.org/{s}",
                        "illustrative": True,
                    }
                    for s in sources
                ]
            }
        )
    )
    (folder / "study.yaml").write_text(
        dump(
            {
                "id": "synthetic-study",
                "title": "Synthetic benchmark study",
                "illustrative": True,
                "objective": _statement(rng, sources),
            }
        )
    )
    for i in range(n):
        (folder / f"synth-{i:05d}.yaml").write_text(dump(synthetic_case(i, rng, sources)))
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description="Write a synthetic case folder.")
    parser.add_argument("--cases", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    write_synthetic(args.out, args.cases)


if __name__ == "__main__":
    main()
