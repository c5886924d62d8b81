"""Write the lever atlas's experiment spec, or docs/levers.md from a finished atlas sweep.

uv run python scripts/lever_atlas.py spec
uv run ecosystem sweep experiments/lever-atlas.toml --out results/lever-atlas
uv run python scripts/lever_atlas.py doc results/lever-atlas
"""

from __future__ import annotations

import sys
from pathlib import Path

from ecosystem.experiments.atlas import atlas_markdown, spec_text

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> int:
    """Run the `spec` or `doc RESULTS` command."""
    if argv[:1] == ["spec"]:
        target = ROOT / "experiments" / "lever-atlas.toml"
        target.write_text(spec_text(), encoding="utf-8")
    elif argv[:1] == ["doc"] and len(argv) == 2:
        target = ROOT / "docs" / "levers.md"
        target.write_text(atlas_markdown(argv[1]), encoding="utf-8")
    else:
        print(__doc__, file=sys.stderr)
        return 2
    print(f"wrote {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
