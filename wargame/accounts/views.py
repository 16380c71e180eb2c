"""Getting in: the home page with a join code, invite links, and signing in."""

import secrets

from django import forms
from django.conf import settings
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from wargame.accounts.invites import (
    InviteInvalid,
    invite_read,
    invite_token,
    seat_take,
    seat_take_as_new,
)
from wargame.accounts.language import SESSION_KEY, language_save
from wargame.exercises.errors import ExerciseError
from wargame.exercises.models import Exercise, Participant, Role
from wargame.exercises.selectors import my_exercises
from wargame.lib.forms import TextField
from wargame.lib.text import clean_display_name


class JoinCodeForm(forms.Form):
    code = TextField(label=_("Join code"), max_length=20)


class NameForm(forms.Form):
    # A name loses invisible and control characters instead (clean_display_name), and keeps
    # what a reader sees.
    name = forms.CharField(
        label=_("Your name as others will see it"), max_length=60,
        widget=forms.TextInput(attrs={"autocomplete": "name", "autofocus": True}),
    )  # fmt: skip
    # Drawn for each form shown: a second click on "Take my seat", or the same form sent
    # twice at once, takes the seat the first one took instead of making a second account.
    once = TextField(widget=forms.HiddenInput, min_length=22, max_length=22)

    def clean_name(self) -> str:
        name = clean_display_name(self.cleaned_data["name"])
        if not name:
            raise forms.ValidationError(_("Write a name that others can read."))
        return name


def too_many(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Too many join codes or invite links tried from one address: wait a minute."""
    reason = _(
        "Too many attempts from your network in a short time. Wait a minute, then try again; "
        "if your whole delegation shares one connection, ask the facilitator for your link."
    )
    response = render(request, "accounts/join_invalid.html", {"reason": reason}, status=429)
    response["Retry-After"] = "60"
    return response


@ratelimit(key="ip", rate=lambda group, request: settings.CUMBRE_JOIN_RATE, method="POST")
def home(request: HttpRequest) -> HttpResponse:
    form = JoinCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"].strip().lower()
        exercise = Exercise.objects.filter(join_code=code).exclude(status="finished").first()
        if exercise is not None:
            return redirect("accounts:join_code", code=code)
        form.add_error("code", _("No open exercise has this code."))
    return render(
        request, "accounts/home.html", {"form": form, "participations": my_exercises(request.user)}
    )


@ratelimit(key="ip", rate=lambda group, request: settings.CUMBRE_JOIN_RATE, group="join")
def join_code(request: HttpRequest, code: str) -> HttpResponse:
    """A join code opens a page with one invite link per team."""
    exercise = (
        Exercise.objects.select_related("scenario")
        .filter(join_code=code)
        .exclude(status="finished")
        .first()
    )
    if exercise is None:
        return render(request, "accounts/join_invalid.html",
                      {"reason": _("No open exercise has this code.")}, status=404)  # fmt: skip
    links = [
        (team, reverse("accounts:join", args=[invite_token(exercise, team)]))
        for team in exercise.teams.filter(invites_open=True)
    ]
    return render(request, "accounts/join_code.html", {"exercise": exercise, "links": links})


@ratelimit(key="ip", rate=lambda group, request: settings.CUMBRE_JOIN_RATE, group="join")
def join(request: HttpRequest, token: str) -> HttpResponse:
    """Open an invite link: give a name, take a seat in the team (or as an evaluator)."""
    try:
        invite = invite_read(token)
    except InviteInvalid as invalid:
        return render(
            request, "accounts/join_invalid.html", {"reason": invalid.message}, status=410
        )
    exercise = invite.exercise
    if request.user.is_authenticated:
        seat = Participant.objects.filter(exercise=exercise, user=request.user).first()
        if seat is not None:
            return redirect(_room(seat))
    # Someone already signed in (a participant of another exercise) keeps their name.
    form = None
    if not request.user.is_authenticated:
        form = NameForm(request.POST or None, initial={"once": secrets.token_urlsafe(16)})
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            if form is None:
                user, seat = request.user, seat_take(request.user, invite)
            else:
                name, once = form.cleaned_data["name"], form.cleaned_data["once"]
                user, seat = seat_take_as_new(name, once, invite)
        except ExerciseError as refused:
            return render(
                request, "accounts/join_invalid.html", {"reason": refused.message}, status=409
            )
        if not request.user.is_authenticated:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(_room(seat))
    return render(request, "accounts/join.html", {"invite": invite, "form": form})


def _room(seat: Participant) -> str:
    code = seat.exercise.code
    if seat.role == Role.PLAYER:
        return reverse("exercises:team", args=[code, seat.team.nation_code])
    if seat.role == Role.EVALUATOR:
        return reverse("exercises:evaluate", args=[code])
    return reverse("exercises:control", args=[code])


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES)
    next = TextField(required=False, max_length=2000)


@require_POST
def language(request: HttpRequest) -> HttpResponse:
    """Anyone, signed in or not, chooses the language of every page; a signed-in person's
    choice is kept with their account. Back to the page the choice was made on."""
    form = LanguageForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choose one of the languages offered."))
    code = form.cleaned_data["language"]
    if request.user.is_authenticated:
        language_save(user=request.user, language=code)
        request.session[SESSION_KEY] = code
    back = form.cleaned_data["next"]
    if not back.startswith("/") or not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("home")  # a page of this site only, never a view's name or elsewhere
    response = HttpResponseRedirect(back)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
