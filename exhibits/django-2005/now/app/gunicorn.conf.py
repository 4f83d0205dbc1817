"""gunicorn's settings for the exhibit (read from the working directory at start)."""

bind = "0.0.0.0:8000"
worker_class = "sync"
# gunicorn's docs suggest (2 x cores) + 1; this machine has 2 cores. Fixed, not computed,
# so the /slow figure on the placard can be reproduced anywhere.
workers = 5
# A sync worker that is busy for longer than `timeout` is killed; the contract's longest
# stream (100 chunks 5 s apart) lasts 495 s.
timeout = 600
# On SIGTERM, give requests in flight 5 s, well inside Docker's 10 s.
graceful_timeout = 5
accesslog = "-"
errorlog = "-"
# gunicorn 27's runtime control socket (for gunicornc) is not needed here.
control_socket_disable = True
