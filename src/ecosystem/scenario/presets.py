"""Named, documented scenarios shipped with the model (MODEL.md section 8).

A preset is a TOML scenario file whose `#` header says what it represents and the evidence
it draws on. Each sets only the fields that differ from the defaults. A preset is a stylised
profile, never a claim about a real council.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from ecosystem.scenario.schema import Scenario, ScenarioError

#: Directory holding the preset TOML files.
PRESET_DIR: Path = Path(__file__).parent / "presets"


def _preset_files() -> dict[str, Path]:
    if not PRESET_DIR.is_dir():
        return {}
    return {path.stem: path for path in sorted(PRESET_DIR.glob("*.toml"))}


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
    """The shipped presets.

    Returns:
        Preset name (the file name without `.toml`) mapped to a one-line summary, sorted
        by name.
    """
    return {name: _summary(path) for name, path in _preset_files().items()}


def load_preset(name: str) -> Scenario:
    """Load a preset by name.

    Args:
        name: The preset's name, e.g. "baseline" or "rural-county".

    Returns:
        The validated scenario.

    Raises:
        ScenarioError: If no preset has that name, or the preset file is invalid.
    """
    files = _preset_files()
    if name not in files:
        known = ", ".join(files) or "none"
        raise ScenarioError([("preset", f"unknown preset {name!r}; known: {known}")], "preset")
    return Scenario.from_toml(files[name])
