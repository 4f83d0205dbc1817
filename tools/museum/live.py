"""An edition the verbs talk to must be answering already; they say how to start it."""

from __future__ import annotations

from museum.docker import answers
from museum.errors import MuseumError
from museum.site import Site
from museum.timeline import Edition


def require_answering(site: Site, edition: Edition) -> str:
    """The edition's URL, or MuseumError telling how to start it."""
    url = site.url(edition)
    if not answers(url):
        raise MuseumError(f"{edition.id} is not answering at {url}: "
                          f"run `museum up {edition.id}` first")
    return url
