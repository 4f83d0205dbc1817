from __future__ import annotations

from HTTPExceptions import HTTPNotFound
from SitePage import SitePage


class hello(SitePage):
    """/hello, /hello?name=Zoe and /hello/Zoe (the name as extra path info)."""

    takesExtraPath = True

    def writeHTML(self) -> None:
        name = self.extraPath()[1:] or self.param("name") or "World"
        if "/" in name:
            raise HTTPNotFound(self.request().uri())
        self.response().setHeader("Content-Type", "text/plain; charset=utf-8")
        self.write(f"Hello, {name}!")
