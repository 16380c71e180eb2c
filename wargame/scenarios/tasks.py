"""Celery entry points for scenarios: load by id, call a service."""

import logging

from celery import shared_task

from wargame.scenarios.services import SIMULATE, simulation_run

log = logging.getLogger(__name__)


@shared_task(name=SIMULATE, ignore_result=True, acks_late=True, time_limit=900,
             soft_time_limit=840)  # fmt: skip
def simulate(simulation_id: int) -> None:
    """Balance a scenario; a no-op for a simulation that is not waiting."""
    simulation = simulation_run(simulation_id)
    log.info("simulation %s: %s", simulation_id, simulation.status if simulation else "-")
