from __future__ import annotations

import time

from SitePage import SitePage

from guestbook import Invalid
from guestbook.native import process
from guestbook.rules import slow_param


class slow(SitePage):
    def writeHTML(self) -> None:
        try:
            ms = slow_param(self.param("ms"))
        except Invalid as problem:
            self.writeError(400, problem.message, problem.field)
            return
        time.sleep(ms / 1000)  # one of waitress's threads sleeps; the others keep serving
        self.writeJSON({"ms": ms, **process()})
