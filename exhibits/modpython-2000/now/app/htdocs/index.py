"""The guestbook's pages, published by mod_python.publisher: Bobo's idea inside Apache.

The publisher maps the URL to a function of this module (/ is index, /hello is hello) and the
query string or the form to its keyword arguments; what the function returns is the page.
Names that start with an underscore are never published.
"""

from guestbook import page as _page
from guestbook import store as _store
from guestbook.exhibit import identity as _identity

_guestbook = _store.Store()


def index(req):
    """The front page: the form and the newest entries."""
    entries, total = _guestbook.page(20, 0)
    req.content_type = "text/html; charset=utf-8"
    return _page.render(_identity(), entries, total)


def hello(req, name="World"):
    """/hello?name=Zo%C3%AB says hello to Zoë; a name given twice arrives as a list."""
    if isinstance(name, list):
        name = name[0]
    req.content_type = "text/plain; charset=utf-8"
    return f"Hello, {name}!"
