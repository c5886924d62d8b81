"""The `ecosystem` command line: run and presets commands, and the experiment commands."""

from ecosystem.cli.commands import app

__all__ = ["app"]
