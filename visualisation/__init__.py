"""The Solara web app: watch, steer and compare the ecosystem in a browser.

Installed as `ecosystem.visualisation`: the wheel ships this folder there (see
`[tool.hatch.build.targets.wheel]` in pyproject.toml), so its modules import each other
relatively. In a checkout, src/ecosystem/visualisation/__init__.py points that package here.
"""

import os

# Reacton 1.11's faster tree walk, which skips the subtrees where nothing changed (the lever
# panels, the other tab): without it each frame re-walked and re-set every widget of the
# page, about 300, and play ran at 6 months a second instead of 10 (benchmarks/app_speed.py).
# REACTON_FAST=0 turns it off.
os.environ.setdefault("REACTON_FAST", "1")
