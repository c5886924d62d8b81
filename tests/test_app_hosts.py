"""The web app answers only to its own host names, and calls nowhere.

The served tests start the real `ecosystem app` (tests/served_app.py) and talk to it as a
DNS-rebinding page or a foreign page's websocket would. The app's own outgoing HTTP(S)
calls are routed to a local recording proxy (the proxy variables, which Solara's `requests`
honours), so a call to PyPI, a telemetry service or a CDN is seen even without a network.
"""

from __future__ import annotations

import asyncio
import http.client
import time
import uuid

import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from ecosystem.cli.app_command import server_command, server_environment
from ecosystem.cli.hosts import (
    LOOPBACK,
    HostGuard,
    allow_host_problems,
    allowed_hosts,
    header_host,
    origin_host,
)
from tests.served_app import (
    SHIPPED_CDN,
    free_port,
    katex_files,
    recording_proxy,
    start_app,
    stop_app,
)

#: A file KaTeX's style sheet refers to that the app does not ship (only maths needs it).
KATEX_FONT = "katex@0.16.9/dist/fonts/KaTeX_Main-Regular.woff2"

# ----- host names ------------------------------------------------------------------------------

@pytest.mark.parametrize(("header", "host"), [
    ("127.0.0.1:8765", "127.0.0.1"), ("LocalHost", "localhost"), ("[::1]:8765", "::1"),
    ("[0:0::1]", "::1"), ("my-laptop.local:80", "my-laptop.local"),
    ("evil.example@127.0.0.1", None), ("127.0.0.1:8765/x", None), ("", None), (None, None),
    ("[evil]:80", None), ("a b", None),
])
def test_a_host_header_names_one_host(header, host):
    assert header_host(header) == host


@pytest.mark.parametrize(("origin", "host"), [
    ("http://127.0.0.1:8765", "127.0.0.1"), ("https://EVIL.example", "evil.example"),
    ("http://[::1]:8765", "::1"), ("null", None), ("file://", None), ("ws://localhost", None),
])
def test_an_origin_names_its_host(origin, host):
    assert origin_host(origin) == host


def test_loopback_only_by_default_and_the_listen_address_when_it_is_one():
    assert allowed_hosts("127.0.0.1") == LOOPBACK
    assert allowed_hosts("0.0.0.0") == LOOPBACK
    assert allowed_hosts("::") == LOOPBACK
    assert allowed_hosts("192.168.1.20") == (*LOOPBACK, "192.168.1.20")
    assert allowed_hosts("0.0.0.0", ["Laptop.LAN", "[FE80::1]"]) == (
        *LOOPBACK, "laptop.lan", "fe80::1")


@pytest.mark.parametrize("name", ["http://laptop", "laptop:8765", "laptop/", "*", "*.lan",
                                  "", "a b", "0.0.0.0", "[::]", "999.1.1.1", "-laptop"])
def test_a_name_no_browser_can_use_is_a_problem(name):
    assert len(allow_host_problems([name])) == 1


def test_usable_names_are_no_problem():
    assert allow_host_problems(["192.168.1.20", "my-laptop.local", "::1", "[fe80::1]",
                                "LAPTOP"]) == []


async def _reached(scope, receive, send):
    await send({"type": "reached the app"})


def _first_answer(kind: str, headers: dict[str, str]) -> int | str:
    """The status (or message type) of a loopback-only guard's first answer to a request."""
    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    scope = {"type": kind, "headers": [(k.encode(), v.encode()) for k, v in headers.items()]}
    asyncio.run(HostGuard(_reached, LOOPBACK)(scope, None, send))
    return sent[0].get("status", sent[0]["type"])


@pytest.mark.parametrize(("kind", "host", "expected"), [
    ("http", "localhost:1", "reached the app"),
    ("websocket", "[::1]:1", "reached the app"),
    ("http", "evil.example:1", 400),
    ("websocket", "evil.example:1", "websocket.close"),  # closed before accepted: 403
])
def test_the_guard_passes_allowed_hosts_on_and_refuses_the_rest(kind, host, expected):
    assert _first_answer(kind, {"host": host}) == expected


@pytest.mark.parametrize(("headers", "expected"), [
    ({"host": "127.0.0.1:1", "origin": "http://127.0.0.1:1"}, "reached the app"),
    ({"host": "127.0.0.1:1"}, "reached the app"),  # no Origin: not a page, Host decides
    ({"host": "127.0.0.1:1", "origin": "http://evil.example"}, 403),
    ({"host": "127.0.0.1:1", "origin": "null"}, 403),
    ({"origin": "http://127.0.0.1:1"}, 400),  # no Host at all
])
def test_the_guard_judges_origin_when_there_is_one(headers, expected):
    assert _first_answer("http", headers) == expected


# ----- the command ----------------------------------------------------------------------------

def test_the_server_is_started_without_version_check_or_telemetry():
    command = server_command("127.0.0.1", 8765)
    assert "--no-check-version" in command
    env = server_environment(LOOPBACK, {})
    assert env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "false"


def test_pages_get_their_assets_from_the_server_not_a_cdn():
    assert server_environment(LOOPBACK, {"VSCODE_PID": "1"})["SOLARA_ASSETS_PROXY"] == "true"


def test_the_app_ships_the_katex_files_solara_loads_and_only_those():
    named = katex_files()
    assert len(named) == 3, named  # katex.min.js, katex.min.css, contrib/auto-render.min.js
    version = {name.split("/")[0] for name in named}
    shipped = {path.relative_to(SHIPPED_CDN).as_posix() for path in SHIPPED_CDN.rglob("*")
               if path.is_file()}
    assert shipped == {*named, *(f"{v}/LICENSE" for v in version), "README.md"}


# ----- the served app ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def proxy():
    with recording_proxy() as server:
        yield server


#: A name given with --allow-host in the served tests (the server is on 127.0.0.1).
ROOM_NAME = "workshop.example"


@pytest.fixture(scope="module")
def served(proxy, tmp_path_factory):
    """(port, output file) of `ecosystem app --allow-host ROOM_NAME`, calls routed to `proxy`."""
    port, log = free_port(), tmp_path_factory.mktemp("app") / "output.txt"
    with log.open("wb") as output:
        process = start_app(port, "--allow-host", ROOM_NAME.upper(), env=proxy.environment(),
                            output=output)
        try:
            yield port, log
        finally:
            stop_app(process)


def _response(port: int, host: str, path: str = "/") -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Host": host})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _get(port: int, host: str) -> tuple[int, str]:
    status, body = _response(port, host)
    return status, body.decode("utf-8", "replace")


def _websocket_status(port: int, origin: str) -> int:
    """101 if Solara's kernel websocket opens with this Origin, else the refusal's status."""
    kernel, page = uuid.uuid4(), uuid.uuid4()
    url = f"ws://127.0.0.1:{port}/jupyter/api/kernels/{kernel}/channels?session_id={page}"
    try:
        with connect(url, origin=origin, open_timeout=30):
            return 101
    except InvalidStatus as refused:
        return refused.response.status_code


@pytest.mark.slow  # starting the app takes 10-30 s
def test_a_foreign_host_gets_no_page(served):
    port, _ = served
    status, body = _get(port, "evil.example")
    assert status in (400, 403)
    assert "not allowed" in body and "<html" not in body.lower()
    assert _get(port, f"evil.example:{port}")[0] in (400, 403)


@pytest.mark.slow
@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]", ROOM_NAME])
def test_loopback_and_allowed_hosts_get_the_page(served, host):
    status, body = _get(served[0], f"{host}:{served[0]}")
    assert status == 200 and "<html" in body.lower()


@pytest.mark.slow
def test_a_websocket_from_a_foreign_page_is_refused(served):
    port, _ = served
    assert _websocket_status(port, "http://evil.example") == 403
    assert _websocket_status(port, f"http://evil.example:{port}") == 403
    assert _websocket_status(port, f"http://127.0.0.1:{port}") == 101
    assert _websocket_status(port, f"http://{ROOM_NAME}:{port}") == 101


@pytest.mark.slow
def test_start_up_calls_nowhere(served, proxy):
    _, log = served
    time.sleep(2)  # Solara's telemetry reports from a thread started with the server
    assert proxy.requests == []
    assert "New version of Solara" not in log.read_text(errors="replace")


@pytest.mark.slow
def test_the_app_serves_katex_itself_and_fetches_nothing(served, proxy):
    port, _ = served
    for name in katex_files():
        status, body = _response(port, f"localhost:{port}", f"/_solara/cdn/{name}")
        assert status == 200, name
        assert body == (SHIPPED_CDN / name).read_bytes()
    assert _response(port, f"localhost:{port}", f"/_solara/cdn/{KATEX_FONT}")[0] == 404
    assert proxy.requests == []
