"""Editing a scenario in the browser: its texts, nations, objectives and MSEL, one entry at a
time, each save a new version, checked by the rules of the file format with every problem
beside its field and nothing typed lost on a refusal. Also the copy of a scenario under a new
slug. Staff only."""

import re
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wargame.lib.htmx import render_region
from wargame.lib.nations import nation_name
from wargame.scenarios.access import scenario_for
from wargame.scenarios.edits import Edit, EditRefused, entry_of
from wargame.scenarios.fileformat import ScenarioSpec
from wargame.scenarios.forms import DuplicateForm, entry_form
from wargame.scenarios.models import ActionType, InjectKind, Scenario
from wargame.scenarios.selectors import scenario_spec
from wargame.scenarios.services import scenario_duplicate, scenario_edit

PARTS = ("scenario", "nation", "objective", "inject")
# The region of the editor that shows each part.
SECTION = {
    "scenario": "edit-scenario",
    "nation": "edit-nations",
    "objective": "edit-objectives",
    "inject": "edit-msel",
}
ACTIONS = {"save", "delete", "up", "down"}
# The parts whose entries are added, moved and removed in the browser; a nation's are not.
LISTS = ("objective", "inject")


@dataclass(frozen=True)
class Editing:
    """The entry whose form is open: its part, its code ("" for a new one) and the form."""

    part: str
    code: str
    form: Any

    @property
    def section(self) -> str:
        return SECTION[self.part]


@login_required
def editor(request: HttpRequest, slug: str) -> HttpResponse:
    """The editor: every part of the latest version; `?edit=PART:CODE` opens an entry's form
    and `?new=PART` a new entry's (a link without JavaScript, a region with it)."""
    scenario = scenario_for(request.user, slug)
    spec = scenario_spec(scenario)
    editing = None
    if wanted := request.GET.get("edit"):
        part, _sep, code = wanted.partition(":")
        entry = entry_of(spec, part, code) if part in PARTS else None
        if entry is None:
            raise Http404("No such entry.")
        editing = Editing(part, code, entry_form(part, spec, initial=entry))
    elif (part := request.GET.get("new", "")) in LISTS:
        editing = Editing(part, "", entry_form(part, spec, initial=_fresh(part, spec), new=True))
    context = _context(scenario, spec, editing)
    return render_region(request, "scenarios/editor.html", context)


@login_required
@require_POST
def edit_save(request: HttpRequest, slug: str, part: str) -> HttpResponse:
    """Save, remove or move one entry; the part's region comes back, with the entry's form and
    its problems (422) if the change is refused."""
    scenario = scenario_for(request.user, slug)
    if part not in PARTS or (action := request.POST.get("action", "save")) not in ACTIONS:
        raise Http404("No such part or action.")
    if action != "save" and part not in LISTS:
        return HttpResponseBadRequest(
            _("Nations and the scenario's texts are edited here, not moved or removed.")
        )
    code = request.POST.get("code", "")
    base = _number(request.POST.get("base")) or scenario.version
    spec = scenario_spec(scenario)
    form = None
    if action == "save":
        form = entry_form(part, spec, data=request.POST, new=not code)
        if not form.is_valid():
            return _refused(request, scenario, spec, Editing(part, code, form), [])
        edit = Edit(part, code, form.values())  # type: ignore[arg-type]
    else:
        move = {"up": -1, "down": 1}.get(action, 0)
        edit = Edit(part, code, delete=action == "delete", move=move)  # type: ignore[arg-type]
    try:
        saved = scenario_edit(slug=slug, edit=edit, base=base, author=request.user)
    except EditRefused as refused:
        if form is None:  # a removal or a move: the reasons above the part
            return _refused(request, scenario, spec, None, _all(refused), part=part)
        form.errors_from(refused.fields)
        return _refused(request, scenario, spec, Editing(part, code, form), refused.elsewhere)
    done = (
        _("Saved as version %(version)s.") % {"version": saved.version}
        if saved.version != scenario.version
        else _("Nothing changed.")
    )
    if not request.htmx:
        messages.success(request, done)
        return redirect(f"{reverse('scenarios:edit', args=[slug])}#{SECTION[part]}")
    context = _context(saved, scenario_spec(saved), None) | {"done": {part: done}}
    return render(request, f"scenarios/editor.html#{SECTION[part]}", context)


@login_required
@require_POST
def duplicate(request: HttpRequest, slug: str) -> HttpResponse:
    """A copy of the latest version under a new slug, opened in the editor."""
    scenario = scenario_for(request.user, slug)
    form = DuplicateForm(request.POST)
    if not form.is_valid():
        context = {"scenario": scenario, "form": form}
        return render(request, "scenarios/duplicate.html", context, status=422)
    copy = scenario_duplicate(
        scenario, slug=form.cleaned_data["slug"], title=form.cleaned_data["title"],
        author=request.user,
    )  # fmt: skip
    messages.success(request, _("The copy is saved as %(slug)s, version 1.") % {"slug": copy.slug})
    return redirect("scenarios:edit", slug=copy.slug)


def _refused(
    request: HttpRequest,
    scenario: Scenario,
    spec: ScenarioSpec,
    editing: Editing | None,
    elsewhere: list[str],
    *,
    part: str = "",
) -> HttpResponse:
    part = editing.part if editing else part
    context = _context(scenario, spec, editing) | {"refused": {part: elsewhere or [""]}}
    template = f"scenarios/editor.html#{SECTION[part]}" if request.htmx else "scenarios/editor.html"
    return render(request, template, context, status=422)


def _all(refused: EditRefused) -> list[str]:
    return [*(m for ms in refused.fields.values() for m in ms), *refused.elsewhere]


def _number(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None


def _fresh(part: str, spec: ScenarioSpec) -> dict[str, Any]:
    """A new entry's first values: the next free number, turn 1, from Control."""
    if part == "objective":
        return {"id": _next_id([o.id for o in spec.objectives], "OBJ-")}
    return {
        "id": _next_id([i.id for i in spec.injects], "M-"),
        "turn": 1,
        "kind": "other",
        "from": "Control",
        "method": "briefing",
        "severity": 3,
        "to": "all",
    }


def _next_id(ids: list[str], prefix: str) -> str:
    numbers = [int(m.group(1)) for i in ids if (m := re.fullmatch(r"\D*(\d+)", i))]
    width = 2 if prefix == "M-" else 1
    return f"{prefix}{max(numbers, default=0) + 1:0{width}d}"


def _context(scenario: Scenario, spec: ScenarioSpec, editing: Editing | None) -> dict[str, Any]:
    actions = {a.code: a.local_name for a in ActionType.objects.filter(code__in=spec.actions)}
    kinds = dict(InjectKind.choices)
    return {
        "scenario": scenario,
        "spec": spec,
        "editing": editing,
        "nations": [(n, nation_name(n.code)) for n in spec.nations],
        "injects": [
            {
                "inject": i,
                "kind": kinds.get(i.kind, i.kind),
                "to": ", ".join(nation_name(c) for c in i.to) or _("all"),
                "actions": ", ".join(actions.get(a, a) for a in i.expected_actions),
            }
            for i in spec.injects
        ],
    }
