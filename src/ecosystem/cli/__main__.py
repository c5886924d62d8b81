"""`python -m ecosystem.cli`: the same commands as the `ecosystem` script."""

from ecosystem.cli.commands import app

app()
