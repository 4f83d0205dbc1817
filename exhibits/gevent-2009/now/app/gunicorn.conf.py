# gunicorn's gevent worker: one process, a greenlet per connection (up to 1000 at once).
bind = "0.0.0.0:8000"
worker_class = "gevent"
workers = 1
worker_connections = 1000
wsgi_app = "guestbook_app:application"
accesslog = "-"
errorlog = "-"
# /events streams never end by themselves: `docker stop` allows 10 s, so stop waiting sooner.
graceful_timeout = 5
control_socket_disable = True  # gunicorn 27's runtime control socket: not part of the exhibit
