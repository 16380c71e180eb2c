"""Writes for evaluation, the hotwash and participant feedback."""

from wargame.reports.services.observations import observation_record

__all__ = ["observation_record"]
