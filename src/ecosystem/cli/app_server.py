"""The web app's server: `solara run`, with the web app behind a `HostGuard`.

`ecosystem app` starts it as a child process, `python -m ecosystem.cli.app_server run
ecosystem.visualisation.app ...` (the arguments are `solara run`'s), with the environment
this needs:

- `SOLARA_APP` names the web app. Solara reads it when its server module is first imported,
  which happens here, before `solara run` would set it.
- `ECOSYSTEM_ALLOWED_HOSTS` lists the host names to answer to, comma-separated (the loopback
  names alone when it is not set).

Solara's server is a Starlette application that `solara run` serves with uvicorn, from this
same process; the guard is added to it with Starlette's `add_middleware` before it starts,
so it sees every request, websockets included, before Solara does.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

from solara.__main__ import cli as solara_cli
from solara.server.starlette import app as solara_app

from ecosystem.cli.hosts import ALLOWED_HOSTS_ENV, LOOPBACK, HostGuard


def allowed_from(environ: Mapping[str, str]) -> tuple[str, ...]:
    """The host names in `ECOSYSTEM_ALLOWED_HOSTS`, or the loopback names if it is unset."""
    listed = environ.get(ALLOWED_HOSTS_ENV, "")
    return tuple(name for name in listed.split(",") if name) or LOOPBACK


def main(args: list[str]) -> None:
    """Guard Solara's server, then run `solara ARGS` (it exits when the server stops)."""
    solara_app.add_middleware(HostGuard, allowed=allowed_from(os.environ))
    solara_cli(args, prog_name="solara")


if __name__ == "__main__":
    main(sys.argv[1:])
