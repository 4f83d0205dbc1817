from __future__ import annotations

import html
from html.parser import HTMLParser

import httpx
from museum.timeline import Edition
from support import assert_media, sign, unique


class Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, object]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self.forms.append({"method": found.get("method", "get").lower(),
                               "action": found.get("action", ""), "fields": set()})
        elif tag in ("input", "textarea") and self.forms and "name" in found:
            fields = self.forms[-1]["fields"]
            assert isinstance(fields, set)
            fields.add(found["name"])


def test_front_page_names_the_exhibit(edition: Edition, client: httpx.Client) -> None:
    """1.1 GET / is UTF-8 HTML naming the exhibit's id, title, year and server."""
    response = client.get("/")
    assert response.status_code == 200
    assert_media(response, "text/html")
    page = html.unescape(response.text)
    for expected in (edition.id, edition.title, str(edition.year), str(edition.server)):
        assert expected in page, f"{expected!r} is not on the front page"


def test_front_page_has_the_guestbook_form(client: httpx.Client) -> None:
    """1.2 A form posting name and message to /guestbook."""
    parser = Forms()
    parser.feed(client.get("/").text)
    matching = [f for f in parser.forms
                if f["method"] == "post" and f["action"] == "/guestbook"
                and {"name", "message"} <= f["fields"]]  # type: ignore[operator]
    assert matching, f"no guestbook form among {parser.forms}"


def test_front_page_lists_newest_entries_escaped(client: httpx.Client) -> None:
    """1.3 The newest entries, newest first, HTML-escaped."""
    older = unique("older")
    sign(client, "<script>x</script>", older)
    newer = unique("newer")
    sign(client, "Ada", f"{newer} & <b>bold</b>")
    page = client.get("/").text
    assert "&lt;script&gt;x&lt;/script&gt;" in page
    assert "<script>x</script>" not in page
    assert "&amp; &lt;b&gt;bold&lt;/b&gt;" in page
    assert page.index(newer) < page.index(older), "newest entries must come first"
