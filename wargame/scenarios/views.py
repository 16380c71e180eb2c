"""The scenario library and studio: the list, one scenario's page, and for staff the upload
of a file, the downloads, the history of versions, the comparison of two and a restore."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wargame.lib.htmx import render_region
from wargame.scenarios.access import scenario_for, studio_for
from wargame.scenarios.changes import changes_lines, changes_summary, spec_changes
from wargame.scenarios.fileformat import (
    MAX_FILE_BYTES,
    ScenarioFileError,
    spec_languages,
    spec_to_yaml,
)
from wargame.scenarios.forms import NOTE, ApplyForm, DuplicateForm, SimulateForm, UploadForm
from wargame.scenarios.models import Scenario, Simulation
from wargame.scenarios.msel import msel_csv
from wargame.scenarios.selectors import (
    scenario_latest,
    scenario_list,
    scenario_spec,
    scenario_versions,
)
from wargame.scenarios.services import scenario_load, scenario_restore, simulation_request
from wargame.scenarios.simulation import figures_of
from wargame.scenarios.uploads import (
    Fault,
    Preview,
    Upload,
    upload_faults,
    upload_preview,
    upload_read,
)


def library(request: HttpRequest) -> HttpResponse:
    """The scenario library: what exercises can be run. Scenarios hold no private content here;
    nation briefings stay out of this page."""
    return render(request, "scenarios/library.html", {"scenarios": scenario_list()})


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A scenario as planners read it: summary, public briefing, nations, objectives, MSEL.
    Nation briefings are private to each team and are not shown here."""
    scenario = scenario_latest(slug)
    if scenario is None:
        raise Http404("No such scenario.")
    return render(request, "scenarios/detail.html", _detail_context(request, scenario))


def _detail_context(
    request: HttpRequest, scenario: Scenario, simulate: SimulateForm | None = None
) -> dict[str, object]:
    prefetch_related_objects([scenario], "nations", "objectives", "actions")
    injects = list(
        scenario.injects.select_related("objective", "contingency_for").order_by("turn", "position")
    )
    names = {action.code: action.local_name for action in scenario.actions.all()}
    expected = {i.pk: ", ".join(names.get(c, c) for c in i.expected_actions) for i in injects}
    context: dict[str, object] = {"scenario": scenario, "injects": injects, "expected": expected}
    if request.user.is_staff:
        context["msel_languages"] = spec_languages(scenario_spec(scenario))
        context["simulate"] = simulate or _simulate_form(scenario)
        context["form"] = DuplicateForm(
            initial={"slug": f"{scenario.slug}-copy", "title": scenario.title}
        )
        # Of every version, so that a change can be judged by the figures before and after it.
        context["simulations"] = Simulation.objects.filter(
            scenario__slug=scenario.slug
        ).select_related("scenario")[:8]
    return context


def _simulate_form(scenario: Scenario, data: object = None) -> SimulateForm:
    nations = [(n.code, f"{n.name} ({n.code})") for n in scenario.nations.all()]
    return SimulateForm(data, nations=nations)


# --- Upload ----------------------------------------------------------------------------------


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    """A scenario file or an MSEL: its problems with the lines at fault, or what saving it
    would change, to be confirmed. Nothing is saved here."""
    studio_for(request.user)
    form = UploadForm(request.POST or None, request.FILES or None, initial=request.GET.dict())
    if request.method != "POST":
        return render(request, "scenarios/upload.html", {"form": form})
    if not form.is_valid():
        return render(request, "scenarios/upload.html", {"form": form}, status=400)
    file = form.cleaned_data["file"]
    sent: Upload | None = None
    try:
        sent = upload_read(
            file.name,
            file.read(MAX_FILE_BYTES + 1),
            slug=form.cleaned_data["scenario"],
            language=form.cleaned_data["language"] or None,
        )
        preview = upload_preview(sent)
    except ScenarioFileError as exc:
        return _refused(request, form, sent, exc)
    return _preview(request, preview)


@login_required
@require_POST
def upload_apply(request: HttpRequest) -> HttpResponse:
    """Save a previewed upload as the next version, checked again from its text; if the
    scenario changed since the preview, show what the file would change now instead."""
    studio_for(request.user)
    form = ApplyForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("The upload came back incomplete; upload the file again."))
    sent = form.upload()
    try:
        preview = upload_preview(sent)
    except ScenarioFileError as exc:
        return _refused(request, UploadForm(), sent, exc)
    if preview.base != form.cleaned_data["base"]:
        messages.warning(
            request,
            _("The scenario was saved by someone else since you looked: this is what your file "
              "would change now."),
        )  # fmt: skip
        return _preview(request, preview, status=409, note=form.cleaned_data["note"])
    if preview.unchanged:
        messages.info(request, _("The file holds what the latest version holds: nothing saved."))
        return redirect("scenarios:detail", slug=preview.spec.slug)
    scenario = scenario_load(
        preview.spec, source_path=sent.name, author=request.user, note=form.cleaned_data["note"]
    )
    messages.success(request, _("Saved as version %(version)s.") % {"version": scenario.version})
    return redirect("scenarios:detail", slug=scenario.slug)


def _refused(
    request: HttpRequest, form: UploadForm, sent: Upload | None, exc: ScenarioFileError
) -> HttpResponse:
    faults = upload_faults(sent, exc.problems) if sent else [Fault(p, ()) for p in exc.problems]
    context = {"form": form, "faults": faults, "name": sent.name if sent else ""}
    return render(request, "scenarios/upload.html", context, status=400)


def _preview(
    request: HttpRequest, preview: Preview, *, status: int = 200, note: str = ""
) -> HttpResponse:
    sent = preview.upload
    apply = ApplyForm(
        initial={
            "text": sent.text,
            "name": sent.name,
            "kind": sent.kind,
            "scenario": sent.slug,
            "language": sent.language or "",
            "base": preview.base,
            "note": note,
        }
    )
    context = {
        "preview": preview,
        "apply": apply,
        "note_help": NOTE["help_text"],
        "lines": changes_lines(changes_summary(preview.changes)),
    }
    return render(request, "scenarios/preview.html", context, status=status)


# --- Downloads -------------------------------------------------------------------------------


@login_required
def download_yaml(request: HttpRequest, slug: str) -> HttpResponse:
    """A version as a scenario file, which loads back to an equal one."""
    scenario = scenario_for(request.user, slug, request.GET.get("version"))
    response = HttpResponse(
        spec_to_yaml(scenario_spec(scenario)), content_type="application/yaml; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{slug}-v{scenario.version}.yaml"'
    return response


@login_required
def download_msel(request: HttpRequest, slug: str) -> HttpResponse:
    """A version's MSEL as CSV for a spreadsheet, in one of the languages it has texts in."""
    scenario = scenario_for(request.user, slug, request.GET.get("version"))
    spec = scenario_spec(scenario)
    language = request.GET.get("lang") or spec.language
    if language not in spec_languages(spec):
        return HttpResponseBadRequest(_("This scenario has no texts in that language."))
    response = HttpResponse(msel_csv(spec, language), content_type="text/csv; charset=utf-8")
    name = f"{slug}-v{scenario.version}-msel-{language}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- Versions --------------------------------------------------------------------------------


@login_required
def versions(request: HttpRequest, slug: str) -> HttpResponse:
    """Every version of the scenario: who saved it, when, what it changed; compare, restore."""
    scenario = scenario_for(request.user, slug)
    history = [(version, changes_lines(version.changes)) for version in scenario_versions(slug)]
    return render(request, "scenarios/versions.html", {"scenario": scenario, "history": history})


@login_required
def compare(request: HttpRequest, slug: str) -> HttpResponse:
    """Two versions side by side, entry by entry, with the words that changed in a text. By
    default the latest and the one before it."""
    newer = scenario_for(request.user, slug, request.GET.get("to"))
    older = scenario_for(request.user, slug, request.GET.get("from") or max(newer.version - 1, 1))
    changes = spec_changes(scenario_spec(older), scenario_spec(newer))
    context = {
        "scenario": scenario_latest(slug),
        "older": older,
        "newer": newer,
        "changes": changes,
        "numbers": list(scenario_versions(slug).values_list("version", flat=True)),
    }
    return render(request, "scenarios/compare.html", context)


@login_required
@require_POST
def restore(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    """Save an old version again as the next one."""
    old = scenario_for(request.user, slug, version)
    latest = scenario_latest(slug)
    restored = scenario_restore(old, author=request.user)
    if latest is not None and restored.pk == latest.pk:
        messages.info(
            request,
            _("The latest version already holds what version %(version)s holds: nothing saved.")
            % {"version": old.version},
        )
    else:
        messages.success(
            request,
            _("Version %(old)s is restored as version %(new)s.")
            % {"old": old.version, "new": restored.version},
        )
    return redirect("scenarios:versions", slug=slug)


# --- Simulations -----------------------------------------------------------------------------


@login_required
@require_POST
def simulate(request: HttpRequest, slug: str) -> HttpResponse:
    """Ask a worker to play the latest version many times; its page shows the progress."""
    scenario = scenario_for(request.user, slug)
    form = _simulate_form(scenario, request.POST)
    if not form.is_valid():  # the page again, with the reasons beside the choices made
        context = _detail_context(request, scenario, form)
        return render(request, "scenarios/detail.html", context, status=400)
    simulation = simulation_request(scenario=scenario, actor=request.user, **form.cleaned_data)
    return redirect("scenarios:simulation", slug=slug, pk=simulation.pk)


@login_required
def simulation(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A simulation: its progress while a worker plays it, then its figures and charts."""
    scenario_for(request.user, slug)
    simulation = get_object_or_404(
        Simulation.objects.select_related("scenario"), pk=pk, scenario__slug=slug
    )
    context = {
        "scenario": simulation.scenario,
        "simulation": simulation,
        "figures": figures_of(simulation.result) if simulation.result else None,
    }
    return render_region(request, "scenarios/simulation.html", context)
