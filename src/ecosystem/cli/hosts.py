"""Which host names the web app answers to, and the guard that refuses the rest.

A page on any web site can make a browser talk to a server on the browser's own machine or
network: by DNS rebinding (a site's name made to point at 127.0.0.1, so requests arrive with
`Host: that-site`) or by opening a websocket to it (the browser then sends `Origin: that-site`).
`HostGuard` answers only requests whose Host names an allowed host, and refuses any request
whose Origin, when there is one, is not an allowed host. Requests without Origin (not sent
by a page) are judged by Host alone. Ports are not compared: a name is allowed on any port.

Host names are kept normalised: lower case, IPv6 addresses compressed and without brackets.
Only the standard library is used, so `ecosystem app` checks its options without loading
the web server.
"""

from __future__ import annotations

import ipaddress
import logging
import re
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any

#: Names of this machine that no other site can take: always allowed.
LOOPBACK = ("localhost", "127.0.0.1", "::1")

#: Addresses that mean "every interface": a server listens on them, a browser never uses them.
EVERY_INTERFACE = ("0.0.0.0", "::")

#: Environment variable through which `ecosystem app` hands the allowed names to its server.
ALLOWED_HOSTS_ENV = "ECOSYSTEM_ALLOWED_HOSTS"

#: What `--allow-host` expects, for error messages.
EXPECTED = ("a host name or IP address, without scheme, port or path "
            "(e.g. 192.168.1.20 or my-laptop.local)")

_LABEL = re.compile(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")
#: A Host header: a name, IPv4 address or bracketed IPv6 address, then an optional port.
_HOST_HEADER = re.compile(r"(?P<host>\[[0-9a-fA-F:.]+\]|[^\[\]:/@\s]+)(:(?P<port>\d{1,5}))?")

logger = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def host_name(text: str) -> str | None:
    """`text` as a normalised host name or IP address, or None if it is neither.

    Args:
        text: A host name (`my-laptop.local`), an IPv4 address, or an IPv6 address with or
            without brackets.

    Returns:
        The name in lower case, or the address in its standard form (IPv6 without brackets).
    """
    name = text.strip().lower()
    if name.startswith("[") and name.endswith("]"):
        name = name[1:-1]
        return _ip(name) if ":" in name else None
    address = _ip(name)
    if address is not None:
        return address
    labels = name.split(".")
    if len(name) > 253 or labels[-1].isdigit():  # a name ending in a number is a bad address
        return None
    return name if all(_LABEL.fullmatch(label) for label in labels) else None


def _ip(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def allow_host_problems(names: Iterable[str]) -> list[tuple[str, str]]:
    """A (`--allow-host NAME`, message) problem for every name a browser cannot use.

    Args:
        names: The `--allow-host` values as given.

    Returns:
        The problems, in order; empty when every name is usable.
    """
    problems = []
    for name in names:
        normal = host_name(name)
        if normal is None:
            problems.append((f"--allow-host {name}", f"expected {EXPECTED}"))
        elif normal in EVERY_INTERFACE:
            problems.append((f"--allow-host {name}", "an address to listen on, not one a "
                             f"browser can use; expected {EXPECTED}"))
    return problems


def allowed_hosts(listen_host: str, extra: Iterable[str] = ()) -> tuple[str, ...]:
    """The names a server listening on `listen_host` answers to.

    Args:
        listen_host: The address it listens on (`--host`); itself allowed unless it means
            every interface.
        extra: Further names (`--allow-host`), already checked.

    Returns:
        The loopback names, then the listen address, then `extra`, normalised, each once.
    """
    names = [*LOOPBACK, host_name(listen_host), *(host_name(name) for name in extra)]
    return tuple(dict.fromkeys(n for n in names if n is not None and n not in EVERY_INTERFACE))


def header_host(header: str | None) -> str | None:
    """The normalised host named by a Host header (`name:port`), or None if malformed."""
    match = _HOST_HEADER.fullmatch(header or "")
    return host_name(match["host"]) if match else None


def origin_host(origin: str) -> str | None:
    """The normalised host of an Origin header (`http://name:port`), or None if it has none."""
    scheme, separator, rest = origin.partition("://")
    if not separator or scheme.lower() not in ("http", "https"):
        return None  # e.g. "null", sent by sandboxed pages and local files
    return header_host(rest)


class HostGuard:
    """ASGI middleware: serve only requests for allowed hosts, from pages of allowed hosts.

    A request whose Host is not allowed gets 400; one whose Origin is present and not an
    allowed host gets 403. Both are short plain-text answers, and a refused websocket is
    closed before it is accepted, which the server answers with 403.

    Args:
        app: The application to guard.
        allowed: The allowed host names, normalised (see `allowed_hosts`).
    """

    def __init__(self, app: ASGIApp, allowed: Iterable[str]) -> None:
        self.app = app
        self.allowed = frozenset(allowed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, or refuse it."""
        if scope["type"] in ("http", "websocket"):
            refusal = self.refusal(_headers(scope))
            if refusal is not None:
                await _refuse(scope, send, *refusal)
                return
        await self.app(scope, receive, send)

    def refusal(self, headers: dict[str, str]) -> tuple[int, str] | None:
        """The status and message refusing a request with these headers, or None to serve it."""
        host = headers.get("host")
        name = header_host(host)
        if name not in self.allowed:
            logger.warning("refused a request for host %.100r (if that is this machine, allow "
                           "it with `ecosystem app --allow-host %s`)", host, name or "NAME")
            return 400, ("Host not allowed: this app answers only to the names it was started "
                         "with (see `ecosystem app --allow-host`).")
        origin = headers.get("origin")
        if origin is not None and origin_host(origin) not in self.allowed:
            logger.warning("refused a request from a page at %.100r", origin)
            return 403, "Origin not allowed: pages of other sites may not use this app."
        return None


def _headers(scope: Scope) -> dict[str, str]:
    """The request's headers by lower-case name (the first of repeated ones)."""
    headers: dict[str, str] = {}
    for name, value in scope.get("headers", []):
        headers.setdefault(name.decode("latin-1").lower(), value.decode("latin-1"))
    return headers


async def _refuse(scope: Scope, send: Send, status: int, message: str) -> None:
    """Answer with `status` and `message`; a websocket is closed before it is accepted."""
    if scope["type"] == "websocket":
        await send({"type": "websocket.close", "code": 1008})  # the server answers 403
        return
    body = (message + "\n").encode()
    headers = [(b"content-type", b"text/plain; charset=utf-8"),
               (b"content-length", str(len(body)).encode()),
               (b"x-content-type-options", b"nosniff")]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
