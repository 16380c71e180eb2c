"""Celery entry points of the exercise layer: deleting exercises past their keeping time."""

import logging

from celery import shared_task
from django.conf import settings

from wargame.exercises.services.setup import exercises_expire

log = logging.getLogger(__name__)
EXPIRE = "exercises.expire_ended"


@shared_task(name=EXPIRE, ignore_result=True)
def expire_ended() -> list[str]:
    """Delete the exercises that ended more than CUMBRE_DELETE_ENDED_AFTER_DAYS ago (when the
    setting is on); sent again, it finds nothing more to delete."""
    codes = exercises_expire(settings.CUMBRE_DELETE_ENDED_AFTER_DAYS)
    if codes:
        log.info("deleted %d exercises that ended long ago: %s", len(codes), ", ".join(codes))
    return codes
