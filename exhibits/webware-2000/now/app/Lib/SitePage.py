"""The base servlet of the site: the contract's paths, methods and error bodies."""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl

from HTTPExceptions import HTTPNotFound
from Page import Page
from Transaction import Transaction

from guestbook import Invalid, error_body


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

    def extraPath(self) -> str | None:
        """The extra path info after the servlet's name, percent-decoded as UTF-8, or None
        when it is not UTF-8."""
        # PATH_INFO is WSGI's latin-1 "bytes as str" (PEP 3333); Webware passes it on as is.
        try:
            return self.request().extraURLPath().encode("latin-1").decode("utf-8")
        except UnicodeError:
            return None

    def param(self, name: str) -> str | None:
        """A query field, the first when it comes more than once. Webware decodes fields with
        errors="replace", so the raw query string is read again, strictly: bytes that are not
        UTF-8 are Invalid, naming the field."""
        query = self.request().environ().get("QUERY_STRING", "")
        for key, value in parse_qsl(query, keep_blank_values=True, encoding="latin-1"):
            if key == name:
                try:
                    return value.encode("latin-1").decode("utf-8")
                except UnicodeError:
                    raise Invalid(f"{name} must be UTF-8 text", name) from None
        return None

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
