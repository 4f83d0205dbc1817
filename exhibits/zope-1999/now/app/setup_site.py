"""Builds the site's object tree in ZODB: run by `zconsole run`, which hands us `app`.

What a 1999 site manager did by clicking in the ZMI, done at every start and idempotently:
objects are added when missing, and the DTML Methods are refreshed from the files beside them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import transaction
from OFS.DTMLMethod import addDTMLMethod
from Products import Guestbook
from Products.Guestbook.Guestbook import Boom, FrontDoor, Hello, Inspector, Sleeper, Stream
from ZPublisher.BeforeTraverse import registerBeforeTraverse, unregisterBeforeTraverse

app: Any = globals()["app"]  # given by zconsole
DTML = Path(Guestbook.__file__).parent / "dtml"
OBJECTS = {"hello": Hello, "inspect": Inspector, "slow": Sleeper, "boom": Boom, "stream": Stream}
PROPERTIES = {"exhibit_id": "MUSEUM_EXHIBIT_ID", "exhibit_year": "MUSEUM_EXHIBIT_YEAR",
              "exhibit_server": "MUSEUM_EXHIBIT_SERVER"}


def dtml_method(name: str) -> None:
    source = (DTML / f"{name}.dtml").read_text()
    if name not in app.objectIds():
        addDTMLMethod(app, name)
    app[name].manage_edit(source, name)


if "guestbook" not in app.objectIds():
    app.manage_addProduct["Guestbook"].manage_addGuestbook("guestbook", "The guestbook")
for name, kind in OBJECTS.items():
    if name not in app.objectIds():
        app._setObject(name, kind(name))
if "index_html" in app.objectIds() and app.index_html.meta_type != "DTML Method":
    app.manage_delObjects(["index_html"])  # the Page Template a new Zope starts with
for name in ("standard_html_header", "standard_html_footer", "index_html",
             "standard_error_message"):
    dtml_method(name)

# The root refuses the methods its front page does not take (see FrontDoor).
unregisterBeforeTraverse(app, "FrontDoor")
registerBeforeTraverse(app, FrontDoor(), "FrontDoor")

# The exhibit's identity as properties of the root folder, acquired by the DTML.
app.manage_changeProperties(title=os.environ.get("MUSEUM_EXHIBIT_TITLE", "Zope"))
for prop, variable in PROPERTIES.items():
    value = os.environ.get(variable, "?")
    if app.hasProperty(prop):
        app.manage_changeProperties({prop: value})
    else:
        app.manage_addProperty(prop, value, "string")

transaction.get().note("setup_site.py: the museum's object tree")
transaction.commit()
print("site ready:", ", ".join(sorted(app.objectIds())))
