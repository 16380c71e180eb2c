"""Cumbre: tabletop exercises on defense diplomacy in Latin America."""

from wargame.celery import app as celery_app

__all__ = ["celery_app"]
