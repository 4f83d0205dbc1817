from pyramid.config import Configurator

from guestbook.views import method_not_allowed, nothing

# The routes, in the order the mapper tries them, and the methods their views take.
ROUTES = [
    ('front', '/', 'GET, HEAD'),
    ('hello', '/hello', 'GET, HEAD'),
    ('hello_name', '/hello/{name}', 'GET, HEAD'),
    ('guestbook', '/guestbook', 'GET, HEAD, POST'),
    ('entry', '/guestbook/{id:\d+}', 'GET, HEAD'),
    ('inspect', '/inspect', 'GET, HEAD'),
    ('stream', '/stream', 'GET, HEAD'),
    ('slow', '/slow', 'GET, HEAD'),
    ('boom', '/boom', 'GET, HEAD'),
]


def main(global_config, **settings):
    """ This function returns a Pyramid WSGI application.
    """
    config = Configurator(settings=settings)
    for name, pattern, allowed in ROUTES:
        config.add_route(name, pattern)
        # A view without predicates: tried after the route's own views, so it answers
        # only the methods they refuse.
        config.add_view(method_not_allowed(allowed), route_name=name)
    config.add_route('nothing', '/{path:.*}')
    config.add_view(nothing, route_name='nothing')
    config.scan('guestbook.views')
    return config.make_wsgi_app()
