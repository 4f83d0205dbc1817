"""The lobby, end to end in a real browser: Debian's Chromium, driven by Playwright."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from museum.timeline import Edition
from playwright.sync_api import Browser, Page, sync_playwright

from tests.contract.support import unique
from tests.stage import ROOT, TIMELINE, Live

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "artifacts"
# Root needs --no-sandbox; the machine has no outside network, so nothing may call home.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        if os.environ.get("MUSEUM_REQUIRE_DOCKER") == "1":
            pytest.fail("Chromium is not installed (apt-get install chromium)", pytrace=False)
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    yield context.new_page()
    context.close()


@pytest.mark.sample
def test_lobby_in_a_browser(edition: Edition, live: Live, lobby: str, page: Page) -> None:
    """The lobby lists the timeline in order, leads to a running exhibit whose own form signs
    the guestbook, shows two exhibits' native structures side by side, draws an exhibit's
    concurrency map, and shows the committed benchmark charts."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(lobby + "/")
    listed = page.locator("#timeline li.exhibit").evaluate_all(
        "items => items.map(item => item.dataset.id)")
    assert listed == [e.id for e in TIMELINE.exhibits]
    card = page.locator(f'li.exhibit[data-id="{edition.id}"]')
    assert card.locator("[data-health]").inner_text() == "up"
    page.screenshot(path=str(ARTIFACTS / "lobby.png"), full_page=True)

    card.locator("a.visit").click()
    page.wait_for_url(f"{live.base_url}/")
    message = unique("signed in Chromium")
    page.fill('form[action="/guestbook"] [name="name"]', "Chromium")
    page.fill('form[action="/guestbook"] [name="message"]', message)
    with page.expect_navigation():
        page.click('form[action="/guestbook"] [type="submit"]')
    assert page.url == f"{live.base_url}/"
    assert message in page.content()
    page.screenshot(path=str(ARTIFACTS / f"{edition.id}.png"), full_page=True)

    page.goto(f"{lobby}/compare?a={edition.id}&b={edition.id}")
    table = page.locator("#compare")
    assert table.locator("th").first.inner_text() == f"{edition.id} ({edition.interface})"
    assert table.locator("tr").count() > 5
    page.screenshot(path=str(ARTIFACTS / "compare.png"), full_page=True)

    page.goto(lobby + "/")
    with page.expect_navigation():
        card.locator("form.map button").click()
    assert page.url.startswith(f"{lobby}/map/{edition.id}")
    swimlane = page.locator("svg#swimlane")
    lanes = swimlane.locator("g.lane")
    assert lanes.count() >= 1
    assert lanes.count() == int(swimlane.get_attribute("data-lanes") or 0)
    assert swimlane.locator("rect.request").count() == 8  # the page's default burst
    assert "pid " in (lanes.first.text_content() or "")
    page.screenshot(path=str(ARTIFACTS / f"map-{edition.id}.png"), full_page=True)

    page.goto(lobby + "/")
    with page.expect_navigation():
        page.click('nav a[href="/bench"]')
    charts = page.locator("section.chart img")
    assert charts.count() >= 4
    page.wait_for_load_state("load")
    widths = charts.evaluate_all("images => images.map(image => image.naturalWidth)")
    assert all(width > 0 for width in widths), widths  # every chart loaded and drew
    page.screenshot(path=str(ARTIFACTS / "bench.png"), full_page=True)
