import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_generated_docs_are_current():
    """docs/parameters.md and docs/metrics.md are generated from the code; they must match."""
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_docs.py"), "--check"],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_metric_and_parameter_is_documented():
    parameters = (ROOT / "docs" / "parameters.md").read_text()
    metrics = (ROOT / "docs" / "metrics.md").read_text()
    from ecosystem.metrics import METRICS
    from ecosystem.scenario import field_specs

    assert all(f"`{name}`" in metrics for name in METRICS)
    assert all(spec["path"].rsplit(".", 1)[-1] in parameters for spec in field_specs())
