"""The lobby, end to end in a real browser: Debian's Chromium, driven by Playwright, one test
per page, so that one page's failure hides none of the others."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from museum.timeline import Edition
from playwright.sync_api import Browser, Page, sync_playwright

from tests.contract.support import unique
from tests.stage import ROOT, TIMELINE, Live

# Debian's Chromium here; GitHub's runners have Google's Chrome (the workflow says so).
CHROMIUM = os.environ.get("MUSEUM_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT / "artifacts"
# Root needs --no-sandbox; the machine has no outside network, so nothing may call home.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("MUSEUM_REQUIRE_DOCKER") == "1":
            pytest.fail("Chromium is not installed (apt-get install chromium)", pytrace=False)
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    yield context.new_page()
    context.close()


@pytest.mark.sample
def test_the_timeline_lists_every_exhibit_and_edition(edition: Edition, live: Live,
                                                      lobby: str, page: Page) -> None:
    page.goto(lobby + "/")
    listed = page.locator("#timeline li.exhibit").evaluate_all(
        "items => items.map(item => item.dataset.id)")
    assert listed == [e.id for e in TIMELINE.exhibits]
    shown = page.locator("#timeline div.edition").evaluate_all(
        "items => items.map(item => item.dataset.edition)")
    assert shown == [e.id for e in TIMELINE.editions]
    health = page.locator(f'div.edition[data-edition="{edition.id}"] [data-health]')
    for _ in range(5):  # a busy machine may keep an edition from answering the lobby in time
        if health.inner_text() == "up":
            break
        page.reload()
    assert health.inner_text() == "up"
    page.screenshot(path=str(ARTIFACTS / "lobby.png"), full_page=True)


@pytest.mark.sample
def test_a_visit_signs_the_guestbook_with_the_exhibits_own_form(
        edition: Edition, live: Live, lobby: str, page: Page) -> None:
    page.goto(lobby + "/")
    page.locator(f'div.edition[data-edition="{edition.id}"] a.visit').click()
    page.wait_for_url(f"{live.base_url}/")
    message = unique("signed in Chromium")
    page.fill('form[action="/guestbook"] [name="name"]', "Chromium")
    page.fill('form[action="/guestbook"] [name="message"]', message)
    with page.expect_navigation():
        page.click('form[action="/guestbook"] [type="submit"]')
    assert page.url == f"{live.base_url}/"
    assert message in page.content()
    page.screenshot(path=str(ARTIFACTS / f"{edition.id}.png"), full_page=True)


@pytest.mark.sample
def test_two_native_structures_side_by_side(edition: Edition, live: Live, lobby: str,
                                            page: Page) -> None:
    page.goto(f"{lobby}/compare?a={edition.id}&b={edition.id}")
    table = page.locator("#compare")
    assert table.locator("th").first.inner_text() == f"{edition.id} ({edition.interface})"
    assert table.locator("tr").count() > 5
    page.screenshot(path=str(ARTIFACTS / "compare.png"), full_page=True)


@pytest.mark.sample
def test_then_and_now_side_by_side(edition: Edition, live: Live, lobby: str,
                                   page: Page) -> None:
    exhibit = TIMELINE.exhibit(edition.exhibit)
    page.goto(f"{lobby}/editions/{exhibit.id}")
    columns = page.locator("#editions td")
    assert columns.count() == len(exhibit.editions)
    mine = page.locator(f'#editions td[data-edition="{edition.id}"]')
    assert mine.locator("pre.heart").inner_text().strip()
    assert mine.locator("ul.native li").count() > 5
    page.screenshot(path=str(ARTIFACTS / f"editions-{exhibit.id}.png"), full_page=True)


@pytest.mark.sample
def test_the_concurrency_map_draws_who_answered(edition: Edition, live: Live, lobby: str,
                                                page: Page) -> None:
    page.goto(lobby + "/")
    with page.expect_navigation():
        page.locator(f'div.edition[data-edition="{edition.id}"] form.map button').click()
    assert page.url.startswith(f"{lobby}/map/{edition.id}")
    swimlane = page.locator("svg#swimlane")
    lanes = swimlane.locator("g.lane")
    assert lanes.count() >= 1
    assert lanes.count() == int(swimlane.get_attribute("data-lanes") or 0)
    assert swimlane.locator("rect.request").count() == 8  # the page's default burst
    assert "pid " in (lanes.first.text_content() or "")
    page.screenshot(path=str(ARTIFACTS / f"map-{edition.id}.png"), full_page=True)


def test_the_benchmarks_page_shows_every_chart(lobby: str, page: Page) -> None:
    page.goto(lobby + "/")
    with page.expect_navigation():
        page.click('nav a[href="/bench"]')
    charts = page.locator("section.chart img")
    assert charts.count() >= 4
    page.wait_for_load_state("load")
    widths = charts.evaluate_all("images => images.map(image => image.naturalWidth)")
    assert all(width > 0 for width in widths), widths  # every chart loaded and drew
    page.screenshot(path=str(ARTIFACTS / "bench.png"), full_page=True)
