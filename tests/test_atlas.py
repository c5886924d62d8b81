import json
from pathlib import Path

import numpy as np
import pandas as pd

from ecosystem.experiments.atlas import (
    OUTPUTS,
    PRESETS,
    atlas_markdown,
    levers,
    spec_text,
)
from ecosystem.experiments.claims import LEVER_CLAIMS
from ecosystem.experiments.spec import load_spec

ROOT = Path(__file__).resolve().parents[1]


def test_the_shipped_atlas_spec_is_current_and_covers_every_lever_in_both_presets(tmp_path):
    shipped = ROOT / "experiments" / "lever-atlas.toml"
    assert shipped.read_text(encoding="utf-8") == spec_text()
    experiment = load_spec(shipped)  # every variant validates against the scenario schema
    names = [name for name, _, _ in levers()]
    assert len(names) == len({str(sorted(o.items())) for o, _, _, _ in LEVER_CLAIMS})
    for preset in PRESETS:
        assert {f"{preset}/{n}" for n in names} | {f"{preset}/baseline"} <= set(
            experiment.variants)
    assert experiment.spec.replicates >= 20


def test_the_atlas_page_reports_paired_effects_with_intervals(tmp_path):
    lever, _, mechanism = levers()[0]
    rows = []
    for preset in PRESETS:
        for replicate in range(6):
            base = {m: 0.5 + 0.01 * replicate for m in OUTPUTS}
            base["min_reserves_above_floor"] = 0.01 + 0.001 * replicate
            rows.append({"variant": f"{preset}/baseline", "replicate": replicate, **base})
            moved = {**base, "service_survival": base["service_survival"] + 0.1}
            rows.append({"variant": f"{preset}/{lever}", "replicate": replicate, **moved})
    pd.DataFrame(rows).to_parquet(tmp_path / "summary.parquet")
    (tmp_path / "manifest.json").write_text(json.dumps({"package_version": "test"}))
    page = atlas_markdown(tmp_path)
    assert page.count(f"| `{lever}` |") == len(PRESETS)
    line = next(row for row in page.splitlines() if row.startswith(f"| `{lever}` |"))
    cells = [c.strip() for c in line.split("|")[2:-1]]
    assert cells[0] == "**+0.1 [+0.1, +0.1]**"  # survival moved, significantly
    assert cells[1] == "+0 [+0, +0]"  # rural coverage did not: not bold
    assert cells[-1] == mechanism and "6 paired replicates" in page
    assert "held in all 24 runs" in page and "floor, in any month, was +0.01 of" in page
    assert np.isclose(float(cells[0].strip("*").split()[0]), 0.1)
