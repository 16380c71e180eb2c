"""The sections of the after-action report, in order, the same in every format."""

from django.utils.translation import gettext_lazy as _

SECTIONS = (
    ("overview", _("Exercise overview")),
    ("summary", _("Executive summary")),
    ("analysis", _("Analysis of objectives")),
    ("timeline", _("Timeline of injects and responses")),
    ("moves", _("Moves")),
    ("agreements", _("Agreements and negotiations")),
    ("indicators", _("Indicators by turn")),
    ("trust", _("Trust between nations")),
    ("plan", _("Appendix A: Improvement plan")),
    ("participants", _("Appendix B: Participants")),
    ("feedback", _("Appendix C: Participant feedback")),
)

PAPERS = ("A4", "Letter")

RATING_NAMES = {
    "P": _("Performed without challenges"),
    "S": _("Performed with some challenges"),
    "M": _("Performed with major challenges"),
    "U": _("Unable to be performed"),
}

# The handling marking on the cover and every page of the report, in every format.
HANDLING = _("For training use. Unclassified.")

# Above a generated executive summary, until the facilitator writes their own at the hotwash.
DRAFT_NOTE = _(
    "Generated from the exercise record as a first draft: the facilitator should review, "
    "complete or replace it at the hotwash before the report is distributed."
)
