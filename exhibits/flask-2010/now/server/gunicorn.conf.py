"""gunicorn for the Flask exhibit: four sync workers, as Flask's deployment docs showed it."""

bind = "0.0.0.0:8000"
worker_class = "sync"  # one request per worker process at a time, no threads
workers = 4  # the `-w 4` of Flask's deployment docs
accesslog = "-"
errorlog = "-"
graceful_timeout = 5  # docker stop allows ten seconds
control_socket_disable = True  # a recent addition, not part of the 2010 picture
