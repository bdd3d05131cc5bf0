"""gunicorn's settings for the clinic site behind nginx (deploy/nginx/clinic.conf).

systemd starts one instance per port (deploy/systemd/clinic-web@.service) with
``gunicorn --config deploy/gunicorn.conf.py``; the variables below, all optional, come from its
environment. Leave ``GUNICORN_BIND`` out of /etc/clinic/clinic.env: each instance's unit sets its
own.

| variable | default | meaning |
|---|---|---|
| ``GUNICORN_BIND`` | ``127.0.0.1:8000`` | address and port, or several separated by commas |
| ``GUNICORN_WORKERS`` | the number of CPU cores | sync workers of this instance |
| ``GUNICORN_TIMEOUT`` | ``30`` | seconds before a silent worker is killed (nginx waits 35) |
| ``GUNICORN_MAX_REQUESTS`` | ``1000`` | a worker is replaced after about this many requests |
| ``GUNICORN_FORWARDED_ALLOW_IPS`` | ``127.0.0.1,::1`` | who may set X-Forwarded-Proto |
| ``GUNICORN_CONTROL_SOCKET`` | none: no control socket | path of gunicornc's control socket |
"""

import multiprocessing
import os
from pathlib import Path

wsgi_app = "clinic_site.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")

# Sync workers: nginx reads each request whole and takes each answer at once, so a worker is
# never held by a slow client, only by the site's own work. Two instances with one worker per
# core each give the two cores per core that suit a site that waits on PostgreSQL and Redis.
worker_class = "sync"
workers = int(os.environ.get("GUNICORN_WORKERS") or multiprocessing.cpu_count())
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 30)
# systemd's stop (TimeoutStopSec=30) waits for the requests in progress this long.
graceful_timeout = 20
# nginx opens a new connection per request to the app; nothing is gained by keeping it open.
keepalive = 2

# Replace each worker after about this many requests, at staggered times, so that a slow leak
# of memory never grows and the workers never all restart at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS") or 1000)
max_requests_jitter = max_requests // 10
# The site is loaded once, in the master, and each worker is a fork of it: a replaced worker is
# ready at once, where loading Django and Wagtail anew held the requests nginx had already
# passed to this instance: the slowest of 80 requests to one worker replaced every 20 took
# 1.8 s without, 0.7 s with it (its first request still warms the worker up); under the
# reliability benchmark's load, 3.5 to 4 s without. No connection is open at that point:
# Django, psycopg and Redis connect on first use, in each worker.
preload_app = True

# X-Forwarded-Proto is believed from nginx only. The client's address is the site's business
# (core.client_address, DJANGO_TRUSTED_PROXY_COUNT), not gunicorn's.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Logs go to standard output and error, which systemd's journal keeps. The access log names the
# path without its query string (a search can name a condition) and no referrer, no user agent
# and no address: nginx's log has the address, and the two together would tie a person to the
# pages they read more than operating the site needs.
accesslog = "-"
access_log_format = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms %(p)s'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# The workers' heartbeat files in memory: on a busy disk, writing them could stall a worker.
if Path("/dev/shm").is_dir():
    worker_tmp_dir = "/dev/shm"

# gunicornc's control socket, one per instance (the unit gives each its own runtime directory);
# without a path none is opened, so that two instances never fight over the default one.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True


def worker_exit(server, worker) -> None:
    """Write the page views and search terms this worker counted since its last flush (they
    are kept in its memory, core.analytics) when it stops: replaced after max_requests, or
    stopped with the instance. Only a worker that is killed loses them."""
    from core import analytics

    analytics.flush()
