"""The front page, for exhibits whose era had no template language of its own."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from guestbook.exhibit import Identity
from guestbook.rules import Entry

STYLE = """
body { font: 18px/1.5 Georgia, serif; max-width: 44em; margin: 2em auto; padding: 0 1em;
       color: #1d1d1d; background: #fbf8f1; }
header { border-bottom: 3px double #1d1d1d; margin-bottom: 1em; }
.era { font: bold 14px/1 sans-serif; letter-spacing: .2em; text-transform: uppercase; }
form { display: grid; gap: .5em; margin: 1em 0 2em; }
input, textarea { font: inherit; padding: .3em; }
li { margin: .6em 0; } .when { color: #666; font-size: 80%; }
"""


def entry_items(entries: Iterable[Entry]) -> str:
    items = [
        f'<li><strong>{escape(e.name)}</strong>: {escape(e.message)} '
        f'<span class="when">{escape(e.created)}</span></li>'
        for e in entries
    ]
    return "\n".join(items) or "<li>No entries yet: be the first to sign.</li>"


def render(exhibit: Identity, entries: Iterable[Entry], total: int) -> str:
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{escape(exhibit.title, quote=False)} ({escape(exhibit.id)})</title>
<style>{STYLE}</style>
</head>
<body>
<header>
<p class="era">{escape(exhibit.year)} &middot; {escape(exhibit.id)}</p>
<h1>{escape(exhibit.title, quote=False)}</h1>
<p>Served by {escape(exhibit.server)}.</p>
</header>
<h2>Sign the guestbook</h2>
<form method="post" action="/guestbook">
<label>Name <input name="name" maxlength="64" required></label>
<label>Message <textarea name="message" maxlength="1000" required></textarea></label>
<button type="submit">Sign</button>
</form>
<h2>Entries ({total})</h2>
<ul id="entries">
{entry_items(entries)}
</ul>
</body>
</html>
"""
