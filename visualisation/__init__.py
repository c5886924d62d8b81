"""The Solara web app: watch, steer and compare the ecosystem in a browser.

Installed as `ecosystem.visualisation`: the wheel ships this folder there (see
`[tool.hatch.build.targets.wheel]` in pyproject.toml), so its modules import each other
relatively. In a checkout, src/ecosystem/visualisation/__init__.py points that package here.
"""
