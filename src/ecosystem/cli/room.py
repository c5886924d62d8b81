"""How many sessions the web app's server holds, and for how long after a page is gone.

`ecosystem app --max-sessions N` (or `ECOSYSTEM_MAX_SESSIONS=N ecosystem app`) passes the
cap to its server in `ECOSYSTEM_MAX_SESSIONS`; the web app (`ecosystem.visualisation.room`)
reads it there. Each session holds models of its own, so the cap bounds the server's
memory: a page beyond it is told the room is full instead of building any.
"""

from __future__ import annotations

from collections.abc import Mapping

#: The environment variable carrying `--max-sessions` to the server (and read by the CLI).
MAX_SESSIONS_ENV = "ECOSYSTEM_MAX_SESSIONS"

#: Sessions served at once unless `--max-sessions` says otherwise: a workshop room of about
#: 30, with room for reloads and a facilitator's pages.
DEFAULT_MAX_SESSIONS = 40

#: How long a session whose page dropped its connection (a laptop asleep, wifi lost) is kept
#: for the page to reconnect, in Solara's notation; then its models are released. Solara's
#: own default, 24 hours, would keep every dropped session's models all day. A tab closed
#: normally is released at once.
CULL_TIMEOUT = "2m"

#: Solara's setting for that timeout.
CULL_TIMEOUT_ENV = "SOLARA_KERNEL_CULL_TIMEOUT"


def max_sessions_from(environ: Mapping[str, str]) -> int:
    """The cap in `ECOSYSTEM_MAX_SESSIONS`, or the default when it is unset or not a count.

    `ecosystem app` refuses a bad value before starting the server; this fallback is for a
    server started some other way (`solara run`).
    """
    listed = environ.get(MAX_SESSIONS_ENV, "").strip()
    return int(listed) if listed.isdigit() and int(listed) >= 1 else DEFAULT_MAX_SESSIONS
