"""Real-browser tests: Debian's Chromium driven by Playwright's sync API.

One browser for the module; each person gets a new context (their own cookies and session)
and pages whose console errors and uncaught exceptions are collected, so a test can assert
that the browser saw none (CSP violations and HTMX error responses land there too).
Never `playwright install`: it downloads a browser and fails here; Chromium comes from apt.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Error,
    Page,
    sync_playwright,
)

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


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    # Playwright's sync API keeps an asyncio loop running in the test's thread, and Django
    # refuses ORM calls from a thread with a running loop (SynchronousOnlyOperation). The test
    # only touches the database while the browser waits, so allow it for this module alone.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield browser
            browser.close()


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

    def open(self, who: str) -> Page:
        context = self.browser.new_context(viewport=VIEWPORT, locale="en-US")
        context.set_default_timeout(10_000)
        self.contexts.append(context)
        return self.errors.watch(who, context.new_page())

    def close(self) -> None:
        for context in self.contexts:
            context.close()


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
