"""`ecosystem.visualisation` in a source checkout: the web app's top-level folder.

The web app's modules live in the repository's top-level `visualisation/` folder. A wheel
ships that folder as this package and leaves this file out (see
`[tool.hatch.build.targets.wheel]` in pyproject.toml). In a checkout, where the editable
install puts only `src/` on the path, this file points the package at that folder, so
`ecosystem.visualisation.app` is `visualisation/app.py`, edited live.
"""

import os
from pathlib import Path

__path__ = [str(Path(__file__).resolve().parents[3] / "visualisation")]

# as visualisation/__init__.py, which a checkout does not run: see the reason there
os.environ.setdefault("REACTON_FAST", "1")
