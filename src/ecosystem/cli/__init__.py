"""The `ecosystem` command line: run, presets and app (commands.py); sweep, compare, report
and sensitivity (experiment_commands.py)."""

from ecosystem.cli.commands import app

__all__ = ["app"]
