"""Routes configuration

The more specific and detailed routes should be defined first so they
may take precedent over the more generic routes. For more information
refer to the routes manual at http://routes.groovie.org/docs/
"""
from pylons import config
from routes import Mapper

def make_map():
    """Create, configure and return the routes Mapper"""
    map = Mapper(directory=config['pylons.paths']['controllers'],
                 always_scan=config['debug'])
    map.minimization = False

    # The ErrorController route (handles 404/500 error pages); it should
    # likely stay at the top, ensuring it can always be resolved
    map.connect('/error/{action}', controller='error')
    map.connect('/error/{action}/{id}', controller='error')

    # CUSTOM ROUTES HERE

    map.connect('/', controller='pages', action='index')
    map.connect('/hello', controller='hello', action='index')
    map.connect('/hello/{name}', controller='hello', action='index')
    map.connect('/guestbook', controller='entries', action='index')
    map.connect('/guestbook/{id}', controller='entries', action='show')
    map.connect('/stream', controller='museum', action='stream')
    map.connect('/slow', controller='museum', action='slow')
    map.connect('/events', controller='museum', action='events')
    map.connect('/inspect', controller='museum', action='inspect')
    map.connect('/boom', controller='museum', action='boom')

    return map
