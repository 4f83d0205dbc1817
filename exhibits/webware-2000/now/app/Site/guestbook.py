from __future__ import annotations

from HTTPExceptions import HTTPNotFound
from SitePage import SitePage
from Transaction import Transaction

from guestbook import MAX_BODY, Invalid, Store, check_paging, content_kind
from guestbook.rules import entry_from_body
from guestbook.store import Full

store = Store()


class guestbook(SitePage):
    """GET /guestbook lists, GET /guestbook/7 shows one entry, POST /guestbook signs."""

    methods = ("GET", "HEAD", "POST")
    takesExtraPath = True

    def writeHTML(self) -> None:
        extra = self.extraPath()
        if extra is None:
            raise HTTPNotFound(self.request().uri())
        if extra:
            self.writeEntry(extra[1:])
            return
        try:
            limit, offset = check_paging(self.param("limit"), self.param("offset"))
        except Invalid as problem:
            self.writeError(400, problem.message, problem.field)
            return
        entries, total = store.page(limit, offset)
        self.writeJSON({"entries": [e.as_dict() for e in entries], "total": total})

    def writeEntry(self, entry_id: str) -> None:
        entry = store.get(int(entry_id)) if entry_id.isdigit() and len(entry_id) < 19 else None
        if entry is None:
            self.writeError(404, f"there is no entry {entry_id}")
        else:
            self.writeJSON(entry.as_dict())

    def respondToPost(self, transaction: Transaction) -> None:
        request = self.request()
        if request.extraURLPath():
            raise HTTPNotFound(request.uri())
        environ = request.environ()
        content_type = environ.get("CONTENT_TYPE", "")
        kind = content_kind(content_type)
        if kind is None:
            self.writeError(415, "send application/json or application/x-www-form-urlencoded")
            return
        if kind == "form" and not utf8_form(content_type):
            self.writeError(415, "send the form as UTF-8")
            return
        length = int(environ.get("CONTENT_LENGTH") or 0)
        if length > MAX_BODY:
            self.writeError(413, f"the body is over {MAX_BODY} bytes")
            return
        # Webware read the body when it built the request, and decoded it with
        # errors="replace". waitress keeps the body in a seekable buffer: read it again, as
        # bytes, and hold it to the guestbook's rules strictly.
        stream = environ["wsgi.input"]
        stream.seek(0)
        body = stream.read(length)
        try:
            name, message = entry_from_body(content_type, body)
        except Invalid as problem:
            self.writeError(400, problem.message, problem.field)
            return
        try:
            entry = store.add(name, message)
        except Full:
            self.writeError(507, "the guestbook's storage is full")
            return
        if kind == "form":
            self.response().sendRedirectSeeOther("/")
            return
        self.response().setHeader("Location", entry.location)
        self.writeJSON(entry.as_dict(), 201)


def utf8_form(content_type: str) -> bool:
    """A form declares no charset, or UTF-8."""
    for parameter in content_type.split(";")[1:]:
        key, _, value = parameter.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip('"').lower() in ("utf-8", "utf8")
    return True
