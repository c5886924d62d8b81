"""Every scenario field cites the seed documents, or says it is assumed, or is a model setting.

The convention (issue 9, item 6): a field is *sourced* when its `source` is non-empty and every
cited line supports it; otherwise its description says "Assumed; plausible range A to B." (a
field can be both: cited for the mechanism, assumed for the number). Pure model settings (map
size, years simulated, households per agent) say "Model setting, not a claim about the world."

Citations look like `[002:L311]`, `[002:L130; L724]` or `[001:L19-70; 002:L297]`: document id
(the number prefix of a file in ../shared/seeds/), then line numbers as `cat -n` prints them.
Whether a cited line *supports* a number is a human judgement; these tests check what a machine
can: that every field is covered, that citations are well formed, and that the cited documents
and lines exist and are not blank.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from ecosystem.scenario import field_specs

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"
NOT_PARAMETERS = {"name", "description", "interventions", "decisions"}

#: One bracketed citation group, e.g. "[002:L130; L724]".
GROUP = re.compile(r"\[([^\[\]]*)\]")
#: A citation group inside free text: starts with a document id.
TEXT_GROUP = re.compile(r"\[(\d{3}:L[^\[\]]*)\]")
#: One part of a group: optional document id (else the previous part's), line or line range.
PART = re.compile(r"^(?:(0\d\d):)?L(\d+)(?:[-\u2013](\d+))?$")
ASSUMED = re.compile(r"\bAssumed\b.*\bplausible range\b.+\bto\b", re.DOTALL)
MODEL_SETTING = "Model setting, not a claim about the world"


def _parameters() -> list[dict[str, Any]]:
    return [spec for spec in field_specs() if spec["path"] not in NOT_PARAMETERS]


def _parts(group: str) -> list[tuple[str | None, int, int]]:
    """(document id, first line, last line) of each part of one citation group's text.

    Raises ValueError when the group is malformed.
    """
    out: list[tuple[str | None, int, int]] = []
    doc: str | None = None
    for raw in group.split(";"):
        match = PART.match(raw.strip())
        if match is None:
            raise ValueError(f"malformed citation part {raw.strip()!r} in [{group}]")
        doc = match.group(1) or doc
        if doc is None:
            raise ValueError(f"citation [{group}] does not start with a document id")
        first = int(match.group(2))
        last = int(match.group(3) or first)
        if last < first:
            raise ValueError(f"line range {first}-{last} runs backwards in [{group}]")
        out.append((doc, first, last))
    return out


def _source_citations(source: str) -> list[tuple[str | None, int, int]]:
    """Every cited (document, first line, last line) of a `source`, which must be citations only."""
    if GROUP.sub("", source).strip():
        raise ValueError(f"source {source!r} holds text outside [...] citations")
    return [part for group in GROUP.findall(source) for part in _parts(group)]


def _all_citations(spec: dict[str, Any]) -> list[tuple[str | None, int, int]]:
    """Citations of a field's source and of its description."""
    cited = _source_citations(spec["source"]) if spec["source"] else []
    for group in TEXT_GROUP.findall(spec["description"]):
        cited += _parts(group)
    return cited


def test_every_field_is_sourced_assumed_or_a_model_setting() -> None:
    uncovered = [
        spec["path"] for spec in _parameters()
        if not spec["source"].strip()
        and not ASSUMED.search(spec["description"])
        and MODEL_SETTING not in spec["description"]
    ]
    assert not uncovered, (
        f"{len(uncovered)} field(s) neither cite a source, nor say 'Assumed; plausible range "
        f"A to B.', nor say '{MODEL_SETTING}.': {uncovered}"
    )


def test_lowercase_assumed_comes_with_a_plausible_range() -> None:
    """A description that calls its value assumed also gives the plausible range."""
    vague = [spec["path"] for spec in _parameters()
             if re.search(r"\bassumed\b", spec["description"], re.IGNORECASE)
             and not ASSUMED.search(spec["description"])]
    assert not vague, f"'assumed' without 'Assumed; plausible range A to B.': {vague}"


def test_citations_are_well_formed() -> None:
    problems = []
    for spec in _parameters():
        try:
            _all_citations(spec)
        except ValueError as err:
            problems.append(f"{spec['path']}: {err}")
    assert not problems, "\n".join(problems)


def test_the_parser_rejects_malformed_citations() -> None:
    assert _source_citations("[002:L130; L724]") == [("002", 130, 130), ("002", 724, 724)]
    assert _source_citations("[001:L19-70; 002:L297]") == [("001", 19, 70), ("002", 297, 297)]
    for bad in ("[L44]", "[000:44]", "[2:L44]", "see [000:L44]", "[000:L50-40]", "000:L44"):
        with pytest.raises(ValueError):
            _source_citations(bad)


def _seed_lines() -> dict[str, list[str]]:
    if not SEEDS.is_dir():
        pytest.skip(f"seed documents not found at {SEEDS}")
    docs: dict[str, list[str]] = {}
    for path in sorted(SEEDS.glob("*.txt")):
        doc = path.name.split("_", 1)[0]
        lines = path.read_text(encoding="utf-8").split("\n")
        if lines and lines[-1] == "":
            lines.pop()  # a trailing newline ends the last line; it does not start another
        docs[doc] = lines
    return docs


def test_cited_documents_and_lines_exist() -> None:
    docs = _seed_lines()
    problems = []
    for spec in _parameters():
        for doc, first, last in _all_citations(spec):
            lines = docs.get(doc or "")
            if lines is None:
                problems.append(f"{spec['path']}: no seed document {doc} in {SEEDS}")
            elif last > len(lines):
                problems.append(f"{spec['path']}: {doc}:L{last} is past the end "
                                f"({len(lines)} lines)")
            elif not any(line.strip() for line in lines[first - 1:last]):
                problems.append(f"{spec['path']}: {doc}:L{first}-{last} is blank")
    assert not problems, "\n".join(problems)
