from __future__ import annotations

import time

from SitePage import SitePage

from guestbook import Invalid
from guestbook.rules import stream_line, stream_params


class stream(SitePage):
    """Lines sent as they are written: response().flush() commits and streams from then on."""

    def writeHTML(self) -> None:
        try:
            chunks, delay_ms = stream_params(self.param("chunks"), self.param("delay_ms"))
        except Invalid as problem:
            self.writeError(400, problem.message, problem.field)
            return
        response = self.response()
        response.setHeader("Content-Type", "text/plain; charset=utf-8")
        for index in range(1, chunks + 1):
            if index > 1:
                time.sleep(delay_ms / 1000)
            self.write(stream_line(index, chunks))
            response.flush()
