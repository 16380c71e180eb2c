"""How every process of the app logs: to standard output, as text or as one JSON object per
line (LOG_FORMAT=json) for a log collector. The Django settings and gunicorn's share it."""

from typing import Any

from wargame.lib.env import env_str

FORMATS = ("plain", "json")


def log_format() -> str:
    value = env_str("LOG_FORMAT", "plain")
    if value not in FORMATS:
        raise ValueError(f"LOG_FORMAT must be plain or json, not {value!r}")
    return value


def logging_config(loggers: dict[str, dict[str, Any]], *, root: bool = True) -> dict[str, Any]:
    """A dictConfig with one console handler in the chosen format; `root` sends every other
    logger there too, at LOG_LEVEL."""
    config: dict[str, Any] = {
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
                "formatter": log_format(),
                "stream": "ext://sys.stdout",
            }
        },
        "loggers": loggers,
    }
    if root:
        config["root"] = {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")}
    return config
