"""The `ecosystem` command line.

`commands.py` holds run and presets; `app_command.py` holds app (its server is
`app_server.py`, its host checks `hosts.py`); `experiment_commands.py` holds sweep, compare,
report and sensitivity.
"""

from ecosystem.cli.commands import app

__all__ = ["app"]
