from __future__ import annotations

from HTTPExceptions import HTTPNotFound
from SitePage import SitePage
from Transaction import Transaction

from guestbook import MAX_BODY, Invalid, Store, check_entry, check_paging, content_kind
from guestbook.rules import entry_from_json

store = Store()


class guestbook(SitePage):
    """GET /guestbook lists, GET /guestbook/7 shows one entry, POST /guestbook signs."""

    methods = ("GET", "HEAD", "POST")
    takesExtraPath = True

    def writeHTML(self) -> None:
        extra = self.extraPath()
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
        kind = content_kind(environ.get("CONTENT_TYPE"))
        if kind is None:
            self.writeError(415, "send application/json or application/x-www-form-urlencoded")
            return
        if int(environ.get("CONTENT_LENGTH") or 0) > MAX_BODY:
            self.writeError(413, f"the body is over {MAX_BODY} bytes")
            return
        try:
            if kind == "json":
                # Webware read the body when it built the request: an empty one is no file,
                # a JSON one comes back already decoded, when it was valid UTF-8.
                stream = request.rawInput(rewind=True)
                body = stream.read() if stream else b""
                if isinstance(body, str):
                    body = body.encode("utf-8")
                name, message = entry_from_json(body)
            else:
                name, message = check_entry(self.param("name"), self.param("message"))
        except Invalid as problem:
            self.writeError(400, problem.message, problem.field)
            return
        entry = store.add(name, message)
        if kind == "form":
            self.response().sendRedirectSeeOther("/")
            return
        self.response().setHeader("Location", entry.location)
        self.writeJSON(entry.as_dict(), 201)
