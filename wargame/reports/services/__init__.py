"""Writes for evaluation, the hotwash and participant feedback."""

from wargame.reports.services.observations import observation_record, task_rate
from wargame.reports.services.report_files import report_file_request

__all__ = ["observation_record", "report_file_request", "task_rate"]
