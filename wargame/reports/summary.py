"""The executive summary: the facilitator's text from the hotwash, or a generated first draft.

Every format (HTML, PDF, Word) and the hotwash page take the summary from here, so they say
the same thing.
"""

from collections import Counter
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wargame.negotiation.models import AgreementStatus
from wargame.reports.sections import RATING_NAMES

RATING_ORDER = "PSMU"


def summary_paragraphs(data: dict[str, Any]) -> tuple[list[str], bool]:
    """The summary's paragraphs and whether they are the facilitator's own (else a draft)."""
    edited = data["exercise"].get("executive_summary")
    if edited:
        return [p.strip() for p in edited.replace("\r\n", "\n").split("\n\n") if p.strip()], True
    return summary_draft(data), False


def summary_draft(data: dict[str, Any]) -> list[str]:
    """A first draft from the exercise record: what was played, answered and agreed, where
    regional stability ended, and the strongest and weakest objectives."""
    exercise, scenario = data["exercise"], data["scenario"]
    delivered = [i for i in data["injects"] if i["delivered_turn"] is not None]
    answered = [i for i in delivered if i["answered_turn"] is not None]
    agreements = Counter(a["status"] for a in data["agreements"])
    texts = [
        _(
            "%(nations)s delegations played %(played)s of the %(turns)s turns of "
            "%(scenario)s, each %(per)s of game time."
        )
        % {
            "nations": len(data["teams"]),
            "played": exercise["turns_played"],
            "turns": scenario["turns"],
            "scenario": scenario["title"],
            "per": scenario.get("game_time_per_turn") or "—",
        }
    ]
    sentence = ngettext(
        "They answered %(answered)s of the %(delivered)s inject delivered.",
        "They answered %(answered)s of the %(delivered)s injects delivered.",
        len(delivered),
    ) % {"answered": len(answered), "delivered": len(delivered)}
    delays = [i["turns_to_answer"] for i in answered if i["turns_to_answer"] is not None]
    if delays:
        sentence += " " + _(
            "On average an inject was answered %(delay)s turns after it was delivered."
        ) % {"delay": formats.number_format(sum(delays) / len(delays), 1)}
    texts.append(sentence)
    texts.append(
        ngettext(
            "%(count)s agreement was concluded; %(broken)s broken, %(in_force)s still in "
            "force at the end.",
            "%(count)s agreements were concluded; %(broken)s broken, %(in_force)s still in "
            "force at the end.",
            len(data["agreements"]),
        )
        % {
            "count": len(data["agreements"]),
            "broken": agreements[AgreementStatus.BROKEN],
            "in_force": agreements[AgreementStatus.IN_FORCE],
        }
    )
    if exercise.get("regional_stability") is not None:
        texts.append(
            _("Regional stability stood at %(value)s (of 100) at the end of the exercise.")
            % {"value": formats.number_format(exercise["regional_stability"], 1)}
        )
    ratings = data["ratings"]
    if len(ratings) == 1:
        texts.append(
            _("Its one objective, %(objective)s, was rated %(rating)s.")
            % {"objective": _objective(ratings[0]), "rating": _rated(ratings[0])}
        )
    elif ratings:
        ranked = sorted(
            ratings,
            key=lambda r: (RATING_ORDER.index(_effective(r)), -r["reasoning"].get("score", 0)),
        )
        strongest, weakest = ranked[0], ranked[-1]
        texts.append(
            _(
                "The strongest objective was %(strongest)s, rated %(strong)s; "
                "the weakest was %(weakest)s, rated %(weak)s."
            )
            % {
                "strongest": _objective(strongest),
                "strong": _rated(strongest),
                "weakest": _objective(weakest),
                "weak": _rated(weakest),
            }
        )
    return [text for text in (" ".join(texts[:2]), " ".join(texts[2:])) if text]


def _effective(rating: dict[str, Any]) -> str:
    return rating["rating"] or rating["proposed"]


def _objective(rating: dict[str, Any]) -> str:
    return f"{rating['objective']} ({rating['title']})"


def _rated(rating: dict[str, Any]) -> str:
    letter = _effective(rating)
    text = f"{letter}, {str(RATING_NAMES[letter]).lower()}"
    return text if rating["rating"] else _("%(rating)s (proposed)") % {"rating": text}
