"""Sending a Celery task by name, without failing the request when the broker is down."""

import logging

from celery import current_app
from kombu.exceptions import OperationalError as BrokerError

log = logging.getLogger(__name__)


def task_send(name: str, *args: int | str | None) -> bool:
    """Send a task; False, logged, when the broker cannot be reached. Nothing is lost: turns
    are rows with due times that the next tick finds again, and the facilitator can close a
    turn by hand while the scheduler is down."""
    try:
        current_app.send_task(name, args, retry=False)
    except BrokerError:
        log.warning("broker unreachable: %s%s not sent", name, args, exc_info=True)
        return False
    return True
