"""The base servlet of the site: the contract's paths, methods and error bodies."""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

from HTTPExceptions import HTTPNotFound
from Page import Page
from Transaction import Transaction

from guestbook import error_body


class SitePage(Page):
    """A Page that answers only its own methods, and extra path info only where it asks."""

    methods: tuple[str, ...] = ("GET", "HEAD")
    takesExtraPath = False

    def awake(self, transaction: Transaction) -> None:
        super().awake(transaction)
        self.response().setHeader("Content-Type", "text/html; charset=utf-8")
        # With ExtraPathInfo on, /nosuch/page would reach index.psp as extra path info.
        if self.request().extraURLPath() and not self.takesExtraPath:
            raise HTTPNotFound(self.request().uri())

    def respond(self, transaction: Transaction) -> None:
        method = self.request().method()
        if method not in self.methods:
            # Webware's HTTPServlet would answer 501 for a missing respondToX.
            self.response().setHeader("Allow", ", ".join(self.methods))
            self.writeError(405, f"{method} is not allowed here")
            return
        super().respond(transaction)

    def extraPath(self) -> str:
        """The extra path info after the servlet's name, percent-decoded as UTF-8."""
        # PATH_INFO is WSGI's latin-1 "bytes as str" (PEP 3333); Webware passes it on as is.
        raw = self.request().extraURLPath().encode("latin-1")
        return raw.decode("utf-8", "replace")

    def param(self, name: str) -> str | None:
        """A form or query field; Webware gives a list when it comes more than once."""
        value = self.request().field(name, None)
        return value[-1] if isinstance(value, list) else value

    def setStatus(self, code: int) -> None:
        self.response().setStatus(code, HTTPStatus(code).phrase)

    def writeJSON(self, document: Any, code: int = 200) -> None:
        self.writeJSONText(json.dumps(document, ensure_ascii=False), code)

    def writeError(self, code: int, message: str, field: str | None = None) -> None:
        self.writeJSONText(error_body(message, field), code)

    def writeJSONText(self, text: str, code: int) -> None:
        self.setStatus(code)
        self.response().setHeader("Content-Type", "application/json")
        self.write(text)
