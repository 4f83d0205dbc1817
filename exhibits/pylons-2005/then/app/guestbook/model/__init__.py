"""The guestbook's model: the museum's SQLite store on the /data volume, one per process.
(A 2009 project would have said `sqlalchemy=True` to paster create and used SQLAlchemy.)"""
import threading

import guestbook27 as gb

store = gb.Store()

# /events: every listener waits on this condition; a new entry wakes them all.
posted = threading.Condition()
