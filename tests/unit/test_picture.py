from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from pathlib import Path

from museum.picture import TARGET, render
from museum.timeline import load

ROOT = Path(__file__).resolve().parents[2]


def test_timeline_picture_is_generated_from_timeline() -> None:
    committed = (ROOT / TARGET).read_text()
    assert committed == render(load(ROOT / "timeline.yaml")), (
        f"{TARGET} has drifted from timeline.yaml: run `museum picture`")


def test_picture_is_svg_naming_every_exhibit_and_era() -> None:
    timeline = load(ROOT / "timeline.yaml")
    svg = ElementTree.fromstring(render(timeline))
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    texts = {t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")}
    assert {e.id for e in timeline.exhibits} <= texts
    assert {era.title for era in timeline.eras} <= texts
