"""Gunicorn's settings for the production web server:

    gunicorn --config python:wargame.gunicorn wargame.wsgi

Everything comes from the environment, like the app's own settings: PORT (8000),
WEB_CONCURRENCY (2 worker processes), WEB_THREADS (4 threads each), WEB_TIMEOUT (60 s, for a
report rendered in the request while no worker runs), LOG_FORMAT (plain or json, as the app).
"""

import os

from wargame.lib.env import env_int, env_str

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

_format = os.environ.get("LOG_FORMAT", "plain")
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s %(process)d",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": _format,
            "stream": "ext://sys.stdout",
        },
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
