"""The web app's server: `solara run`, with the web app behind a `HostGuard`.

`ecosystem app` starts it as a child process, `python -m ecosystem.visualisation.server run
ecosystem.visualisation.app ...` (the arguments are `solara run`'s), with the environment
this needs:

- `SOLARA_APP` names the web app. Solara reads it when its server module is first imported,
  which happens here, before `solara run` would set it.
- `ECOSYSTEM_ALLOWED_HOSTS` lists the host names to answer to, comma-separated (the loopback
  names alone when it is not set).

Solara's server is a Starlette application that `solara run` serves with uvicorn, from this
same process; the guard is added to it with Starlette's `add_middleware` before it starts,
so it sees every request, websockets included, before Solara does.

Solara's pages load scripts and styles through its CDN proxy, `/_solara/cdn/...`, which
answers from the files of `solara-assets` and fetches any other from cdn.jsdelivr.net. The
web app ships the files its pages need that `solara-assets` lacks (KaTeX, see
visualisation/cdn/README.md), and routes put ahead of Solara's serve them, so showing a page
calls nothing on the network either.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

from solara.__main__ import cli as solara_cli
from solara.server.cdn_helper import cdn_url_path
from solara.server.starlette import app as solara_app
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from ecosystem.cli.hosts import ALLOWED_HOSTS_ENV, LOOPBACK, HostGuard

#: The web app's copies of CDN packages: each folder, e.g. `katex@0.16.9`, as on jsDelivr.
CDN_FOLDER = Path(__file__).resolve().parent / "cdn"


def allowed_from(environ: Mapping[str, str]) -> tuple[str, ...]:
    """The host names in `ECOSYSTEM_ALLOWED_HOSTS`, or the loopback names if it is unset."""
    listed = environ.get(ALLOWED_HOSTS_ENV, "")
    return tuple(name for name in listed.split(",") if name) or LOOPBACK


def vendored_routes(folder: Path = CDN_FOLDER) -> list[Mount]:
    """A route serving each package folder in `folder` at `/_solara/cdn/FOLDER/`.

    Everything under that path is answered from the folder alone: a file it lacks gets 404,
    never a fetch from the CDN.
    """
    return [Mount(f"/{cdn_url_path}/{package.name}", app=StaticFiles(directory=package))
            for package in sorted(folder.iterdir()) if package.is_dir()]


def main(args: list[str]) -> None:
    """Serve the shipped CDN files, guard Solara's server, then run `solara ARGS`.

    `solara ARGS` exits when the server stops.
    """
    solara_app.router.routes[:0] = vendored_routes()  # matched before Solara's CDN proxy
    solara_app.add_middleware(HostGuard, allowed=allowed_from(os.environ))
    solara_cli(args, prog_name="solara")


if __name__ == "__main__":
    main(sys.argv[1:])
