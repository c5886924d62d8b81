"""Run every case over its replicates and store the outcomes in docs/case-results.json.

`docs/cases.md` (scripts/gen_docs.py) shows the stored figures beside the documents'; the
case tests rerun the cases and check the store still matches the model.

Usage:
    uv run python scripts/case_results.py            # every case
    uv run python scripts/case_results.py NAME ...   # only these cases (the others are kept)
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ecosystem.experiments.case_outcomes import (
    OutcomeResult,
    evaluate,
    read_results,
    write_results,
)
from ecosystem.experiments.child_processes import worker_pool
from ecosystem.scenario.cases import case_files, load_case

STORE = Path(__file__).resolve().parents[1] / "docs" / "case-results.json"


def main() -> None:
    """Rerun the named cases (default: all) and rewrite the store."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="cases to rerun (default: all)")
    names = parser.parse_args().names or list(case_files())
    kept = [OutcomeResult(**row) for (case, _), row in read_results(STORE).items()
            if case not in names and case in case_files()]
    results: list[OutcomeResult] = []
    with worker_pool() as pool:
        for name in names:
            outcomes = evaluate(load_case(name), pool)
            results += outcomes
            for r in outcomes:
                verdict = "holds" if r.holds else "DOES NOT HOLD"
                print(f"{name} #{r.outcome} {r.metric}: {r.mean:.4g} {r.direction} "
                      f"{r.reference:.4g} [{r.low:.4g}, {r.high:.4g}] {verdict}")
    write_results(kept + results, STORE)
    print(f"wrote {STORE}")


if __name__ == "__main__":
    main()
