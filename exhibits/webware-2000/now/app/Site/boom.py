from __future__ import annotations

from SitePage import SitePage


class boom(SitePage):
    def writeHTML(self) -> None:
        raise RuntimeError("boom: the servlet raised on purpose")
