"""Named, documented scenarios shipped with the model (MODEL.md section 8).

A preset is a TOML scenario file whose `#` header says what it represents and the evidence
it draws on. Each sets only the fields that differ from the defaults. The places in
`presets/` are stylised profiles, never claims about a real council; the cases in `cases/`
(`ecosystem.scenario.cases`) are the documents' councils and cases, each a stylised place
with the story the documents tell.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from ecosystem.scenario.cases import GROUPS, case_files, load_case
from ecosystem.scenario.schema import Scenario, ScenarioError

#: Directory holding the preset TOML files.
PRESET_DIR: Path = Path(__file__).parent / "presets"


def _place_files() -> dict[str, Path]:
    if not PRESET_DIR.is_dir():
        return {}
    return {path.stem: path for path in sorted(PRESET_DIR.glob("*.toml"))}


def _preset_files() -> dict[str, Path]:
    """The places, then the cases (a case never shadows a place of the same name)."""
    return {**case_files(), **_place_files()}


def _summary(path: Path) -> str:
    """First line of the scenario's `description`, else the first line of the `#` header."""
    text = path.read_text(encoding="utf-8")
    try:
        description = tomllib.loads(text).get("description", "")
    except tomllib.TOMLDecodeError:
        description = ""
    if isinstance(description, str) and description.strip():
        return description.strip().splitlines()[0]
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        stripped = line.lstrip("#").strip()
        if stripped:
            return stripped
    return ""


def list_presets() -> dict[str, str]:
    """The shipped presets: the places, then the cases.

    Returns:
        Preset name (the file name without `.toml`) mapped to a one-line summary, the places
        first, each list sorted by name.
    """
    places = {name: _summary(path) for name, path in _place_files().items()}
    cases = {name: _summary(path) for name, path in case_files().items() if name not in places}
    return {**places, **cases}


def preset_groups() -> dict[str, list[str]]:
    """Preset names by the picker's group label: places, Delivering Differently, Localis."""
    groups: dict[str, list[str]] = {label: [] for label in GROUPS.values()}
    groups[GROUPS["places"]] = list(_place_files())
    for name, path in case_files().items():
        if name in groups[GROUPS["places"]]:
            continue
        table = tomllib.loads(path.read_text(encoding="utf-8")).get("case", {})
        group = table.get("group") if isinstance(table, dict) else None
        groups[GROUPS.get(str(group), GROUPS["localis"])].append(name)
    return groups


def load_preset(name: str) -> Scenario:
    """Load a preset by name.

    Args:
        name: The preset's name, e.g. "baseline" or "rural-county".

    Returns:
        The validated scenario.

    Raises:
        ScenarioError: If no preset has that name, or the preset file is invalid.
    """
    places = _place_files()
    if name in places:
        return Scenario.from_toml(places[name])
    if name in case_files():
        return load_case(name).scenario
    known = ", ".join(list_presets()) or "none"
    raise ScenarioError([("preset", f"unknown preset {name!r}; known: {known}")], "preset")
