"""The guestbook context: its servlets are the .py and .psp files in this folder."""

from __future__ import annotations

from Application import Application
from ExceptionHandler import ExceptionHandler as _ExceptionHandler


class ExceptionHandler(_ExceptionHandler):
    """Webware's handler, minus the 4 KiB of comments its public page adds for old MSIE."""

    def work(self) -> None:
        self.logExceptionToConsole()  # the traceback, on stderr: the container's log
        response = self._res
        if response and not response.isCommitted():
            response.reset()
            response.write(self.publicErrorPage())  # HTML: commit() forces text/html on errors


def contextInitialize(application: Application, path: str) -> None:
    application._exceptionHandlerClass = ExceptionHandler
