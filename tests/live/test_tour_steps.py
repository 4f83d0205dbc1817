from __future__ import annotations

from museum.heart import excerpt
from museum.screen import Screen
from museum.timeline import Edition
from museum.verbs.tour import compare_step, exhibit_step

from tests.stage import ROOT, TIMELINE, Live, Stage


def test_tour_step_shows_code_request_and_native(edition: Edition, live: Live) -> None:
    """The tour's step for an exhibit: its own code, a live request, its native structure."""
    screen = Screen(width=100, color=False)
    assert exhibit_step(screen, live.site, edition, "1/1")
    text = screen.flush()
    heart = excerpt(ROOT, edition)
    assert heart.lines[0].strip()[:60] in text
    assert "Hello, Zoë!" in text
    assert f"what the app received ({edition.interface})" in text
    native = text.split("/inspect native", 1)[1]
    assert len([line for line in native.splitlines() if ": " in line]) >= 5


def test_tour_compares_side_by_side(edition: Edition, live: Live, museum: Stage) -> None:
    """The side-by-side step: this edition's native structure beside the first exhibit's."""
    first = museum.live(TIMELINE.editions[0]).edition
    screen = Screen(width=120, color=False)
    assert compare_step(screen, live.site, first, edition)
    lines = screen.flush().splitlines()
    assert lines[0].startswith(f" side by side: {first.id} and {edition.id}")
    left, right = lines[1].split(" │ ", 1)
    assert left.startswith(f"{first.id} ({first.interface})")
    assert right.strip().startswith(f"{edition.id} ({edition.interface})")
    assert all(" │ " in line for line in lines[1:])
