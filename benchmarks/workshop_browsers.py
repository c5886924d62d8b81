"""A workshop room under load through the web app: 30 phones in chromium.

Run from the repository's root::

    uv run python -m benchmarks.workshop_browsers
    uv run python -m benchmarks.workshop_browsers --rounds 3

It serves `ecosystem app` on a free port and drives one Debian chromium (the tests' helpers,
tests/served_app.py). The trainer's console opens a room of 6 councils,
a projector page shows it, then 30 phones (a browser context each, 390x844) open
`/join?code=CODE` and join. Each action is timed inside the phone's page, from the click to
what the participant sees (a MutationObserver notes the moment the page changes), so the
websocket's round trip, the server's work, its poll of the room and the page's redraw are all
in it. Clicks are spread, one phone after another with a seeded random gap, as people would:

- join: Join clicked -> the seat's council shown;
- reload: the page reloaded (its seat in the address) -> the seat shown again (10 phones a
  round, a few seconds apart);
- submit: Submit clicked -> "Submitted — waiting" shown, for the phones whose team had not
  submitted yet (a teammate's submission already shows it on the others' phones);
- year turns: the last team's Submit clicked -> each phone (and the projector) shows the
  next year.

Each spread round leaves one council to submit last, so the year turns on that click. A last
round is a burst: all 30 phones click Submit within one second, as a room told "submit now"
does; the year runs in the middle of it, so the late clicks wait for the year and are
refused. Memory is the server process's resident set at each stage. The browser shares
the machine's cores with the server, so the latencies include its load: the cores each keeps
busy while the room sits idle in year 1 are printed too.

Nothing is asserted: this is a measuring script, not a test.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, ViewportSize
from playwright.sync_api import Error as PlaywrightError

from benchmarks.workshop_room import PARTICIPANTS, Timings
from tests import served_app
from tests.served_app import chromium, open_room, resident_mb, server_pid, serving

#: Seconds the server may take to start (a busy machine is slow to import everything).
served_app.START_TIMEOUT = 600
#: Seconds a page may take to show what is waited for before the benchmark gives up on it.
WAIT_SECONDS = 180
PHONE: ViewportSize = {"width": 390, "height": 844}
SCREEN: ViewportSize = {"width": 1920, "height": 1080}
#: Teams in the browser room (five phones a council) and a round too long to time out.
COUNCILS, ROUND_SECONDS, SEED = 6, 600, 1
#: Sessions the server admits: room pages give their place back once shown, but a page
#: loading or reloading holds one for a moment, so leave plenty.
MAX_SESSIONS = 100
NOTE, REFUSED = ".room-submitted-note", ".room-plan-problems"
#: Phones that reload in each round (the page lost, then opened again by its address).
RELOADS = 10
#: Seconds the room is left alone to read the CPU 30 idle phones cost.
IDLE_SECONDS = 10
#: Seconds for a burst's late refusals to show once the next year has.
SETTLE_SECONDS = 5

#: Run in every page before its own scripts. `__marks` holds when (epoch ms) each watched
#: thing first showed; `__clickAt` and `__reloadAt` act at a given epoch ms, so 30 phones
#: act on their own schedules while the benchmark only looks.
PAGE_SCRIPT = """
(() => {
  const marks = window.__marks = {}, watches = [];
  const look = () => {
    for (let i = watches.length - 1; i >= 0; i--) {
      const [name, selector, text] = watches[i];
      if ([...document.querySelectorAll(selector)].some(e => e.textContent.includes(text))) {
        marks[name] = Date.now();
        watches.splice(i, 1);
      }
    }
  };
  window.__watch = (name, selector, text = '') => { watches.push([name, selector, text]); look(); };
  window.__clickAt = (at, name, selector, shows) => setTimeout(() => {
    marks[name + ' before'] = document.querySelector(shows) !== null;
    marks[name + ' round'] = document.querySelector('.room-round')?.textContent ?? '';
    marks[name + ' click'] = Date.now();
    document.querySelector(selector).click();
    window.__watch(name, shows);
  }, at - Date.now());
  window.__reloadAt = (at, name) => setTimeout(() => {
    sessionStorage.setItem('reloaded', JSON.stringify([name, Date.now()]));
    location.reload();
  }, at - Date.now());
  const reloaded = sessionStorage.getItem('reloaded');
  if (reloaded) {
    const [name, at] = JSON.parse(reloaded);
    marks[name] = at;
    sessionStorage.removeItem('reloaded');
  }
  window.__watch('seat', '.room-seat-council');
  new MutationObserver(look).observe(document,
                                     {childList: true, subtree: true, characterData: true});
})();
"""


def now_ms() -> float:
    """The wall clock in epoch milliseconds, as the pages' `Date.now()` reads it."""
    return time.time() * 1000


def marks(page: Page) -> dict[str, Any]:
    """What `page` has noted so far (nothing while it is between two documents)."""
    try:
        return page.evaluate("() => window.__marks || {}")
    except PlaywrightError:
        return {}


def wait_for_marks(pages: list[Page], *names: str) -> list[dict[str, Any]]:
    """Each page's marks once it holds all of `names`, or as they are after `WAIT_SECONDS`."""
    deadline, found = time.time() + WAIT_SECONDS, []
    for page in pages:
        while not set(names) <= (seen := marks(page)).keys() and time.time() < deadline:
            time.sleep(0.2)
        found.append(seen)
    return found


def cpu_seconds(pid: int) -> float:
    """The CPU time process `pid` has used (user and system; Linux only)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def browser_pids() -> list[int]:
    """This process's descendants that run chromium (Playwright's browser)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        with contextlib.suppress(OSError):
            if entry.name.isdigit():
                parents[int(entry.name)] = int((entry / "stat").read_text()
                                               .rpartition(")")[2].split()[1])
    ours = {os.getpid()}
    while grown := {pid for pid, parent in parents.items() if parent in ours} - ours:
        ours |= grown
    return [pid for pid in ours if pid != os.getpid()
            and b"chromium" in Path(f"/proc/{pid}/cmdline").read_bytes()]


def cpu_used(pids: list[int]) -> float:
    """The CPU seconds processes `pids` have used (those still running)."""
    total = 0.0
    for pid in pids:
        with contextlib.suppress(OSError):
            total += cpu_seconds(pid)
    return total


class BrowserRoom:
    """A trainer's console, a projector and 30 phones on one served room, timed."""

    def __init__(self, browser: Browser, url: str, pid: int, rounds: int) -> None:
        self.browser, self.url, self.pid = browser, url, pid
        self.years = rounds + 2  # every measured turn shows "Year k of N"
        self.rng = random.Random(SEED)
        self.timings = Timings()
        self.memory = [("no page", resident_mb(pid))]
        self.notes: list[str] = []
        self.phones: list[Page] = []
        self.councils: list[int] = []

    def page(self, viewport: ViewportSize) -> Page:
        """A page in a context of its own (a device of its own), running `PAGE_SCRIPT`."""
        context = self.browser.new_context(viewport=viewport)
        context.add_init_script(PAGE_SCRIPT)
        return context.new_page()

    def remember_memory(self, moment: str) -> None:
        """Note the server's resident memory at `moment`."""
        self.memory.append((moment, resident_mb(self.pid)))
        print(f"{moment}: server {self.memory[-1][1]:.0f} MB", flush=True)

    def spread(self, count: int, low: float, high: float) -> list[float]:
        """Epoch ms of `count` actions one after another, gaps uniform in [low, high] s."""
        at, times = now_ms() + 1000, []
        for _ in range(count):
            times.append(at)
            at += 1000 * self.rng.uniform(low, high)
        return times

    def record(self, action: str, seen: dict[str, Any], name: str, since: float) -> None:
        """Time `action` from `since` to mark `name`, or note that it never showed."""
        if name in seen:
            self.timings.record(action, (seen[name] - since) / 1000)
        else:
            self.notes.append(f"{action}: nothing shown within {WAIT_SECONDS} s")

    def open_room(self) -> None:
        """The trainer opens a room on the console; the projector shows it."""
        self.console = self.page(SCREEN)
        self.code = open_room(self.console, self.url, WAIT_SECONDS * 1000, years=self.years,
                              seconds=ROUND_SECONDS, councils=COUNCILS, seed=SEED)
        self.remember_memory("console open, room opened")
        self.projector = self.page(SCREEN)
        self.projector.goto(f"{self.url}room/projector?code={self.code}")
        self.projector.locator(".room-league").wait_for(timeout=WAIT_SECONDS * 1000)
        self.remember_memory("projector open")

    def join(self) -> None:
        """30 phones open the join page one at a time, then join one after another."""
        for number in range(PARTICIPANTS):
            phone, start = self.page(PHONE), time.perf_counter()
            phone.goto(f"{self.url}join?code={self.code}")
            phone.locator(".room-join").wait_for(timeout=WAIT_SECONDS * 1000)
            self.timings.record("open join page (one at a time)", time.perf_counter() - start)
            phone.locator(".room-name-input input").fill(f"Phone {number + 1}")
            self.phones.append(phone)
        self.remember_memory(f"{PARTICIPANTS} join pages open")
        for phone, at in zip(self.phones, self.spread(PARTICIPANTS, 0.2, 1.5)):
            phone.evaluate("a => __clickAt(...a)", [at, "join", ".room-join", ".room-seat-council"])
        for seen in wait_for_marks(self.phones, "join"):
            self.record("join", seen, "join", seen["join click"])
        self.councils = [int(p.locator(".room-seat-council").get_attribute("data-council") or -1)
                         for p in self.phones]
        self.remember_memory(f"{PARTICIPANTS} phones joined")

    def watch_year(self, name: str, year: int) -> list[Page]:
        """Have every phone and the projector note when they show year `year`."""
        pages = [*self.phones, self.projector]
        for page in pages:
            page.evaluate("a => __watch(...a)",
                          [name, ".room-round", f"Year {year} of {self.years}"])
        return pages

    def record_year(self, action: str, pages: list[Page], name: str, since: float) -> None:
        """Time each phone's (and the projector's) turn to the next year from `since`."""
        found = wait_for_marks(pages, name)
        for seen in found[:-1]:
            self.record(action, seen, name, since)
        self.record(f"{action} (projector)", found[-1], name, since)

    def start(self) -> None:
        """The trainer starts the game: each phone shows year 1."""
        pages = self.watch_year("year 1", 1)
        self.console.evaluate("a => __clickAt(...a)",
                              [now_ms() + 300, "start", ".room-start", ".room-start"])
        self.record_year("game starts", pages, "year 1", wait_for_marks(
            [self.console], "start click")[0]["start click"])

    def idle(self) -> None:
        """Note the cores the server and the browser keep busy while nobody does anything."""
        watched = {"server": [self.pid], "browser": browser_pids()}
        before = {name: cpu_used(pids) for name, pids in watched.items()}
        time.sleep(IDLE_SECONDS)
        busy = ", ".join(f"{name} ({len(pids)} processes) "
                         f"{(cpu_used(pids) - before[name]) / IDLE_SECONDS:.2f}"
                         for name, pids in watched.items())
        self.notes.append(f"idle for {IDLE_SECONDS} s in year 1 (countdowns ticking), cores "
                          f"busy: {busy}")

    def reload(self, round_: int) -> None:
        """A third of the phones reload, one after another: back to the seat by its address."""
        phones = self.rng.sample(self.phones, RELOADS)
        for phone, at in zip(phones, self.spread(RELOADS, 1.0, 5.0)):
            phone.evaluate("a => __reloadAt(...a)", [at, f"reload {round_}"])
        for seen in wait_for_marks(phones, f"reload {round_}", "seat"):
            self.record("reload", seen, "seat", seen.get(f"reload {round_}", 0))

    def record_submit(self, action: str, seen: dict[str, Any], name: str) -> bool:
        """Time a Submit click unless its page showed its team's submission already."""
        if seen.get(f"{name} before", True):
            return False
        self.record(action, seen, name, seen[f"{name} click"])
        return True

    def spread_round(self, round_: int) -> None:
        """Phones submit one after another; the last council's first phone turns the year."""
        self.reload(round_)
        last = round_ % COUNCILS
        others = [p for p, c in zip(self.phones, self.councils) if c != last]
        turning = self.phones[self.councils.index(last)]
        self.rng.shuffle(others)
        name = f"submit {round_}"
        for phone, at in zip(others, self.spread(len(others), 0.5, 3.0)):
            phone.evaluate("a => __clickAt(...a)", [at, name, ".room-submit", NOTE])
        timed = sum(self.record_submit("submit", seen, name)
                    for seen in wait_for_marks(others, name))
        self.notes.append(f"round {round_}: {timed} of {len(others)} Submit clicks timed "
                          f"(the others' pages already showed their team's submission)")
        year = f"year {round_ + 1}"
        pages = self.watch_year(year, round_ + 1)
        turning.evaluate("a => __clickAt(...a)", [now_ms() + 500, "turn", ".room-submit", NOTE])
        seen = wait_for_marks([turning], "turn click")[0]
        self.record_year("year turns", pages, year, seen["turn click"])

    def burst_round(self, round_: int) -> None:
        """All 30 phones click Submit within one second; the year runs amid the clicks."""
        self.reload(round_)
        year, name = f"year {round_ + 1}", "burst"
        pages = self.watch_year(year, round_ + 1)
        start = now_ms() + 2000
        for phone in self.phones:
            phone.evaluate("a => __watch(...a)", [f"{name} refused", REFUSED])
            phone.evaluate("a => __clickAt(...a)", [start + self.rng.uniform(0, 1000), name,
                                                    ".room-submit", f"{NOTE}, {REFUSED}"])
        wait_for_marks(self.phones, f"{name} click", year)
        time.sleep(SETTLE_SECONDS)  # a refusal may show just after the next year
        found = [marks(phone) for phone in self.phones]
        refused = late = unconfirmed = 0
        for seen in found:
            if f"Year {round_} of" not in seen.get(f"{name} round", ""):
                late += 1  # the page already showed the next year: a submission for that
            elif name not in seen:
                unconfirmed += 1  # the next year showed before any confirmation
            elif f"{name} refused" in seen and seen[f"{name} refused"] <= seen[name]:
                refused += 1
                self.record_submit("submit, burst: refused", seen, name)
            else:
                self.record_submit("submit, burst", seen, name)
        clicks = sorted((seen[f"{name} click"], c) for seen, c in zip(found, self.councils)
                        if f"{name} click" in seen)
        within = (clicks[-1][0] - clicks[0][0]) / 1000
        self.notes.append(f"burst: {len(clicks)} clicks within {within:.2f} s; {refused} refused"
                          f" as late (the year had run), {unconfirmed} saw the next year with no"
                          f" confirmation first, {late} made after the page showed the"
                          f" next year; year turn timed from the click that completed the set"
                          f" of councils")
        self.record_year("year turns, burst", pages, year, completing(clicks))


def completing(clicks: list[tuple[float, int]]) -> float:
    """When the first of (time, council) clicks, in time order, had every council in."""
    teams: set[int] = set()
    for at, council in clicks:
        teams.add(council)
        if len(teams) == COUNCILS:
            return at
    raise ValueError("some council never submitted")


def through_browsers(rounds: int) -> None:
    """The room served by the web app to 30 phones in chromium (see the module docstring)."""
    started = time.time()
    with serving("--max-sessions", str(MAX_SESSIONS)) as (url, process), \
            chromium() as browser:
        room = BrowserRoom(browser, url, server_pid(process), rounds)
        room.open_room()
        room.join()
        visible = room.phones[0].evaluate("document.visibilityState")
        room.start()
        room.idle()
        for round_ in range(1, rounds + 1):
            room.spread_round(round_)
            if round_ == 1:
                room.remember_memory("a year ran")
        room.burst_round(rounds + 1)
        room.remember_memory("the end")
    print(f"\nThrough the web app: {PARTICIPANTS} phones (a chromium context each, "
          f"{PHONE['width']}x{PHONE['height']}, pages {visible}), a console and a projector; "
          f"{COUNCILS} councils, {rounds} spread round(s) and a burst "
          f"({time.time() - started:.0f} s). One headless chromium shares this machine's "
          f"{os.cpu_count()} cores with the server: its load is in every figure.")
    print(room.timings.table())
    print("\n".join(room.notes))
    base = room.memory[0][1]
    print(f"\n{'moment':<28}{'server RSS MB':>14}{'over no page':>13}")
    for moment, mb in room.memory:
        print(f"{moment:<28}{mb:>14.0f}{mb - base:>+13.0f}")
    before, joined = (dict(room.memory)[m] for m in ("projector open",
                                                     f"{PARTICIPANTS} phones joined"))
    print(f"per phone: {(joined - before) / PARTICIPANTS:.1f} MB")


def main() -> None:
    """Parse the command line and measure."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=2,
                        help="spread rounds before the burst")
    through_browsers(parser.parse_args().rounds)


if __name__ == "__main__":
    main()
