"""A room-sized server, in process: the room's places, the room-full page, the session cap's
flag and environment variable, and the server's cull timeout.

The same in a real browser is in tests/test_room_browser.py.
"""

import os

import ipyvuetify as v
import pytest
import solara
from solara.server import kernel_context

import ecosystem.visualisation.app as app
from ecosystem.cli.app_command import server_environment
from ecosystem.cli.hosts import LOOPBACK
from ecosystem.cli.room import DEFAULT_MAX_SESSIONS, MAX_SESSIONS_ENV, max_sessions_from
from ecosystem.visualisation.room import ROOM_FULL, Room, admitted, open_session
from tests.served_app import free_port
from tests.test_cli import cli


def test_the_room_admits_up_to_its_capacity_and_a_leaver_frees_a_place():
    room = Room(2)
    assert room.enter("a") and room.enter("b") and not room.enter("c")
    assert room.enter("a") and len(room) == 2  # a session already in keeps its one place
    assert not room.admits("c")
    room.leave("a")
    assert room.enter("c") and room.admits("c") and not room.admits("a") and len(room) == 2


def test_a_session_enters_as_it_starts_and_its_cleanup_frees_the_place():
    room = Room(1)
    first, second = kernel_context.create_dummy_context(), kernel_context.create_dummy_context()
    second.id = "second"
    with first:
        leave_first = open_session(room)
        assert admitted(room)
    with second:
        leave_second = open_session(room)
        assert not admitted(room)  # the room is full for the second page
    leave_first()  # Solara calls it as the first page's session closes
    first.closed_event.set()
    assert len(room) == 0
    with second:
        assert not admitted(room)  # a page refused stays refused: it must reload
    leave_second()
    second.closed_event.set()


def _alerts(rc) -> str:
    return str([a.children for a in rc.find(v.Alert).widgets])


@pytest.mark.parametrize("room_has_space", [True, False])
def test_a_page_beyond_the_cap_shows_the_room_full_message_and_builds_no_model(
        monkeypatch, room_has_space):
    monkeypatch.setattr(app, "admitted", lambda: room_has_space)
    _, rc = solara.render(app.Page(), handle_error=False)
    assert (ROOM_FULL in _alerts(rc)) is not room_has_space
    assert bool(rc.find(v.Tab).widgets) is room_has_space  # no tabs, no model, when full


@pytest.mark.parametrize(("listed", "expected"), [
    ("7", 7), (" 12 ", 12), ("", DEFAULT_MAX_SESSIONS), ("0", DEFAULT_MAX_SESSIONS),
    ("many", DEFAULT_MAX_SESSIONS), ("-3", DEFAULT_MAX_SESSIONS)])
def test_the_server_reads_its_cap_from_the_environment(listed, expected):
    assert max_sessions_from({MAX_SESSIONS_ENV: listed}) == expected


def test_the_server_gets_the_session_cap_and_a_short_cull_timeout():
    env = server_environment(LOOPBACK, {}, max_sessions=7)
    assert env[MAX_SESSIONS_ENV] == "7"
    assert env["SOLARA_KERNEL_CULL_TIMEOUT"] == "2m"
    mine = server_environment(LOOPBACK, {"SOLARA_KERNEL_CULL_TIMEOUT": "10s"})
    assert mine["SOLARA_KERNEL_CULL_TIMEOUT"] == "10s"
    assert mine[MAX_SESSIONS_ENV] == str(DEFAULT_MAX_SESSIONS)


@pytest.mark.parametrize(("args", "environment"), [
    (["--max-sessions", "0"], {}),
    (["--max-sessions", "lots"], {}),
    ([], {MAX_SESSIONS_ENV: "0"}),
    ([], {MAX_SESSIONS_ENV: "thirty"}),
])
def test_app_refuses_a_bad_session_cap_before_serving(monkeypatch, args, environment):
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    proc = cli("app", "--port", str(free_port()), *args, timeout=60)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "--max-sessions" in proc.stderr or MAX_SESSIONS_ENV in proc.stderr
    assert "Traceback" not in proc.stderr and "serving" not in proc.stdout
    assert os.environ.get(MAX_SESSIONS_ENV) == environment.get(MAX_SESSIONS_ENV)
