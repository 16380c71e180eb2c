"""Gunicorn's settings for the production web server:

    gunicorn --config python:wargame.gunicorn wargame.wsgi

Everything comes from the environment, like the app's own settings: PORT (8000),
WEB_CONCURRENCY (2 worker processes), WEB_THREADS (4 threads each), WEB_TIMEOUT (60 s, for a
report rendered in the request while no worker runs), LOG_FORMAT (plain or json, as the app).
"""

from wargame.lib.env import env_int, env_str
from wargame.lib.logs import logging_config

bind = f"0.0.0.0:{env_int('PORT', 8000)}"
workers = env_int("WEB_CONCURRENCY", 2)
# Threads let a worker process answer pulses while another thread waits on the database.
threads = env_int("WEB_THREADS", 4)
worker_class = "gthread"
timeout = env_int("WEB_TIMEOUT", 60)
graceful_timeout = 20
keepalive = 5
# The app is imported once, before the workers fork: less memory, faster restarts.
preload_app = True
forwarded_allow_ips = env_str("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
# The usual fields and the time taken, in milliseconds, for latency figures.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s"'
errorlog = "-"

logconfig_dict = logging_config(
    {
        name: {"handlers": ["console"], "level": "INFO", "propagate": False}
        for name in ("gunicorn.error", "gunicorn.access")
    },
    root=False,
)
