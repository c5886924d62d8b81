"""The `ecosystem` command line.

`commands.py` holds run, presets and app; `experiment_commands.py` holds sweep, compare,
report and sensitivity.
"""

from ecosystem.cli.commands import app

__all__ = ["app"]
