"""gunicorn settings: the pre-fork model with sync workers, as the talk shows it."""

bind = "0.0.0.0:8000"
worker_class = "sync"  # one request at a time per worker process: /slow holds a whole worker
workers = 4  # fixed, so the /slow figure does not depend on the host; the docs suggest 2*cores+1
timeout = 30  # the default: a worker silent for 30 s (a long /stream too) is killed
graceful_timeout = 3  # on SIGTERM, finish requests for at most 3 s: docker stop waits 10
control_socket_disable = True  # gunicorn 27's runtime control socket: not part of the exhibit
accesslog = "-"  # access and error logs to the container's stdout and stderr
errorlog = "-"
