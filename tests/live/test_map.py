"""The concurrency map of every exhibit, drawn from a live burst of /slow."""

from __future__ import annotations

from museum import burst, swimlane
from museum.screen import Screen
from museum.timeline import Edition
from museum.verbs.tour import map_step

from tests.stage import Live


def test_map_lanes_are_who_answered(edition: Edition, live: Live) -> None:
    """One lane per (pid, thread) that answered, every request on its lane, in 80 columns."""
    result = burst.fire(edition.id, live.base_url, 4, 200)
    answered = {(a.pid, a.thread) for a in result.answers}
    lanes = swimlane.lanes(result)
    assert {(lane.pid, lane.thread) for lane in lanes} == answered
    assert sum(len(lane.spans) for lane in lanes) == 4
    text = swimlane.render_text(result, 80)
    assert all(len(line) <= 80 for line in text)
    assert len([line for line in text if line.startswith("pid ")]) == len(answered)
    svg = swimlane.render_svg(result)
    assert svg.count('class="lane"') == len(answered) and svg.count('class="request"') == 4
    if edition.concurrency == "process-per-request":
        assert len(lanes) == 4
    if edition.concurrency == "event-loop":
        assert len(lanes) == 1 and lanes[0].peak == 4


def test_tour_map_step(edition: Edition, live: Live) -> None:
    screen = Screen(width=80, color=False)
    assert map_step(screen, live.site, edition, 4, 200)
    text = screen.flush()
    assert f"{edition.id}: 4 concurrent /slow?ms=200" in text
    assert "pid " in text
