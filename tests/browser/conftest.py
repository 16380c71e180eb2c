"""Real-browser tests: Debian's Chromium driven by Playwright's sync API.

One browser for the process; each person gets a new context (their own cookies and session)
and pages whose console errors and uncaught exceptions are collected, so a test can assert
that the browser saw none (CSP violations and HTMX error responses land there too).
Never `playwright install`: it downloads a browser and fails here; Chromium comes from apt.
"""

import io
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.management import call_command
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connections
from django.test import Client
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Error,
    Page,
    sync_playwright,
)

from wargame.exercises.models import Exercise, Role, Team
from wargame.exercises.services import exercise_create, participant_add
from wargame.scenarios.models import Scenario
from wargame.turns.services import exercise_start

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT = {"width": 1280, "height": 800}
# A phone as RECIPES.md measures one: Chromium widens a mobile layout viewport to its content.
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "device_scale_factor": 2}
# axe-core, fetched by `make test` from the npm registry into the virtual environment.
AXE = Path(sys.prefix) / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="session")
def browser(live_server) -> Iterator[Browser]:
    """One Chromium for every browser test a process runs (each person still gets a context
    of their own): starting it costs more CPU than most of the pages a test reads. It closes
    before the live server its pages read from."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    # Playwright's sync API keeps an asyncio loop running in the test's thread, and Django
    # refuses ORM calls from a thread with a running loop (SynchronousOnlyOperation). Tests
    # touch the database only while the browser waits, and nothing in Cumbre is asynchronous,
    # so allow it for the rest of the process once a browser has started. While the loop runs,
    # Django keeps the thread's database connections apart from those it had before (asgiref's
    # Local, for an asynchronous thread): they are closed before the loop stops, or the test
    # database could not be dropped at the end of the run.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield browser
            browser.close()
            connections.close_all()


class Requests:
    """The live server's requests in flight. A page closed at the end of a test may have
    asked for something the server is still answering; emptying the test database meanwhile
    takes its tables' locks in another order than the answer does, and PostgreSQL aborts one
    of the two as a deadlock. A test ends once the server has answered everything."""

    def __init__(self) -> None:
        self.count = 0
        self.changed = threading.Condition()

    def started(self) -> None:
        with self.changed:
            self.count += 1

    def answered(self) -> None:
        with self.changed:
            self.count -= 1
            self.changed.notify_all()

    def wait_until_answered(self, seconds: float = 30) -> None:
        with self.changed:
            done = self.changed.wait_for(lambda: self.count == 0, timeout=seconds)
        assert done, f"the live server still answers {self.count} requests after {seconds} s"


REQUESTS = Requests()


@pytest.fixture(scope="session", autouse=True)
def _requests_counted() -> Iterator[None]:
    """Counted from when the server accepts a request to when its thread has answered."""
    accept = ThreadedWSGIServer.process_request
    serve = ThreadedWSGIServer.process_request_thread

    def accepted(server: ThreadedWSGIServer, request: object, client_address: object) -> None:
        REQUESTS.started()
        try:
            accept(server, request, client_address)
        except BaseException:
            REQUESTS.answered()
            raise

    def served(server: ThreadedWSGIServer, request: object, client_address: object) -> None:
        try:
            serve(server, request, client_address)
        finally:
            REQUESTS.answered()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ThreadedWSGIServer, "process_request", accepted)
        patch.setattr(ThreadedWSGIServer, "process_request_thread", served)
        yield


@dataclass
class BrowserErrors:
    """Console errors and uncaught page errors, each as (who, page URL, text)."""

    seen: list[tuple[str, str, str]] = field(default_factory=list)
    # Texts a test expects the browser to log (Chromium logs a 403 page as a failed resource).
    expected: list[str] = field(default_factory=list)

    def allow(self, text: str) -> None:
        self.expected.append(text)

    def unexpected(self) -> list[tuple[str, str, str]]:
        return [e for e in self.seen if not any(text in e[2] for text in self.expected)]

    def report(self) -> str:
        lines = [f"{who} on {url}: {text}" for who, url, text in self.seen]
        return "the browser logged errors:\n" + "\n".join(lines)

    def watch(self, who: str, page: Page) -> Page:
        def on_console(message: ConsoleMessage) -> None:
            if message.type == "error":
                where = message.location.get("url", "") if message.location else ""
                self.seen.append((who, page.url, f"{message.text} [{where}]"))

        def on_page_error(error: Error) -> None:
            self.seen.append((who, page.url, f"uncaught: {error}"))

        page.on("console", on_console)
        page.on("pageerror", on_page_error)
        return page


class People:
    """Opens one browser context per person, all closed at the end of the test."""

    def __init__(self, browser: Browser, errors: BrowserErrors) -> None:
        self.browser = browser
        self.errors = errors
        self.contexts: list[BrowserContext] = []

    def open(
        self, who: str, *, phone: bool = False, audit: bool = False, locale: str = "en-US"
    ) -> Page:
        """A new person's page; on a phone, or able to load the accessibility checker (the
        app's CSP would refuse its script, so an audit page ignores the CSP); with a browser
        set to `locale` (its Accept-Language)."""
        screen = PHONE if phone else {"viewport": VIEWPORT}
        context = self.browser.new_context(**screen, locale=locale, bypass_csp=audit)
        context.set_default_timeout(10_000)
        self.contexts.append(context)
        return self.errors.watch(who, context.new_page())

    def close(self) -> None:
        for context in self.contexts:
            context.close()
        REQUESTS.wait_until_answered()


@pytest.fixture
def browser_errors() -> BrowserErrors:
    return BrowserErrors()


@pytest.fixture
def people(browser: Browser, browser_errors: BrowserErrors) -> Iterator[People]:
    people = People(browser, browser_errors)
    yield people
    people.close()
    # Every browser test ends with no console error on any page: a CSP violation, an HTMX
    # error response or an uncaught exception would be one.
    unexpected = browser_errors.unexpected()
    assert not unexpected, BrowserErrors(unexpected).report()


def accessibility_violations(page: Page) -> list[str]:
    """What axe-core finds against WCAG 2.2 AA on the page as it is now, one line each."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `make test` installs axe-core with npm")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    # Only the violations are gathered: passes and inapplicable rules are most of axe's work
    # and of what it would send back.
    result = page.evaluate(
        "(tags) => axe.run(document,"
        " {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_22_AA,
    )
    return [
        f"{page.url}: {v['id']} ({v['impact']}): {v['help']}: "
        + "; ".join(" ".join(map(str, node["target"])) for node in v["nodes"][:6])
        for v in result["violations"]
    ]


def page_overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than a 390 px phone's screen (0: none)."""
    width = page.evaluate(
        "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth,"
        " window.innerWidth)"
    )
    return max(0, width - PHONE["viewport"]["width"])


def sign_in(page: Page, base_url: str, user) -> Page:
    """Give the page's browser a signed-in session of `user`."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])
    return page


@pytest.fixture
def storm(live_server, transactional_db: None) -> tuple[Exercise, AbstractBaseUser]:
    """Caribbean Storm started by its facilitator ("control"), turn 1 open, served live."""
    call_command("load_scenario", str(Path(settings.BASE_DIR) / "scenarios"), stdout=io.StringIO())
    facilitator = get_user_model().objects.create_user("control", is_staff=True)
    exercise = exercise_create(
        actor=facilitator, scenario=Scenario.objects.get(slug="caribbean-storm"), seed=5
    )
    exercise_start(actor=facilitator, exercise=exercise)
    return Exercise.objects.get(pk=exercise.pk), facilitator


def seat_players(
    exercise: Exercise, facilitator: AbstractBaseUser, codes: tuple[str, ...], prefix: str
) -> tuple[dict[str, Team], dict[str, AbstractBaseUser]]:
    """The exercise's teams by nation, and a player seated in each of `codes`."""
    teams = {team.nation_code: team for team in exercise.teams.all()}
    players = {}
    for code in codes:
        players[code] = get_user_model().objects.create_user(f"{prefix}-{code}")
        participant_add(actor=facilitator, exercise=exercise, user=players[code],
                        role=Role.PLAYER, team=teams[code])  # fmt: skip
    return teams, players
