"""The `ecosystem` command line.

`commands.py` holds run and presets; `app_command.py` holds app (it starts the web app's
server, `ecosystem.visualisation.server`; host checks in `hosts.py`);
`experiment_commands.py` holds sweep, compare, report and sensitivity.
"""

from ecosystem.cli.commands import app

__all__ = ["app"]
