from __future__ import annotations

from HTTPExceptions import HTTPNotFound
from SitePage import SitePage

from guestbook import Invalid


class hello(SitePage):
    """/hello, /hello?name=Zoe and /hello/Zoe (the name as extra path info)."""

    takesExtraPath = True

    def writeHTML(self) -> None:
        extra = self.extraPath()
        if extra is None or "/" in extra[1:]:
            raise HTTPNotFound(self.request().uri())
        try:
            name = extra[1:] or self.param("name") or "World"
        except Invalid as problem:
            self.writeError(400, problem.message, problem.field)
            return
        self.response().setHeader("Content-Type", "text/plain; charset=utf-8")
        self.write(f"Hello, {name}!")
