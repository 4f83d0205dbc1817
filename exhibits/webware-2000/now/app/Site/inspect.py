from __future__ import annotations

from importlib.metadata import version

from SitePage import SitePage

from guestbook.native import cgi_headers, document


class inspect(SitePage):
    """The HTTPRequest Webware built from the WSGI environ, as it is."""

    def writeHTML(self) -> None:
        request = self.request()
        environ = request.environ()
        software = environ.get("SERVER_SOFTWARE", "")  # waitress says only "waitress"
        headers = cgi_headers(environ)
        self.writeJSON(document(
            interface="WSGI",
            software=software,
            version=version(software),
            request={
                "method": request.method(),
                "path": request.urlPath(),
                "query": request.queryString(),
                "headers": headers,
                "http_version": environ.get("SERVER_PROTOCOL", "").partition("/")[2],
                "scheme": request.scheme(),
                "client": request.remoteAddress(),
            },
            native=request,
        ))
