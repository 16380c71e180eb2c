"""The Celery application: the worker runs turn closing and reports, beat runs the tick."""

import os

from celery import Celery, signals
from kombu.transport import TRANSPORT_ALIASES

from wargame.lib.startup import refuse_unsafe_start

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wargame.settings")
# "filesystem://", the embedded broker, with messages written whole (wargame/lib/broker.py).
TRANSPORT_ALIASES["filesystem"] = "wargame.lib.broker:Transport"

app = Celery("wargame")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def _schedule_tick(sender: Celery, **kwargs: object) -> None:
    from django.conf import settings

    sender.add_periodic_task(
        settings.CUMBRE_TICK_SECONDS, sender.signature("exercises.tick"), name="exercise tick"
    )
    if settings.CUMBRE_DELETE_ENDED_AFTER_DAYS > 0:
        sender.add_periodic_task(
            3600, sender.signature("exercises.expire_ended"), name="delete ended exercises"
        )


@signals.worker_init.connect
@signals.beat_init.connect
def _refuse_unsafe_start(**kwargs: object) -> None:
    """A worker or beat with unsafe settings stops before it takes a task."""
    refuse_unsafe_start()
