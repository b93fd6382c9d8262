"""Gunicorn settings for every service's web process (`gunicorn -c python:shared.gunicorn_conf ...`)."""

import os

from shared.suite import PORTS

_service = os.environ.get("CHANCERY_SERVICE", "visits")
bind = f"{os.environ.get('CHANCERY_BIND_HOST', '127.0.0.1')}:" \
       f"{os.environ.get(f'{_service.upper()}_PORT', PORTS[_service])}"
# One gevent worker serves every page and stream of the console at once; a second would double its memory and
# split a person's pages over two upstream feeds: the console scales by replicas (decision 0095).
workers = int(os.environ.get("CONSOLE_WEB_WORKERS", "1") if _service == "console"
              else os.environ.get("CHANCERY_WEB_WORKERS", "2"))
# The console and notifications hold a live stream per open page or person: greenlets, not threads (decisions 0095
# and 0059). The other services keep gthread (decision 0056).
worker_class = "gevent" if _service in ("console", "notifications") else "gthread"
threads = int(os.environ.get("CHANCERY_WEB_THREADS", "4"))
# gevent: requests (streams among them) in flight per worker, CONSOLE_ or NOTIFICATIONS_WORKER_CONNECTIONS
worker_connections = int(os.environ.get(f"{_service.upper()}_WORKER_CONNECTIONS") or "1000")
preload_app = False  # each worker builds its app after the fork: no connection crosses a fork
graceful_timeout = 10
# A request line of up to 8 KiB, gunicorn's largest bounded one (as proxies' usual buffers), not 4 KiB: a list's
# query may repeat a filter (`status=a&status=b…`); a longer line is answered 414 in HTML, not as a problem.
limit_request_line = 8190
accesslog = None  # also keeps calendar feed tokens (in query strings) out of logs
# Gunicorn's control socket has one default path per user; the suite runs ten masters side by side.
control_socket_disable = True
proc_name = f"chancery-{_service}-web"


def on_starting(server):
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        os.makedirs(directory, exist_ok=True)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
