"""The lever atlas: every lever's paired effect on survival, rural coverage, unmet need and spend.

The levers are those of the claims table (`claims.LEVER_CLAIMS`), each with the mechanism the
documents give for it. The atlas runs every lever in the `rural-county` and `urban-city`
presets against that preset's own baseline, paired by replicate, and reports the mean
difference at year 10 with its 95% bootstrap interval. Nothing is forced: a lever whose
intervals all include zero is reported as having no detectable effect.

    uv run python scripts/lever_atlas.py spec        # writes experiments/lever-atlas.toml
    uv run ecosystem sweep experiments/lever-atlas.toml --out results/lever-atlas
    uv run python scripts/lever_atlas.py doc results/lever-atlas   # writes docs/levers.md
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import tomli_w

from ecosystem.experiments.analysis import paired_differences
from ecosystem.experiments.claims import LEVER_CLAIMS
from ecosystem.scenario import PRESET_DIR, read_toml

PRESETS = ("rural-county", "urban-city")
#: Outputs of the atlas (summary columns at year 10) and how the page names them.
OUTPUTS = {"service_survival": "survival", "coverage_rural": "rural coverage",
           "mean_unmet_need": "unmet need", "total_spend": "council spend (GBP k)"}
#: Metrics kept month by month in the sweep's timeseries (the summary keeps them all).
TIMESERIES = ["service_survival", "coverage_rural", "unmet_need", "council_spend",
              "councils_frozen", "external_share"]
REPLICATES = 20
ROOT_SEED = 2026
BASELINE = "baseline"


def levers() -> list[tuple[str, dict[str, Any], str]]:
    """(name, overrides, mechanism) of every distinct lever setting in the claims table."""
    found: dict[str, tuple[dict[str, Any], list[str]]] = {}
    for overrides, _, _, claim in LEVER_CLAIMS:
        name = _name(overrides)
        found.setdefault(name, (overrides, []))[1].append(claim)
    return [(name, overrides, "; ".join(claims)) for name, (overrides, claims) in found.items()]


def _name(overrides: dict[str, Any]) -> str:
    if "interventions" in overrides:
        return "+".join(f"{c['field']}={c['value']}@month{c['month']}"
                        for c in overrides["interventions"])
    return "+".join(f"{path}={value}" for path, value in overrides.items())


def _preset_overrides(preset: str) -> dict[str, Any]:
    """A preset's fields as dotted overrides of the defaults."""
    data = read_toml(PRESET_DIR / f"{preset}.toml")
    flat: dict[str, Any] = {}

    def walk(node: dict[str, Any], prefix: str) -> None:
        for key, value in node.items():
            if isinstance(value, dict):
                walk(value, f"{prefix}{key}.")
            elif f"{prefix}{key}" not in ("name", "description"):
                flat[f"{prefix}{key}"] = value

    walk(data, "")
    return flat


def spec() -> dict[str, Any]:
    """The atlas as an experiment spec: each preset's baseline and every lever in it."""
    variants: dict[str, dict[str, Any]] = {}
    for preset in PRESETS:
        base = _preset_overrides(preset)
        variants[f"{preset}/{BASELINE}"] = base
        for name, overrides, _ in levers():
            variants[f"{preset}/{name}"] = {**base, **overrides}
    return {
        "name": "lever-atlas",
        "question": "What does each procurement, capacity-building and funding lever do to "
                    "service survival, rural coverage, unmet need and council spend, in a "
                    "rural county and in an urban city?",
        "evidence": "the lever claims of src/ecosystem/experiments/claims.py, each with its "
                    "citation",
        "base": BASELINE, "replicates": REPLICATES, "root_seed": ROOT_SEED,
        "outputs": TIMESERIES, "variants": variants,
    }


def spec_text() -> str:
    """The spec as TOML, with a header saying what it answers and how to run it."""
    header = "\n".join(f"# {line}".rstrip() for line in (__doc__ or "").splitlines())
    return f"{header}\n\n{tomli_w.dumps(spec())}"


def atlas_table(summary: pd.DataFrame, preset: str) -> pd.DataFrame:
    """Paired effects of every lever in `preset`: one row per (lever, output)."""
    runs = summary[summary["variant"].str.startswith(f"{preset}/")]
    table = paired_differences(runs, f"{preset}/{BASELINE}", list(OUTPUTS))
    table["lever"] = table["variant"].str.removeprefix(f"{preset}/")
    return table


def atlas_markdown(directory: str | Path) -> str:
    """docs/levers.md from a finished atlas sweep."""
    directory = Path(directory)
    summary = pd.read_parquet(directory / "summary.parquet")
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    mechanisms = {name: mechanism for name, _, mechanism in levers()}
    replicates = int(summary.groupby("variant")["replicate"].nunique().min())
    lines = [
        "# The lever atlas",
        "",
        "Generated by `scripts/lever_atlas.py doc` from a sweep of "
        "`experiments/lever-atlas.toml` (package version "
        f"{manifest.get('package_version', '?')}, {replicates} paired replicates per lever).",
        "Each cell is the mean paired difference at year 10 (lever minus the preset's "
        "baseline) with its 95% bootstrap interval; **bold** where the interval excludes 0. "
        "A lever with no bold cell has no detectable effect on these outputs.",
        "",
        _duty_sentence(summary),
    ]
    for preset in PRESETS:
        table = atlas_table(summary, preset)
        lines += ["", f"## {preset}", "",
                  "| Lever | " + " | ".join(OUTPUTS.values()) + " | Mechanism |",
                  "|---|" + "---|" * len(OUTPUTS) + "---|"]
        for lever, rows in table.groupby("lever", sort=False):
            cells = [_cell(rows[rows["metric"] == metric].iloc[0]) for metric in OUTPUTS]
            lines.append(f"| `{lever}` | " + " | ".join(cells)
                         + f" | {mechanisms.get(str(lever), '')} |")
    return "\n".join(lines) + "\n"


def _duty_sentence(summary: pd.DataFrame) -> str:
    """Whether reserves stayed above the balanced-budget floor in every run of the sweep."""
    margin = summary["min_reserves_above_floor"]
    smallest = f"the smallest margin of any council's reserves over its floor, in any month, " \
        f"was {margin.min():+.3g} of its budget"
    broken = int((margin < 0).sum())
    if broken == 0:
        return f"The balanced-budget duty held in all {len(summary)} runs: {smallest}."
    return f"The balanced-budget duty was broken in {broken} of {len(summary)} runs: {smallest}."


def _cell(row: pd.Series) -> str:
    text = f"{row['difference']:+.3g} [{row['ci_low']:+.3g}, {row['ci_high']:+.3g}]"
    return f"**{text}**" if row["significant"] else text
