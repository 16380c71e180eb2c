"""The hotwash: the facilitator confirms each objective's rating, edits the executive summary
and the improvement plan. Evaluators may follow it read-only.

HTMX forms get back the region they changed (an objective, the summary, a plan row or the
whole plan); plain forms go back to the page. A refused form comes back with status 422, the
typed values and the reason.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_htmx.http import trigger_client_event

from wargame.engine.ratings import THRESHOLDS
from wargame.exercises.access import Seat, exercise_for
from wargame.exercises.errors import ExerciseError
from wargame.exercises.models import Exercise, Role
from wargame.lib.htmx import after_change, render_region
from wargame.reports import selectors
from wargame.reports.forms import ImprovementItemForm, RatingForm, SummaryForm
from wargame.reports.model import report_for
from wargame.reports.models import ImprovementItem, rating_meanings
from wargame.reports.services.hotwash import (
    improvement_item_delete,
    improvement_item_save,
    improvement_plan_prefill,
    rating_confirm,
    summary_save,
)
from wargame.scenarios.models import Objective

TEMPLATE = "reports/hotwash.html"
WATCHERS = (Role.FACILITATOR, Role.EVALUATOR)


def _editor(seat: Seat) -> None:
    """Evaluators follow the hotwash; only the facilitator changes it."""
    if not seat.is_facilitator:
        raise PermissionDenied


def _url(exercise: Exercise, anchor: str = "") -> str:
    return reverse("exercises:hotwash", args=[exercise.code]) + (f"#{anchor}" if anchor else "")


def _rating_form(review: selectors.ObjectiveReview) -> RatingForm:
    return RatingForm(
        prefix=f"objective{review.objective.pk}",
        proposed=review.proposal["proposed"],
        initial={"rating": review.final, "comment": review.proposal["comment"]},
    )


def _item_form(
    objectives: list[Objective], item: ImprovementItem | None = None, data: Any = None
) -> ImprovementItemForm:
    if item is None:
        return ImprovementItemForm(
            data, objectives=objectives, form_id="plan-item-new-form", prefix="new"
        )
    initial = {
        "objective": str(item.objective_id or ""),
        "core_capability": item.core_capability,
        "issue": item.issue,
        "corrective_action": item.corrective_action,
        "element": item.element,
        "organisation": item.organisation,
        "point_of_contact": item.point_of_contact,
        "start": item.start,
        "completion": item.completion,
    }
    return ImprovementItemForm(
        data, objectives=objectives, form_id=f"plan-item-{item.pk}-form",
        prefix=f"item{item.pk}", initial=initial,
    )  # fmt: skip


def _context(
    seat: Seat,
    *,
    summary: bool = True,
    rating: tuple[int, RatingForm, str] | None = None,
    summary_form: SummaryForm | None = None,
    item: tuple[int | None, ImprovementItemForm, str] | None = None,
) -> dict[str, Any]:
    """The page. A form that was refused (an objective's rating or a plan row, by objective or
    row id; the summary) takes the place of the blank one, as typed, with the reason. Without
    `summary`, no generated draft: a region that does not show it need not pay for it."""
    exercise = seat.exercise
    page = selectors.hotwash(exercise)
    editing = seat.is_facilitator
    objectives = []
    for review in page.objectives:
        form, refusal = (_rating_form(review) if editing else None), ""
        if rating and rating[0] == review.objective.pk:
            form, refusal = rating[1], rating[2]
        objectives.append({"review": review, "form": form, "refusal": refusal})
    choices = [review.objective for review in page.objectives]
    rows = []
    for plan_item in page.plan:
        form, refusal = (_item_form(choices, plan_item) if editing else None), ""
        if item and item[0] == plan_item.pk:
            form, refusal = item[1], item[2]
        rows.append({"item": plan_item, "form": form, "refusal": refusal})
    new_form, new_refusal = (_item_form(choices) if editing else None), ""
    if item and item[0] is None:
        new_form, new_refusal = item[1], item[2]
    draft = ""
    if summary and page.summary is None:
        # Drawn now from the ratings as they stand, never kept: see `summary_edit`.
        draft = "\n\n".join(report_for(exercise, charts=False).draft)
    if summary and editing and summary_form is None:
        text = page.summary.text if page.summary else draft
        summary_form = SummaryForm(initial={"text": text, "draft": draft})
    return {
        "exercise": exercise,
        "seat": seat,
        "editing": editing,
        "finished": exercise.status == Exercise.Status.FINISHED,
        "page": page,
        "objectives": objectives,
        "rows": rows,
        "new_form": new_form,
        "new_refusal": new_refusal,
        "summary_form": summary_form,
        "draft": [p for p in draft.split("\n\n") if p.strip()],
        "thresholds": THRESHOLDS,
        "meanings": rating_meanings(),
    }


def _region(
    request: HttpRequest, name: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """For HTMX the region `name` of the page; otherwise the whole page, which says at the top
    that a form further down was not saved."""
    template = f"{TEMPLATE}#{name}" if request.htmx else TEMPLATE
    if status == 422 and not request.htmx:
        messages.error(
            request, _("Not saved: why is written beside the form, which keeps what you typed.")
        )
    response = render(request, template, context, status=status)
    response["Vary"] = "HX-Request"
    if status == 200:
        trigger_client_event(response, "cumbre:changed")
    return response


@login_required
def hotwash(request: HttpRequest, code: str) -> HttpResponse:
    seat = exercise_for(request.user, code, roles=WATCHERS)
    return render_region(request, TEMPLATE, _context(seat))


@login_required
@require_POST
def rating_save(request: HttpRequest, code: str, objective_id: int) -> HttpResponse:
    seat = exercise_for(request.user, code, roles=WATCHERS)
    _editor(seat)
    exercise = seat.exercise
    objective = get_object_or_404(Objective, pk=objective_id, scenario_id=exercise.scenario_id)
    proposed = selectors.rating_proposal(exercise, objective)["proposed"]
    form = RatingForm(request.POST, prefix=f"objective{objective.pk}", proposed=proposed)
    refusal = ""
    if form.is_valid():
        try:
            rating_confirm(
                actor=request.user, exercise=exercise, objective=objective,
                rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"],
            )  # fmt: skip
        except ExerciseError as refused:
            refusal = str(refused.message)
        else:
            if not request.htmx:
                messages.success(request, _("Rating of %(objective)s saved.") % {
                    "objective": objective.code})  # fmt: skip
                return after_change(request, _url(exercise, f"objective-{objective.pk}"))
            context = _one(_context(seat, summary=False), objective.pk)
            response = _region(request, "objective", context)
            # The summary's draft follows the ratings: its region reloads on this event.
            trigger_client_event(response, "ratingConfirmed")
            return response
    context = _context(seat, summary=not request.htmx, rating=(objective.pk, form, refusal))
    return _region(request, "objective", _one(context, objective.pk), status=422)


def _one(context: dict[str, Any], objective_id: int) -> dict[str, Any]:
    """The page's context with `entry` set to one objective, for its region alone."""
    entry = next(e for e in context["objectives"] if e["review"].objective.pk == objective_id)
    return context | {"entry": entry}


@login_required
@require_POST
def summary_edit(request: HttpRequest, code: str) -> HttpResponse:
    seat = exercise_for(request.user, code, roles=WATCHERS)
    _editor(seat)
    form = SummaryForm(request.POST)
    if not form.is_valid():
        context = _context(seat, summary_form=form)
        return _region(request, "summary", context, status=422)
    text = form.cleaned_data["text"]
    drafts = (
        form.cleaned_data["draft"],
        "\n\n".join(report_for(seat.exercise, charts=False).draft),
    )
    if any(_same_text(text, draft) for draft in drafts):
        # A generated draft, unchanged (the one the page showed, or the one of now): keeping
        # it would freeze it, and the ratings may change. The report draws it when printed.
        text = ""
    saved = summary_save(actor=request.user, exercise=seat.exercise, text=text)
    if not request.htmx:
        messages.success(
            request,
            _("Executive summary saved.")
            if saved
            else _(
                "The report carries the generated draft of the executive summary, drawn from "
                "the ratings whenever it is printed."
            ),
        )
        return after_change(request, _url(seat.exercise, "summary"))
    return _region(request, "summary", _context(seat))


def _same_text(text: str, draft: str) -> bool:
    def words(value: str) -> str:
        return " ".join(value.split())

    return bool(draft.strip()) and words(text) == words(draft)


@login_required
@require_POST
def item_save(request: HttpRequest, code: str, item_id: int | None = None) -> HttpResponse:
    """Add a row to the improvement plan, or save one."""
    seat = exercise_for(request.user, code, roles=WATCHERS)
    _editor(seat)
    exercise = seat.exercise
    item = get_object_or_404(ImprovementItem, pk=item_id, exercise=exercise) if item_id else None
    objectives = list(
        Objective.objects.filter(scenario_id=exercise.scenario_id).order_by("position")
    )
    form = _item_form(objectives, item, request.POST)
    refusal = ""
    if form.is_valid():
        try:
            saved = improvement_item_save(actor=request.user, exercise=exercise, item=item,
                                          **form.cleaned_data)  # fmt: skip
        except ExerciseError as refused:
            refusal = str(refused.message)
        else:
            if not request.htmx:
                messages.success(request, _("Improvement plan row saved."))
                return after_change(request, _url(exercise, f"plan-item-{saved.pk}"))
            context = _context(seat, summary=False)
            if item is None:  # a new row: the whole plan, with a blank form to add the next
                return _region(request, "plan", context)
            return _region(request, "plan-item", _row(context, item.pk))
    context = _context(
        seat, summary=not request.htmx, item=(item.pk if item else None, form, refusal)
    )
    if item is None:
        return _region(request, "plan", context, status=422)
    return _region(request, "plan-item", _row(context, item.pk), status=422)


def _row(context: dict[str, Any], item_id: int) -> dict[str, Any]:
    """The page's context with `row` set to one plan row, for its region alone."""
    return context | {"row": next(r for r in context["rows"] if r["item"].pk == item_id)}


@login_required
@require_POST
def item_delete(request: HttpRequest, code: str, item_id: int) -> HttpResponse:
    seat = exercise_for(request.user, code, roles=WATCHERS)
    _editor(seat)
    item = get_object_or_404(ImprovementItem, pk=item_id, exercise=seat.exercise)
    improvement_item_delete(actor=request.user, exercise=seat.exercise, item=item)
    if not request.htmx:
        messages.success(request, _("Improvement plan row deleted."))
        return after_change(request, _url(seat.exercise, "plan"))
    return _region(request, "plan", _context(seat, summary=False))


@login_required
@require_POST
def plan_prefill(request: HttpRequest, code: str) -> HttpResponse:
    seat = exercise_for(request.user, code, roles=WATCHERS)
    _editor(seat)
    added = improvement_plan_prefill(actor=request.user, exercise=seat.exercise)
    if not request.htmx:
        if added:
            messages.success(request, ngettext(
                "%(count)s row added from the areas for improvement.",
                "%(count)s rows added from the areas for improvement.",
                len(added),
            ) % {"count": len(added)})  # fmt: skip
        else:
            messages.info(request, _("Every area for improvement already has a row in the plan."))
        return after_change(request, _url(seat.exercise, "plan"))
    return _region(request, "plan", _context(seat, summary=False))
