"""Rule 13: what a client gets wrong, answered as a client's mistake, from the museum's own
hostile corpus (hostile.py), against every edition. Quirks that timeline.yaml records for an
edition's real server are held to exactly the answer recorded."""

from __future__ import annotations

import httpx
import pytest
from hostile import CLASSES, Case, corpus, problems
from museum.timeline import Edition
from rawhttp import exchange
from support import total

from tests.stage import Live

CORPUS = corpus()


def answer_all(live: Live, cases: list[Case]) -> tuple[list[str], int]:
    """Every case sent on a connection of its own: the problems found, and how many posts
    the edition accepted (201 or 303)."""
    host, port = live.site.host, live.edition.port
    failures: list[str] = []
    accepted = 0
    for case in cases:
        answer = exchange(host, port, case.build(f"{host}:{port}"), half_close=case.half_close,
                          head=case.head)
        if case.posts and answer.status in (201, 303):
            accepted += 1
        quirk = live.edition.quirk(case.id)
        if quirk is not None:
            if answer.outcome != quirk.answer:
                failures.append(f"{case.id}: timeline.yaml records the quirk {quirk.answer!r}, "
                                f"the server answered {answer.outcome!r}")
            continue
        failures += [f"{case.id}: {problem}" for problem in problems(case, answer)]
    return failures, accepted


@pytest.mark.parametrize("kind", CLASSES)
def test_bad_input_is_the_clients_mistake(edition: Edition, live: Live, client: httpx.Client,
                                          kind: str) -> None:
    """13.1, 13.2, 13.3, 13.4 and 13.5 The corpus's cases of one class: a 4xx (or 501, 505,
    a close) for a client's mistake, never a 5xx or a hang; no traceback or file path; only
    accepted posts stored; HEAD bodiless, markup escaped, no header injected, no file
    disclosed; a recorded quirk answered exactly as recorded."""
    before = total(client)
    failures, accepted = answer_all(live, [c for c in CORPUS if c.kind == kind])
    assert client.get("/hello").status_code == 200, "the edition stopped answering"
    after = total(client)
    if after != before + accepted:
        failures.append(f"the guestbook went from {before} to {after} entries, but {accepted} "
                        "posts were accepted")
    assert not failures, f"{len(failures)} of the {kind} cases:\n  " + "\n  ".join(failures)


def test_recorded_quirks_name_real_cases(edition: Edition) -> None:
    """13.5 Every quirk timeline.yaml records names a case of the corpus."""
    known = {case.id for case in CORPUS}
    unknown = [quirk.case for quirk in edition.quirks if quirk.case not in known]
    assert not unknown, f"quirks of {edition.id} name no case of the corpus: {unknown}"


def test_stored_markup_stays_escaped(client: httpx.Client) -> None:
    """13.4 Markup posted by the corpus (or anyone) is escaped on the front page."""
    client.post("/guestbook", json={"name": "<script>alert('museum')</script>",
                                    "message": '"><img src=x onerror=alert(1)>'})
    page = client.get("/").text
    assert "<script>alert('museum')</script>" not in page
    assert '<img src=x onerror=alert(1)>' not in page
