"""Scenario files, format 1: YAML checked by pydantic models of the format, and written back."""

# Every problem is reported with the file, the line and the field path
# (`scenarios/x.yaml:41: injects[3].turn: 12 is after the last turn (8)`), all problems of a file
# at once: pydantic collects them, and each error's location is the field path and, through the
# line map of the YAML reader, the line. Nothing here touches the database: `--check` and the
# tests use it as it is.

import difflib
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from dataclasses import field as dataclass_field
from pathlib import Path
from typing import Annotated, Any, NoReturn, Self

import yaml
from django.conf import settings
from django.utils.translation import gettext, gettext_noop
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails, InitErrorDetails, PydanticCustomError, PydanticKnownError

from wargame.lib.nations import is_nation_code
from wargame.lib.text import control_character
from wargame.scenarios.catalogue import catalogue, catalogue_codes
from wargame.scenarios.models import (
    BRIEFING_MAX_LENGTH,
    FEEDBACK_ID_MAX_LENGTH,
    FEEDBACK_ID_PATTERN,
    FEEDBACK_PROMPT_MAX_LENGTH,
    INJECT_MESSAGE_MAX_LENGTH,
    MARKING_MAX_LENGTH,
    MAX_INJECTS,
    MAX_MINUTES_PER_TURN,
    MAX_NATIONS,
    MAX_OBJECTIVES,
    MAX_QUESTIONS,
    MAX_TASKS,
    MAX_TURNS,
    MIN_TASKS,
    NOTES_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    TASK_PROMPT_MAX_LENGTH,
    TASK_TITLE_MAX_LENGTH,
    DeliveryMethod,
    FeedbackKind,
    InjectKind,
)

FORMAT_VERSION = 1
MAX_FILE_BYTES = 2_000_000  # a scenario file or an MSEL spreadsheet
MAX_TRUST_SHOCK = 20  # the most an inject may move trust between two nations, either way
MAX_SUPPORT_SHOCK = 20  # the most an inject may move a nation's support at home, either way
MAX_NODES = 200_000
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Slugs that name a page of the scenario library (/scenarios/upload/), not a scenario.
RESERVED_SLUGS = frozenset({"upload"})
ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
FEEDBACK_ID_RE = re.compile(FEEDBACK_ID_PATTERN)

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One mistake in a file, with where it is."""

    source: str
    line: int
    field: str
    message: str
    loc: Loc = dataclass_field(default=(), compare=False, repr=False)

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.field}: {self.message}"


class ScenarioFileError(Exception):
    """A file that cannot be loaded; `problems` lists every mistake found in it."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


# --- What a loaded file gives: the scenario as the rest of the app uses it ----------------------


# {"es": {field: text, ...}, "pt-br": {...}}: an entry's texts in other languages, where the
# file gives them ("private" of an inject: {nation: text}).
Translations = dict[str, dict[str, Any]]


@dataclass(frozen=True)
class TaskSpec:
    """A critical task of an objective, as HSEEP's evaluation guides have them: what must be
    done (`title`) and what the evaluator looks for (`prompt`)."""

    id: str
    title: str
    prompt: str
    translations: Translations = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class ObjectiveSpec:
    id: str
    title: str
    capability: str
    translations: Translations = field(default_factory=dict, hash=False)
    tasks: tuple[TaskSpec, ...] = ()


@dataclass(frozen=True)
class NationSpec:
    code: str
    briefing: str
    objectives: tuple[str, ...] = ()
    stability: int = 60
    capacity: int = 50
    budget: int = 5
    support: int = 60
    translations: Translations = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class TrustSpec:
    a: str
    b: str
    value: int


@dataclass(frozen=True)
class InjectSpec:
    id: str
    turn: int
    kind: str
    title: str
    message: str
    originator: str = "Control"
    to: tuple[str, ...] = ()  # empty: every team
    method: str = DeliveryMethod.BRIEFING.value
    private: dict[str, str] = field(default_factory=dict, hash=False)
    affects: tuple[str, ...] = ()
    severity: int = 3
    expected_actions: tuple[str, ...] = ()
    objective: str | None = None
    contingency_for: str | None = None
    notes: str = ""
    translations: Translations = field(default_factory=dict, hash=False)
    # What the news does to trust between two nations, once, in the turn it arrives:
    # (NATION, NATION, change), a change of -MAX_TRUST_SHOCK to MAX_TRUST_SHOCK points.
    trust: tuple[tuple[str, str, int], ...] = ()
    # What the news does to a nation's support at home, once, in the turn it arrives:
    # (NATION, change), -MAX_SUPPORT_SHOCK to MAX_SUPPORT_SHOCK points.
    support: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class FeedbackQuestionSpec:
    """A question of the participant feedback form; a scale is answered 1 to 5."""

    id: str
    kind: str
    prompt: str
    required: bool = False
    translations: Translations = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class ScenarioSpec:
    slug: str
    title: str
    summary: str
    briefing: str
    turns: int
    game_time_per_turn: str
    minutes_per_turn: int
    objectives: tuple[ObjectiveSpec, ...]
    nations: tuple[NationSpec, ...]
    trust: tuple[TrustSpec, ...]
    actions: tuple[str, ...]
    injects: tuple[InjectSpec, ...]
    feedback: tuple[FeedbackQuestionSpec, ...] = ()  # empty: the default questions
    translations: Translations = field(default_factory=dict, hash=False)
    # Pairs of nations without diplomatic relations, each in alphabetical order.
    no_relations: tuple[tuple[str, str], ...] = ()
    # Security Council mandates: (host, action), consent in advance to moves of that action.
    mandates: tuple[tuple[str, str], ...] = ()
    # The marking above and below every inject and on the report; empty: the default
    # ("EXERCISE EXERCISE EXERCISE" in the reader's language).
    marking: str = ""
    # The language the scenario is written in; `translations` gives it in the others.
    language: str = "en"
    # What loads but deserves a second look, with where it is (see `_misfits`).
    warnings: tuple[Problem, ...] = field(default=(), compare=False, hash=False)

    @property
    def nation_codes(self) -> tuple[str, ...]:
        return tuple(nation.code for nation in self.nations)


# --- Messages -----------------------------------------------------------------------------------

# Every message a mistake in the content of a file can get, by the type of its error: first
# pydantic's own types in our words, then ours. `{kind}` is what the file gave instead (text, a
# number, a list…); the other placeholders come from the error's context. Marked for
# translation here, translated when a problem is reported.
WORDING: dict[str, str] = {
    "missing": gettext_noop("required"),
    "extra_forbidden": gettext_noop("unknown field{suggestion}"),
    "model_type": gettext_noop("must be a mapping of fields, not {kind}"),
    "string_type": gettext_noop("must be text, not {kind}"),
    "int_type": gettext_noop("must be a whole number, not {kind}"),
    "bool_type": gettext_noop("must be true or false, not {kind}"),
    "list_type": gettext_noop("must be a list, not {kind}"),
    "too_short": gettext_noop("needs at least {min_length}, has {actual_length}"),
    "too_many": gettext_noop("has {actual_length}; at most {max_length}"),
    "format_missing": gettext_noop("required; this is format {version}"),
    "format_unknown": gettext_noop("{value} is not a known format; expected {version}"),
    "blank": gettext_noop("must not be empty"),
    "too_long": gettext_noop("is {length} characters long; at most {max_length}"),
    "control_character": gettext_noop("contains the control character {character}"),
    "slug_pattern": gettext_noop("{value} must be lower-case letters, digits and single hyphens"),
    "slug_reserved": gettext_noop("{value} names a page of the scenario library; choose another"),
    "id_pattern": gettext_noop("{value} must be letters, digits, '-', '_' or '.'"),
    "question_id_pattern": gettext_noop(
        "{value} must be lower-case letters and digits, joined by single '-' or '_'"
    ),
    "not_one_of": gettext_noop("{value} is not one of: {choices}"),
    "out_of_range": gettext_noop("{value} is outside {low}..{high}"),
    "below": gettext_noop("{value} is below {low}"),
    "after_last_turn": gettext_noop("{value} is after the last turn ({turns})"),
    "not_a_country": gettext_noop("{value} is not an ISO 3166-1 alpha-3 country code"),
    "objective_twice": gettext_noop("objective {value} appears more than once"),
    "task_twice": gettext_noop("task {value} appears more than once"),
    "nation_twice": gettext_noop("nation {value} appears more than once"),
    "inject_twice": gettext_noop("inject {value} appears more than once"),
    "question_twice": gettext_noop("question {value} appears more than once"),
    "listed_twice": gettext_noop("{value} is listed twice"),
    "not_an_objective": gettext_noop("{value} is not an objective of this scenario{suggestion}"),
    "not_a_nation": gettext_noop("{value} is not a nation of this scenario{suggestion}"),
    "not_an_action": gettext_noop("{value} is not an action of this scenario{suggestion}"),
    "not_in_catalogue": gettext_noop("{value} is not an action in the catalogue{suggestion}"),
    "trust_shape": gettext_noop("must be [NATION, NATION, VALUE], for example [BRA, ARG, 70]"),
    "trust_self": gettext_noop("trust is between two different nations, not {value} and itself"),
    "trust_type": gettext_noop("trust must be a whole number, not {kind}"),
    "trust_twice": gettext_noop("trust between {a} and {b} is given twice"),
    "shock_shape": gettext_noop(
        "must be [NATION, NATION, CHANGE], for example [DOM, HTI, -5] for trust that falls by 5"
    ),
    "shock_twice": gettext_noop("this inject changes trust between {a} and {b} twice"),
    "support_shape": gettext_noop(
        "must be [NATION, CHANGE], for example [PER, -5] for support at home that falls by 5"
    ),
    "support_twice": gettext_noop("this inject changes the support of {value} twice"),
    "relations_shape": gettext_noop("must be [NATION, NATION], for example [ECU, MEX]"),
    "relations_self": gettext_noop("a nation cannot be without relations with itself ({value})"),
    "relations_twice": gettext_noop("{a} and {b} are listed twice"),
    "mandate_shape": gettext_noop(
        "must be [NATION, ACTION], for example [HTI, un_peacekeeping]: the host and the action "
        "the mandate covers"
    ),
    "mandate_twice": gettext_noop("the mandate for {action} in {host} is listed twice"),
    "recipients": gettext_noop('must be "all" or a list of nation codes'),
    "private_type": gettext_noop("must map nation codes to text, like {HTI: ...}"),
    "private_text": gettext_noop("must be text"),
    "not_a_recipient": gettext_noop("{value} does not receive this inject (see 'to')"),
    "contingency_type": gettext_noop("must be the id of an inject, not {kind}"),
    "contingency_self": gettext_noop("an inject cannot be a contingency for itself"),
    "not_an_inject": gettext_noop("{value} is not an inject of this scenario"),
    "not_a_question": gettext_noop("{value} is not a question of this scenario{suggestion}"),
    "not_a_language": gettext_noop(
        "{value} is not a language scenarios are translated into; one of: {choices}"
    ),
    "unknown_language": gettext_noop(
        "{value} is not a language a scenario can be written in; one of: {choices}"
    ),
    "no_private_part": gettext_noop("the inject has no private part for {value} to translate"),
    "not_a_task": gettext_noop("{value} is not a critical task of this objective"),
    "contingency_turn": gettext_noop(
        "{value} is in turn {earlier}; a contingency must follow an inject of an earlier turn "
        "than its own ({turn})"
    ),
}
# For an error of a type not above, which the models are built never to raise.
UNFORESEEN = gettext_noop("is not valid")
_SUGGESTION = gettext_noop("; did you mean {name}?")
_KINDS = {
    type(None): gettext_noop("nothing"),
    bool: gettext_noop("true/false"),
    int: gettext_noop("a number"),
    float: gettext_noop("a number"),
    str: gettext_noop("text"),
    list: gettext_noop("a list"),
    dict: gettext_noop("a mapping"),
}


def _mistake(kind: str, **context: Any) -> PydanticCustomError:
    """The error of this type, for a validator to raise."""
    return PydanticCustomError(kind, WORDING[kind], context)


def _mistakes(found: list[tuple[Loc, PydanticCustomError | str, Any]]) -> NoReturn:
    """Raise several errors at once, each at its place (loc, error, input) inside the value."""
    raise ValidationError.from_exception_data(
        "scenario file",
        [InitErrorDetails(type=error, loc=loc, input=value) for loc, error, value in found],
    )


def _again(errors: list[ErrorDetails]) -> list[tuple[Loc, PydanticCustomError | str, Any]]:
    """Errors pydantic found, to be raised again together with others."""
    return [
        (
            tuple(error["loc"]),
            PydanticCustomError(error["type"], error["msg"], error.get("ctx")),
            error["input"],
        )
        for error in errors
    ]


def _kind(value: Any) -> str:
    for kind, word in _KINDS.items():
        if isinstance(value, kind):
            return gettext(word)
    return type(value).__name__


def _suggestion(value: str, names: list[str], *, quote: bool = False) -> str:
    """The hint `; did you mean X?`, X being the name closest to `value`; or nothing."""
    close = difflib.get_close_matches(value, names, n=1)
    if not close:
        return ""
    return _render(gettext(_SUGGESTION), {"name": repr(close[0]) if quote else close[0]})


def worded(kind: str, **context: Any) -> str:
    """The message of a mistake of this kind, translated, for readers of other files (the
    MSEL's spreadsheet) to word their problems as a scenario file's."""
    return _render(gettext(WORDING[kind]), context)


def _render(template: str, context: dict[str, Any]) -> str:
    # As pydantic fills a message template: only known placeholders, so `{HTI: ...}` stays.
    for key, value in context.items():
        template = template.replace("{" + key + "}", str(value))
    return template


# --- What validation has learnt of a file so far ------------------------------------------------


# The languages a scenario is written in and translated into (see "Translations" below).
LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
DEFAULT_LANGUAGE = "en"
# The languages a scenario written in English is translated into.
TRANSLATION_LANGUAGES = tuple(code for code in LANGUAGES if code != DEFAULT_LANGUAGE)


@dataclass
class _Scope:
    """The names a file declares, as validation goes.

    Sections are validated in the order of the format (objectives, nations, trust, actions,
    injects), so a reference is checked against the entries of an earlier section that passed
    (`valid`). A name that an entry declares but that is broken in another way (`declared`) is
    not reported again where it is referred to: the entry's own mistake is.
    """

    valid: defaultdict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    declared: defaultdict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    trust_pairs: set[frozenset[str]] = field(default_factory=set)
    turns: int | None = None
    # The nations the inject being validated is sent to, as far as `to` names them rightly
    # (empty: every nation; None: `to` is not a list).
    recipients: tuple[str, ...] | None = None
    # Every inject's turn as the file gives it, even a broken inject's: a contingency follows it.
    inject_turns: dict[str, Any] = field(default_factory=dict)
    # The nations each inject has a private part for, as the file gives them.
    inject_private: dict[str, set[str]] = field(default_factory=dict)
    # The critical tasks each objective has, as the file gives them.
    objective_tasks: dict[str, set[str]] = field(default_factory=dict)
    # The language the file says it is written in (None: not one there is).
    language: str | None = DEFAULT_LANGUAGE


def _scope(info: ValidationInfo) -> _Scope:
    if not isinstance(info.context, _Scope):
        raise TypeError("scenario file models are validated through ScenarioFile.model_validate")
    return info.context


def _naming(items: Any, key: str) -> list[dict[str, Any]]:
    """The entries of a section, as written, that give themselves a name, broken or not."""
    if not isinstance(items, list):
        return []
    return [item for item in items if isinstance(item, dict) and isinstance(item.get(key), str)]


# --- Field rules --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Text:
    """Text with something in it (unless `optional`), at most `max_length` long, with no
    control character but tabs and line breaks, matching `pattern` (whose mistake is the
    message for text that does not), one of `choices`."""

    max_length: int | None = None
    pattern: re.Pattern[str] | None = None
    mistake: str = ""
    choices: tuple[str, ...] = ()
    optional: bool = False  # may be empty

    def __call__(self, value: str) -> str:
        if not value.strip() and not self.optional:
            raise _mistake("blank")
        if self.max_length is not None and len(value) > self.max_length:
            raise _mistake("too_long", length=len(value), max_length=self.max_length)
        if (character := control_character(value)) is not None:
            raise _mistake("control_character", character=character)
        if self.pattern is not None and not self.pattern.match(value):
            raise _mistake(self.mistake, value=_show(value, quote=True))
        if self.choices and value not in self.choices:
            raise _mistake(
                "not_one_of", value=_show(value, quote=True), choices=", ".join(self.choices)
            )
        return value


def slug_refusal(value: str) -> str | None:
    """Why `value` cannot name a scenario, in the file format's words (translated); None when
    it can. For the forms that name a scenario outside a file (a copy)."""
    if not SLUG_RE.match(value):
        return worded("slug_pattern", value=_show(value, quote=True))
    if value in RESERVED_SLUGS:
        return worded("slug_reserved", value=_show(value, quote=True))
    return None


def _free_slug(value: str) -> str:
    if value in RESERVED_SLUGS:
        raise _mistake("slug_reserved", value=_show(value, quote=True))
    return value


@dataclass(frozen=True)
class _Within:
    """A whole number from `low` to `high`."""

    low: int
    high: int

    def __call__(self, value: int) -> int:
        if not self.low <= value <= self.high:
            raise _mistake("out_of_range", value=value, low=self.low, high=self.high)
        return value


@dataclass(frozen=True)
class _Section:
    """A list of `minimum` to `maximum` entries, each with a name (`key`) of its own: the first
    entry to use a name keeps it. These mistakes are reported together with the entries' own;
    a name that breaks its own `rule` is reported by it, not here.

    With `declares`, the section's names are the names later sections refer to: each name
    whose first entry is right, unknown fields (a misspelt field does not make the rest of an
    entry wrong) and mistakes in `incidental` fields aside.
    """

    section: str
    key: str
    rule: Callable[[str], str]
    minimum: int = 0
    maximum: int | None = None
    declares: bool = False
    incidental: frozenset[str] = frozenset()

    def __call__(
        self, items: Any, handler: ValidatorFunctionWrapHandler, info: ValidationInfo
    ) -> Any:
        short: list[tuple[Loc, PydanticCustomError | str, Any]] = []
        if isinstance(items, list) and len(items) < self.minimum:
            error = _mistake("too_short", min_length=self.minimum, actual_length=len(items))
            short.append(((), error, items))
        if isinstance(items, list) and self.maximum is not None and len(items) > self.maximum:
            error = _mistake("too_many", max_length=self.maximum, actual_length=len(items))
            short.append(((), error, items))
        named = self._named(items)
        mistakes: list[tuple[Loc, PydanticCustomError | str, Any]] = []
        seen: set[str] = set()
        for index, name in named:
            if name in seen:
                error = _mistake(f"{self.section}_twice", value=_show(name))
                mistakes.append(((index, self.key), error, name))
            seen.add(name)
        try:
            entries = handler(items)
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
        else:
            errors = []
        if self.declares:
            self._declare(named, errors, _scope(info))
        if errors:
            # A name used twice is reported after the other mistakes of its entry.
            by_entry = sorted([*_again(errors), *mistakes], key=lambda found: found[0][:1])
            _mistakes([*short, *by_entry])
        if short or mistakes:
            _mistakes([*short, *mistakes])
        return entries

    def _named(self, items: Any) -> list[tuple[int, str]]:
        """(index, name) of each entry whose name follows its rule."""
        named = []
        for index, item in enumerate(items if isinstance(items, list) else []):
            name = item.get(self.key) if isinstance(item, dict) else None
            if isinstance(name, str) and self._follows_rule(name):
                named.append((index, name))
        return named

    def _declare(
        self, named: list[tuple[int, str]], errors: list[ErrorDetails], scope: _Scope
    ) -> None:
        wrong = {
            error["loc"][0]
            for error in errors
            if error["loc"]
            and error["type"] != "extra_forbidden"
            and error["loc"][1:2] not in {(name,) for name in self.incidental}
        }
        first: dict[str, int] = {}
        for index, name in named:
            first.setdefault(name, index)
        scope.valid[self.section] = [name for name, index in first.items() if index not in wrong]

    def _follows_rule(self, name: str) -> bool:
        try:
            self.rule(name)
        except PydanticCustomError:
            return False
        return True


@dataclass(frozen=True)
class _Names:
    """The names of a section that a field refers to; `mistake` names one that is not."""

    section: str
    mistake: str
    suggest: bool = True

    def knows(self, value: str, scope: _Scope) -> bool:
        return value in scope.valid[self.section]

    def error(self, value: str, scope: _Scope) -> PydanticCustomError | None:
        """The mistake of referring to `value`, if it is not a name of the section (None for a
        name that is declared but broken: that entry's mistake is reported instead)."""
        if self.knows(value, scope) or value in scope.declared[self.section]:
            return None
        known = scope.valid[self.section]
        suggestion = _suggestion(value, known) if self.suggest else ""
        return _mistake(self.mistake, value=_show(value), suggestion=suggestion)


_OBJECTIVES = _Names("objective", "not_an_objective")
_NATIONS = _Names("nation", "not_a_nation")
_ACTIONS = _Names("action", "not_an_action")
_CATALOGUE = _Names("catalogue", "not_in_catalogue")
_QUESTIONS = _Names("question", "not_a_question")


@dataclass(frozen=True)
class _Reference:
    """One name of another section."""

    names: _Names

    def __call__(self, value: str, info: ValidationInfo) -> str:
        error = self.names.error(value, _scope(info))
        if error is not None:
            raise error
        return value


@dataclass(frozen=True)
class _References:
    """A list of names of another section, each once; kept as a tuple. With `declares`, the
    names that pass are the names of that section from then on."""

    names: _Names
    declares: str | None = None

    def __call__(self, values: Any, info: ValidationInfo) -> tuple[str, ...]:
        if not isinstance(values, list):
            raise PydanticKnownError("list_type")
        scope = _scope(info)
        found, mistakes = self.resolve(values, scope)
        if self.declares is not None:
            scope.valid[self.declares] = list(found)
        if mistakes:
            _mistakes(mistakes)
        return found

    def resolve(
        self, values: list[Any], scope: _Scope
    ) -> tuple[tuple[str, ...], list[tuple[Loc, PydanticCustomError | str, Any]]]:
        """The names that resolve, and the mistakes of the others."""
        found: list[str] = []
        mistakes: list[tuple[Loc, PydanticCustomError | str, Any]] = []
        for index, value in enumerate(values):
            if not isinstance(value, str):
                mistakes.append(((index,), "string_type", value))
            elif value in found:
                mistakes.append(((index,), _mistake("listed_twice", value=_show(value)), value))
            elif self.names.knows(value, scope):
                found.append(value)
            elif (error := self.names.error(value, scope)) is not None:
                mistakes.append(((index,), error, value))
        return tuple(found), mistakes


def _nation_code(value: str) -> str:
    _Text()(value)
    if not is_nation_code(value):
        raise _mistake("not_a_country", value=_show(value))
    return value


def _within_turns(value: int, info: ValidationInfo) -> int:
    turns = _scope(info).turns
    if value < 1:
        raise _mistake("below", value=value, low=1)
    if turns is not None and value > turns:
        raise _mistake("after_last_turn", value=value, turns=turns)
    return value


def _recipients(value: Any, info: ValidationInfo) -> tuple[str, ...]:
    scope = _scope(info)
    scope.recipients = None
    if value == "all":
        scope.recipients = ()
        return ()
    if not isinstance(value, list) or not value:
        raise _mistake("recipients")
    scope.recipients, mistakes = _References(_NATIONS).resolve(value, scope)
    if mistakes:
        _mistakes(mistakes)
    return scope.recipients


@dataclass(frozen=True)
class _NationPair:
    """[NATION, NATION, NUMBER] between two different nations: trust between them, or a change
    of it. `mistake` is the wording of a value of another shape."""

    mistake: str

    def __call__(self, value: Any) -> tuple[Any, ...]:
        if not isinstance(value, list) or len(value) != 3:
            raise _mistake(self.mistake)
        a, b, _number = value
        if a == b and isinstance(a, str):
            raise _mistake("trust_self", value=_show(a))
        return tuple(value)


def _trust_level(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _mistake("trust_type")
    return value


def _trust_once(pair: tuple[str, str, int], info: ValidationInfo) -> tuple[str, str, int]:
    a, b, _level = pair
    scope = _scope(info)
    if not (_NATIONS.knows(a, scope) and _NATIONS.knows(b, scope)):
        return pair  # a nation that is broken: its own mistake is reported
    taken = scope.trust_pairs
    if frozenset((a, b)) in taken:
        raise _mistake("trust_twice", a=a, b=b)
    taken.add(frozenset((a, b)))
    return pair


@dataclass(frozen=True)
class _Once:
    """A list in which each entry appears at most once, by `key` (None for an entry not shaped
    enough to tell, whose own mistake is reported); a repeat is reported at its place."""

    key: Callable[[Any], Any]
    mistake: Callable[[list[Any]], PydanticCustomError]
    as_tuple: bool = False  # for a field kept as a tuple

    def __call__(self, value: Any) -> Any:
        if not isinstance(value, list):
            raise PydanticKnownError("list_type")
        seen: set[Any] = set()
        for index, item in enumerate(value):
            key = self.key(item)
            if key is None:
                continue
            if key in seen:
                _mistakes([((index,), self.mistake(item), item)])
            seen.add(key)
        return tuple(value) if self.as_tuple else value


def _strings(item: Any, length: int, count: int) -> list[str] | None:
    """The first `count` elements of `item`, if it is a list of `length` whose first `count`
    are text."""
    if (
        isinstance(item, list)
        and len(item) == length
        and all(isinstance(part, str) for part in item[:count])
    ):
        return item[:count]
    return None


# An inject changes the trust of each pair of nations at most once.
_shocks_once = _Once(
    key=lambda item: frozenset(pair) if (pair := _strings(item, 3, 2)) else None,
    mistake=lambda item: _mistake("shock_twice", a=item[0], b=item[1]),
    as_tuple=True,
)


_ABSENT: Any = object()


def _known_format(value: Any) -> int:
    if value is _ABSENT:
        raise _mistake("format_missing", version=FORMAT_VERSION)
    if isinstance(value, bool) or value != FORMAT_VERSION:
        raise _mistake("format_unknown", value=repr(value), version=FORMAT_VERSION)
    return FORMAT_VERSION


_PRIVATE_PART = _Text(max_length=INJECT_MESSAGE_MAX_LENGTH)
_NAME = _Text(max_length=40, pattern=ID_RE, mistake="id_pattern")
_QUESTION_ID = _Text(
    max_length=FEEDBACK_ID_MAX_LENGTH, pattern=FEEDBACK_ID_RE, mistake="question_id_pattern"
)
Name = Annotated[str, AfterValidator(_NAME)]
Percent = Annotated[int, AfterValidator(_Within(0, 100))]
NationRef = Annotated[str, AfterValidator(_Reference(_NATIONS))]
TrustLevel = Annotated[int, BeforeValidator(_trust_level), AfterValidator(_Within(0, 100))]
ShockSize = Annotated[
    int,
    BeforeValidator(_trust_level),
    AfterValidator(_Within(-MAX_TRUST_SHOCK, MAX_TRUST_SHOCK)),
]


# --- The models of the format -------------------------------------------------------------------


class _Entry(BaseModel):
    # Strict: YAML gives each value its type, and text is never taken for a number or back.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class TaskEntry(_Entry):
    """A critical task of an objective: what must be done, and the evaluation guide's prompt,
    what the evaluator looks for in play."""

    id: Name
    title: Annotated[str, AfterValidator(_Text(max_length=TASK_TITLE_MAX_LENGTH))]
    prompt: Annotated[str, AfterValidator(_Text(max_length=TASK_PROMPT_MAX_LENGTH))]

    def to_spec(self, translations: Translations) -> TaskSpec:
        return TaskSpec(self.id, self.title, self.prompt, translations)


class ObjectiveEntry(_Entry):
    """An objective of the scenario, which nations pursue and injects test, with the critical
    tasks that evaluators rate (HSEEP: two to four, or none in a scenario written before)."""

    id: Name
    title: Annotated[str, AfterValidator(_Text(max_length=300))]
    capability: Annotated[str, AfterValidator(_Text(max_length=200))]
    tasks: Annotated[
        list[TaskEntry],
        WrapValidator(_Section("task", "id", _NAME, minimum=MIN_TASKS, maximum=MAX_TASKS)),
    ] = []

    def to_spec(self, translations: Translations) -> ObjectiveSpec:
        tasks = {language: texts.pop("tasks", {}) for language, texts in translations.items()}
        return ObjectiveSpec(
            id=self.id,
            title=self.title,
            capability=self.capability,
            translations={language: texts for language, texts in translations.items() if texts},
            tasks=tuple(
                task.to_spec(
                    {
                        language: texts[task.id]
                        for language, texts in tasks.items()
                        if task.id in texts
                    }
                )
                for task in self.tasks
            ),
        )


class NationEntry(_Entry):
    """A nation, played by a team: its briefing, objectives and starting state."""

    code: Annotated[str, AfterValidator(_nation_code)]
    briefing: Annotated[str, AfterValidator(_Text(max_length=BRIEFING_MAX_LENGTH))]
    objectives: Annotated[tuple[str, ...], BeforeValidator(_References(_OBJECTIVES))] = ()
    stability: Percent = 60
    capacity: Percent = 50
    budget: Percent = 5
    support: Percent = 60

    def to_spec(self, objective_ids: list[str], translations: Translations) -> NationSpec:
        return NationSpec(
            code=self.code,
            briefing=self.briefing,
            # A nation's objectives are a set, kept in the order the scenario declares them.
            objectives=tuple(oid for oid in objective_ids if oid in self.objectives),
            stability=self.stability,
            capacity=self.capacity,
            budget=self.budget,
            support=self.support,
            translations=translations,
        )


# Trust between two nations of the scenario, [NATION, NATION, VALUE]; it is symmetric.
TrustPair = Annotated[
    tuple[NationRef, NationRef, TrustLevel],
    BeforeValidator(_NationPair("trust_shape")),
    AfterValidator(_trust_once),
]


# What an inject does to trust between two nations: [NATION, NATION, CHANGE].
TrustShock = Annotated[
    tuple[NationRef, NationRef, ShockSize], BeforeValidator(_NationPair("shock_shape"))
]


def _support_shock(value: Any) -> tuple[Any, ...]:
    if not isinstance(value, list) or len(value) != 2:
        raise _mistake("support_shape")
    return tuple(value)


SupportShockSize = Annotated[
    int,
    BeforeValidator(_trust_level),
    AfterValidator(_Within(-MAX_SUPPORT_SHOCK, MAX_SUPPORT_SHOCK)),
]
# An inject changes each nation's support at most once.
_support_once = _Once(
    key=lambda item: part[0] if (part := _strings(item, 2, 1)) else None,
    mistake=lambda item: _mistake("support_twice", value=item[0]),
    as_tuple=True,
)
# What an inject does to a nation's support at home: [NATION, CHANGE].
SupportShock = Annotated[tuple[NationRef, SupportShockSize], BeforeValidator(_support_shock)]


class InjectEntry(_Entry):
    """An inject of the MSEL: what happens in which turn, to whom, and what it should bring."""

    id: Name
    turn: Annotated[int, AfterValidator(_within_turns)]
    kind: Annotated[str, AfterValidator(_Text(choices=tuple(InjectKind.values)))]
    originator: Annotated[str, AfterValidator(_Text(max_length=200))] = Field(
        "Control", alias="from"
    )
    # "all" (or empty): every team. Validated even when absent, for the private parts.
    to: Annotated[tuple[str, ...], BeforeValidator(_recipients)] = Field(
        "all", validate_default=True
    )
    method: Annotated[str, AfterValidator(_Text(choices=tuple(DeliveryMethod.values)))] = (
        DeliveryMethod.BRIEFING.value
    )
    title: Annotated[str, AfterValidator(_Text(max_length=300))]
    message: Annotated[str, AfterValidator(_Text(max_length=INJECT_MESSAGE_MAX_LENGTH))]
    private: dict[str, str] = {}
    # Absent: the nations it is sent to (see to_spec).
    affects: Annotated[tuple[str, ...], BeforeValidator(_References(_NATIONS))] = ()
    severity: Annotated[int, AfterValidator(_Within(1, 5))] = 3
    expected_actions: Annotated[tuple[str, ...], BeforeValidator(_References(_ACTIONS))] = ()
    objective: Annotated[str, AfterValidator(_Reference(_OBJECTIVES))] | None = None
    contingency_for: str | None = None
    notes: Annotated[str, AfterValidator(_Text(max_length=NOTES_MAX_LENGTH, optional=True))] = ""
    trust: Annotated[tuple[TrustShock, ...], BeforeValidator(_shocks_once)] = ()
    support: Annotated[tuple[SupportShock, ...], BeforeValidator(_support_once)] = ()

    @field_validator("private", mode="before")
    @classmethod
    def _private_parts_go_to_recipients(cls, value: Any, info: ValidationInfo) -> dict[str, str]:
        """Each private part goes to a nation of the scenario that receives the inject."""
        if not isinstance(value, dict):
            raise _mistake("private_type")
        scope = _scope(info)
        to = scope.recipients or ()  # unknown when `to` is broken: its mistake is reported
        parts: dict[str, str] = {}
        mistakes: list[tuple[Loc, PydanticCustomError | str, Any]] = []
        for code, text in value.items():
            if not _NATIONS.knows(code, scope):
                if code not in scope.declared["nation"]:  # else: that nation's mistake is
                    error = _mistake("not_a_nation", value=_show(code), suggestion="")
                    mistakes.append(((code,), error, code))
            elif to and code not in to:
                mistakes.append(((code,), _mistake("not_a_recipient", value=code), code))
            elif not isinstance(text, str) or not text.strip():
                mistakes.append(((code,), _mistake("private_text"), text))
            else:
                try:
                    parts[code] = _PRIVATE_PART(text)
                except PydanticCustomError as error:
                    mistakes.append(((code,), error, text))
        if mistakes:
            _mistakes(mistakes)
        return parts

    @field_validator("contingency_for", mode="before")
    @classmethod
    def _contingency_follows_an_earlier_inject(cls, value: Any, info: ValidationInfo) -> Any:
        """A contingency is the follow-up of another inject, of an earlier turn than its own."""
        if value is None:
            return None
        if not isinstance(value, str):
            raise _mistake("contingency_type")
        if value == info.data.get("id"):
            raise _mistake("contingency_self")
        turns = _scope(info).inject_turns
        if value not in turns:
            raise _mistake("not_an_inject", value=_show(value))
        earlier, turn = turns[value], info.data.get("turn")
        comparable = isinstance(earlier, int) and not isinstance(earlier, bool)
        if comparable and turn is not None and earlier >= turn:
            raise _mistake("contingency_turn", value=value, earlier=earlier, turn=turn)
        return value

    def to_spec(self, nation_codes: tuple[str, ...], translations: Translations) -> InjectSpec:
        # Without `affects`, an inject affects the nations it is sent to.
        given = "affects" in self.model_fields_set
        return InjectSpec(
            id=self.id,
            turn=self.turn,
            kind=self.kind,
            title=self.title,
            message=self.message,
            originator=self.originator,
            to=self.to,
            method=self.method,
            private=dict(self.private),
            affects=self.affects if given else self.to or nation_codes,
            severity=self.severity,
            expected_actions=self.expected_actions,
            objective=self.objective,
            contingency_for=self.contingency_for,
            notes=self.notes,
            translations=translations,
            trust=tuple(tuple(shock) for shock in self.trust),
            support=tuple(tuple(shock) for shock in self.support),
        )


class FeedbackQuestionEntry(_Entry):
    """A question of the participant feedback form."""

    id: Annotated[str, AfterValidator(_QUESTION_ID)]
    kind: Annotated[str, AfterValidator(_Text(choices=tuple(FeedbackKind.values)))]
    prompt: Annotated[str, AfterValidator(_Text(max_length=FEEDBACK_PROMPT_MAX_LENGTH))]
    required: bool = False

    def to_spec(self, translations: Translations) -> FeedbackQuestionSpec:
        return FeedbackQuestionSpec(
            id=self.id,
            kind=self.kind,
            prompt=self.prompt,
            required=self.required,
            translations=translations,
        )


# --- Translations -------------------------------------------------------------------------------

# A scenario is written in one language (`language:`, English unless it says otherwise);
# `translations:` gives its texts in the others, each language as a whole (translators work on
# one language at a time), its entries named by the ids of the sections above: a translation
# of something the scenario does not have is a mistake, at its line. A text left out is read
# as the scenario writes it.


def _known_language(value: str) -> str:
    if value not in LANGUAGES:
        raise _mistake("unknown_language", value=_show(value), choices=", ".join(LANGUAGES))
    return value


class _Translation(_Entry):
    def texts(self) -> dict[str, Any]:
        """The texts this translation gives, by the field names of the app."""
        return {name: getattr(self, name) for name in self.model_fields_set}


class TaskTexts(_Translation):
    title: Annotated[str, AfterValidator(_Text(max_length=TASK_TITLE_MAX_LENGTH))] = ""
    prompt: Annotated[str, AfterValidator(_Text(max_length=TASK_PROMPT_MAX_LENGTH))] = ""


class ObjectiveTexts(_Translation):
    title: Annotated[str, AfterValidator(_Text(max_length=300))] = ""
    capability: Annotated[str, AfterValidator(_Text(max_length=200))] = ""
    tasks: dict[str, TaskTexts] = {}

    def texts(self) -> dict[str, Any]:
        found = {name: getattr(self, name) for name in self.model_fields_set if name != "tasks"}
        tasks = {name: own for name, entry in self.tasks.items() if (own := entry.texts())}
        return found | ({"tasks": tasks} if tasks else {})


class NationTexts(_Translation):
    briefing: Annotated[str, AfterValidator(_Text(max_length=BRIEFING_MAX_LENGTH))] = ""


class InjectTexts(_Translation):
    title: Annotated[str, AfterValidator(_Text(max_length=300))] = ""
    message: Annotated[str, AfterValidator(_Text(max_length=INJECT_MESSAGE_MAX_LENGTH))] = ""
    originator: Annotated[str, AfterValidator(_Text(max_length=200))] = Field("", alias="from")
    private: dict[str, Annotated[str, AfterValidator(_PRIVATE_PART)]] = {}
    notes: Annotated[str, AfterValidator(_Text(max_length=NOTES_MAX_LENGTH))] = ""


class QuestionTexts(_Translation):
    prompt: Annotated[str, AfterValidator(_Text(max_length=FEEDBACK_PROMPT_MAX_LENGTH))] = ""


@dataclass(frozen=True)
class _Translated:
    """The translations of a section's entries, by name: each names an entry the scenario has
    (`names`; None: an inject, and a private part it has), reported together with the
    mistakes in the texts."""

    names: _Names | None

    def __call__(
        self, value: Any, handler: ValidatorFunctionWrapHandler, info: ValidationInfo
    ) -> Any:
        if not isinstance(value, dict):
            raise _mistake("model_type")
        scope = _scope(info)
        mistakes: list[tuple[Loc, PydanticCustomError | str, Any]] = []
        for name, texts in value.items():
            if self.names is not None:
                if (error := self.names.error(name, scope)) is not None:
                    mistakes.append(((name,), error, name))
            elif name not in scope.inject_turns:
                mistakes.append(((name,), _mistake("not_an_inject", value=_show(name)), name))
            elif isinstance(texts, dict) and isinstance(texts.get("private"), dict):
                for code in texts["private"]:
                    if code not in scope.inject_private.get(name, set()):
                        error = _mistake("no_private_part", value=_show(code))
                        mistakes.append(((name, "private", code), error, code))
            tasks = texts.get("tasks") if isinstance(texts, dict) else None
            if self.names is _OBJECTIVES and isinstance(tasks, dict):
                for task in tasks:
                    if task not in scope.objective_tasks.get(name, set()):
                        error = _mistake("not_a_task", value=_show(task))
                        mistakes.append(((name, "tasks", task), error, task))
        try:
            entries = handler(value)
        except ValidationError as exc:
            mistakes += _again(exc.errors(include_url=False))
        if mistakes:
            _mistakes(sorted(mistakes, key=lambda found: list(value).index(found[0][0])))
        return entries


class ScenarioTexts(_Translation):
    """The texts of a scenario in one language."""

    title: Annotated[str, AfterValidator(_Text(max_length=200))] = ""
    summary: Annotated[str, AfterValidator(_Text(max_length=SUMMARY_MAX_LENGTH))] = ""
    briefing: Annotated[str, AfterValidator(_Text(max_length=BRIEFING_MAX_LENGTH))] = ""
    game_time_per_turn: Annotated[str, AfterValidator(_Text(max_length=60))] = ""
    marking: Annotated[str, AfterValidator(_Text(max_length=MARKING_MAX_LENGTH))] = ""
    objectives: Annotated[dict[str, ObjectiveTexts], WrapValidator(_Translated(_OBJECTIVES))] = {}
    nations: Annotated[dict[str, NationTexts], WrapValidator(_Translated(_NATIONS))] = {}
    injects: Annotated[dict[str, InjectTexts], WrapValidator(_Translated(None))] = {}
    feedback: Annotated[dict[str, QuestionTexts], WrapValidator(_Translated(_QUESTIONS))] = {}

    def texts(self) -> dict[str, Any]:
        return {
            name: getattr(self, name)
            for name in self.model_fields_set
            if name not in ("objectives", "nations", "injects", "feedback")
        }


def _languages(value: Any, handler: ValidatorFunctionWrapHandler, info: ValidationInfo) -> Any:
    """A mapping of the languages a scenario is translated into (every language but its
    own): a language it cannot be is reported together with the mistakes in the others."""
    if not isinstance(value, dict):
        raise _mistake("model_type")
    own = _scope(info).language
    others = [code for code in LANGUAGES if code != own]
    choices = ", ".join(others)
    mistakes: list[tuple[Loc, PydanticCustomError | str, Any]] = [
        ((code,), _mistake("not_a_language", value=_show(code), choices=choices), code)
        for code in value
        if code not in others
    ]
    try:
        languages = handler({k: v for k, v in value.items() if k in others})
    except ValidationError as exc:
        mistakes += _again(exc.errors(include_url=False))
    if mistakes:
        _mistakes(mistakes)
    return languages


def _translations_of(
    translations: dict[str, ScenarioTexts], section: str, name: str
) -> Translations:
    """The translations of one entry of a section, by language."""
    found = {}
    for language, texts in translations.items():
        entry = getattr(texts, section).get(name)
        if entry is not None and entry.texts():
            found[language] = entry.texts()
    return found


def _relations_pair(value: Any) -> tuple[Any, ...]:
    if not isinstance(value, list) or len(value) != 2:
        raise _mistake("relations_shape")
    a, b = value
    if a == b and isinstance(a, str):
        raise _mistake("relations_self", value=_show(a))
    return tuple(value)


def _mandate(value: Any) -> tuple[Any, ...]:
    if not isinstance(value, list) or len(value) != 2:
        raise _mistake("mandate_shape")
    return tuple(value)


# Each pair of nations without relations is listed once, in either order; each mandate once.
_relations_once = _Once(
    key=lambda item: frozenset(pair) if (pair := _strings(item, 2, 2)) else None,
    mistake=lambda item: _mistake("relations_twice", a=item[0], b=item[1]),
)
_mandates_once = _Once(
    key=lambda item: tuple(pair) if (pair := _strings(item, 2, 2)) else None,
    mistake=lambda item: _mistake("mandate_twice", host=item[0], action=item[1]),
)
ActionRef = Annotated[str, AfterValidator(_Reference(_ACTIONS))]
# A Security Council mandate: the host and the action it covers, [NATION, ACTION].
Mandate = Annotated[tuple[NationRef, ActionRef], BeforeValidator(_mandate)]
# Two nations without diplomatic relations: [NATION, NATION].
RelationsPair = Annotated[tuple[NationRef, NationRef], BeforeValidator(_relations_pair)]


class ScenarioFile(_Entry):
    """A scenario file of format 1, field by field as it is written."""

    format: Annotated[Any, AfterValidator(_known_format)] = Field(_ABSENT, validate_default=True)
    slug: Annotated[
        str,
        AfterValidator(_Text(max_length=80, pattern=SLUG_RE, mistake="slug_pattern")),
        AfterValidator(_free_slug),
    ]
    title: Annotated[str, AfterValidator(_Text(max_length=200))]
    summary: Annotated[str, AfterValidator(_Text(max_length=SUMMARY_MAX_LENGTH))]
    briefing: Annotated[str, AfterValidator(_Text(max_length=BRIEFING_MAX_LENGTH))]
    turns: Annotated[int, AfterValidator(_Within(1, MAX_TURNS))]
    game_time_per_turn: Annotated[str, AfterValidator(_Text(max_length=60))]
    minutes_per_turn: Annotated[int, AfterValidator(_Within(1, MAX_MINUTES_PER_TURN))] = 20
    marking: Annotated[str, AfterValidator(_Text(max_length=MARKING_MAX_LENGTH, optional=True))] = (
        ""
    )
    language: Annotated[str, AfterValidator(_known_language)] = DEFAULT_LANGUAGE
    objectives: Annotated[
        list[ObjectiveEntry],
        WrapValidator(
            _Section("objective", "id", _NAME, minimum=1, maximum=MAX_OBJECTIVES, declares=True)
        ),
    ]
    nations: Annotated[
        list[NationEntry],
        WrapValidator(
            _Section(
                "nation",
                "code",
                _nation_code,
                minimum=2,
                maximum=MAX_NATIONS,
                declares=True,
                # A nation is a nation even while the objectives it pursues are wrong.
                incidental=frozenset({"objectives"}),
            )
        ),
    ]
    trust: list[TrustPair] = []
    no_relations: Annotated[list[RelationsPair], BeforeValidator(_relations_once)] = []
    # Absent: the whole catalogue (see to_spec).
    actions: Annotated[
        tuple[str, ...], BeforeValidator(_References(_CATALOGUE, declares="action"))
    ] = Field((), min_length=1)
    # After `actions`, whose names it refers to.
    mandates: Annotated[list[Mandate], BeforeValidator(_mandates_once)] = []
    injects: Annotated[
        list[InjectEntry],
        WrapValidator(_Section("inject", "id", _NAME, minimum=1, maximum=MAX_INJECTS)),
    ]
    feedback: Annotated[
        list[FeedbackQuestionEntry],
        WrapValidator(
            _Section("question", "id", _QUESTION_ID, maximum=MAX_QUESTIONS, declares=True)
        ),
    ] = []  # empty: the default questions
    # Last: a translation names the entries of the sections above.
    translations: Annotated[dict[str, ScenarioTexts], WrapValidator(_languages)] = {}

    @classmethod
    def model_validate(cls, obj: Any, **options: Any) -> Self:
        """Validate a file's data; references between sections need a scope of their own."""
        options["context"] = options.get("context") or _Scope()
        return super().model_validate(obj, **options)

    @model_validator(mode="before")
    @classmethod
    def _names_declared(cls, data: Any, info: ValidationInfo) -> Any:
        """Note the names the file declares, and the catalogue's, before any entry is checked."""
        if isinstance(data, dict):
            scope = _scope(info)
            # Its own language is not one a scenario is translated into.
            language = data.get("language", DEFAULT_LANGUAGE)
            scope.language = language if language in LANGUAGES else None
            scope.valid["catalogue"] = list(catalogue_codes())
            if "actions" not in data:
                scope.valid["action"] = list(catalogue_codes())
            for section, items, key in (
                ("objective", data.get("objectives"), "id"),
                ("nation", data.get("nations"), "code"),
                ("question", data.get("feedback"), "id"),
            ):
                scope.declared[section] = {entry[key] for entry in _naming(items, key)}
            for objective in _naming(data.get("objectives"), "id"):
                tasks = objective.get("tasks")
                scope.objective_tasks.setdefault(
                    objective["id"], {task["id"] for task in _naming(tasks, "id")}
                )
            for inject in _naming(data.get("injects"), "id"):
                scope.inject_turns.setdefault(inject["id"], inject.get("turn"))
                private = inject.get("private")
                if isinstance(private, dict):
                    scope.inject_private.setdefault(inject["id"], set(map(str, private)))
        return data

    @field_validator("turns")
    @classmethod
    def _turns_bound_the_injects(cls, value: int, info: ValidationInfo) -> int:
        _scope(info).turns = value
        return value

    def to_spec(self) -> ScenarioSpec:
        """The scenario as the app uses it, with defaults filled in and sets in order."""
        codes = tuple(nation.code for nation in self.nations)
        texts = self.translations
        objective_ids = [objective.id for objective in self.objectives]
        catalogue = catalogue_codes()
        if "actions" in self.model_fields_set:
            # The actions are a set, kept in catalogue order.
            actions = tuple(code for code in catalogue if code in self.actions)
        else:
            actions = tuple(catalogue)
        return ScenarioSpec(
            slug=self.slug,
            title=self.title,
            summary=self.summary,
            briefing=self.briefing,
            turns=self.turns,
            game_time_per_turn=self.game_time_per_turn,
            minutes_per_turn=self.minutes_per_turn,
            marking=self.marking,
            language=self.language,
            objectives=tuple(
                objective.to_spec(_translations_of(texts, "objectives", objective.id))
                for objective in self.objectives
            ),
            nations=tuple(
                nation.to_spec(objective_ids, _translations_of(texts, "nations", nation.code))
                for nation in self.nations
            ),
            # Trust is symmetric: the pair is kept in alphabetical order.
            trust=tuple(
                TrustSpec(a=min(a, b), b=max(a, b), value=value) for a, b, value in self.trust
            ),
            no_relations=tuple(sorted((min(a, b), max(a, b)) for a, b in self.no_relations)),
            mandates=tuple(sorted(self.mandates)),
            actions=actions,
            injects=tuple(
                inject.to_spec(codes, _translations_of(texts, "injects", inject.id))
                for inject in self.injects
            ),
            feedback=tuple(
                question.to_spec(_translations_of(texts, "feedback", question.id))
                for question in self.feedback
            ),
            translations={
                language: own for language, entry in texts.items() if (own := entry.texts())
            },
        )


# Which model an entry at a place in the file is, for the fields it may have.
_ENTRY_MODELS: dict[tuple[str, ...], type[BaseModel]] = {
    (): ScenarioFile,
    ("objectives",): ObjectiveEntry,
    ("nations",): NationEntry,
    ("injects",): InjectEntry,
    ("feedback",): FeedbackQuestionEntry,
}


# The same for an entry of `translations:` ({language: {section: {name: entry}}}).
_TRANSLATION_MODELS: dict[tuple[str, ...], type[BaseModel]] = {
    (): ScenarioTexts,
    ("objectives",): ObjectiveTexts,
    ("nations",): NationTexts,
    ("injects",): InjectTexts,
    ("feedback",): QuestionTexts,
}


def _field_names(loc: Loc) -> list[str]:
    if loc[:1] == ("translations",):
        model = _TRANSLATION_MODELS.get(tuple(str(part) for part in loc[2:3]))
        model = model if len(loc) in (2, 4) else None
    else:
        model = _ENTRY_MODELS.get(tuple(part for part in loc if isinstance(part, str)))
    if model is None:
        return []
    return [info.alias or name for name, info in model.model_fields.items()]


def _problem(error: ErrorDetails, lines: dict[Loc, int], source: str) -> Problem:
    """A pydantic error as a problem of the file: its place as a field path and a line."""
    loc: Loc = tuple(error["loc"])
    context = {"kind": _kind(error["input"]), **error.get("ctx", {})}
    if error["type"] == "extra_forbidden":
        context["suggestion"] = _suggestion(str(loc[-1]), _field_names(loc[:-1]), quote=True)
    message = _render(gettext(WORDING.get(error["type"], UNFORESEEN)), context)
    message = " ".join(message.split())  # one problem, one line
    return Problem(source, _line(lines, loc), _dotted(loc) or "document", message, loc=loc)


def _unknown_fields_first(errors: list[ErrorDetails]) -> list[ErrorDetails]:
    """The errors with an entry's unknown fields first among its own, as it is read: a
    misspelt field explains the `required` of the field it meant.

    pydantic gives the errors of an entry together (depth first), its unknown fields last."""
    ordered: list[ErrorDetails] = []
    for error in errors:
        if error["type"] != "extra_forbidden":
            ordered.append(error)
            continue
        entry = tuple(error["loc"][:-1])
        place = next(
            (i for i, e in enumerate(ordered) if tuple(e["loc"][: len(entry)]) == entry),
            len(ordered),
        )
        while place < len(ordered) and _is_unknown_field_of(ordered[place], entry):
            place += 1  # after the entry's unknown fields moved before this one
        ordered.insert(place, error)
    return ordered


def _is_unknown_field_of(error: ErrorDetails, entry: Loc) -> bool:
    return error["type"] == "extra_forbidden" and tuple(error["loc"][:-1]) == entry


def _line(lines: dict[Loc, int], loc: Loc) -> int:
    """The line of the field, or of the nearest enclosing one the file has."""
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return 1


# --- YAML with line numbers -------------------------------------------------------------------


class _YamlProblem(Exception):
    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.message = message


def _parse_yaml(text: str) -> tuple[Any, dict[Loc, int]]:
    """Parse one YAML document; return its data and the line of every key and item in it.

    Duplicate keys are refused (YAML would silently keep the last one), and so are recursive
    aliases and documents that expand past MAX_NODES.
    """
    loader, root = _composed_quickly(text)
    try:
        if loader is None:
            try:
                loader = yaml.SafeLoader(text)
            except yaml.reader.ReaderError as exc:
                raise _YamlProblem(_line_at(text, exc.position), _reader_message(exc)) from None
        try:
            root = root or loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else 1
            raise _YamlProblem(
                line, exc.problem or exc.context or gettext("invalid YAML")
            ) from None
        except yaml.reader.ReaderError as exc:
            raise _YamlProblem(_line_at(text, exc.position), _reader_message(exc)) from None
        except yaml.YAMLError as exc:
            raise _YamlProblem(1, str(exc).splitlines()[0]) from None
        if root is None:
            raise _YamlProblem(1, gettext("the file is empty"))
        lines: dict[Loc, int] = {}
        count = 0
        stack: set[int] = set()

        def walk(node: yaml.Node, loc: Loc) -> Any:
            nonlocal count
            count += 1
            if count > MAX_NODES:
                raise _YamlProblem(node.start_mark.line + 1, gettext("the document is too large"))
            lines.setdefault(loc, node.start_mark.line + 1)
            if id(node) in stack:
                raise _YamlProblem(node.start_mark.line + 1, gettext("an alias refers to itself"))
            if isinstance(node, yaml.ScalarNode):
                try:
                    return loader.construct_object(node)
                except yaml.YAMLError as exc:
                    raise _YamlProblem(node.start_mark.line + 1, str(exc).splitlines()[0]) from None
            stack.add(id(node))
            try:
                if isinstance(node, yaml.SequenceNode):
                    return [walk(item, (*loc, index)) for index, item in enumerate(node.value)]
                result: dict[Any, Any] = {}
                for key_node, value_node in node.value:
                    key = walk(key_node, (*loc, "<key>"))
                    if not isinstance(key, str | int | float | bool) and key is not None:
                        raise _YamlProblem(
                            key_node.start_mark.line + 1, gettext("a key must be a name")
                        )
                    key = str(key)
                    if key in result:
                        raise _YamlProblem(
                            key_node.start_mark.line + 1,
                            _render(
                                gettext("{path} appears twice"),
                                {"path": _dotted((*loc, key)) or key},
                            ),
                        )
                    lines[(*loc, key)] = key_node.start_mark.line + 1
                    result[key] = walk(value_node, (*loc, key))
                return result
            finally:
                stack.discard(id(node))

        return walk(root, ()), lines
    finally:
        if loader is not None:
            loader.dispose()


# Line ends other than "\n", which libyaml counts otherwise than the messages do.
_OTHER_LINE_ENDS = re.compile("[\r\x85\u2028\u2029]")


def _composed_quickly(text: str) -> tuple[Any, yaml.Node | None]:
    """The document composed by libyaml, about ten times faster than Python's parser, when
    the file's lines end in "\n" and libyaml finds no problem; else (None, None), and the
    Python parser, whose messages and line numbers the format's messages are written in,
    reads the file again."""
    if not yaml.__with_libyaml__ or _OTHER_LINE_ENDS.search(text):
        return None, None
    loader = yaml.CSafeLoader(text)
    try:
        root = loader.get_single_node()
    except yaml.YAMLError:
        loader.dispose()
        return None, None
    if root is None:
        loader.dispose()
        return None, None
    return loader, root


def _line_at(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def _reader_message(exc: yaml.reader.ReaderError) -> str:
    character = exc.character if isinstance(exc.character, int) else ord(exc.character)
    return _render(
        gettext("the control character {character} is not allowed in YAML"),
        {"character": f"U+{character:04X}"},
    )


_SIMPLE = re.compile(r"^[\w.-]{1,40}$")


def _show(value: object, *, quote: bool = False, limit: int = 40) -> str:
    """A value from the file as it can appear in a one-line message: short, no line breaks."""
    text = value if isinstance(value, str) else repr(value)
    if not quote and _SIMPLE.match(text):
        return text
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return repr(text)


def _dotted(loc: Loc) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            name = _show(part)
            out += f".{name}" if out else name
    return out


# --- Reading ---------------------------------------------------------------------------------


def parse_scenario_text(text: str, source: str) -> ScenarioSpec:
    """Validate the text of a scenario file; raise ScenarioFileError listing every problem."""
    try:
        data, lines = _parse_yaml(text)
    except _YamlProblem as problem:
        raise ScenarioFileError([Problem(source, problem.line, "yaml", problem.message)]) from None
    except RecursionError:
        raise ScenarioFileError(
            [Problem(source, 1, "yaml", gettext("nested too deeply"))]
        ) from None
    return validate_scenario_data(data, lines, source)


def parse_scenario_file(path: Path | str) -> ScenarioSpec:
    """Read and validate a scenario file; raise ScenarioFileError listing every problem."""
    return parse_scenario_text(read_text_file(path), str(path))


def read_text_file(path: Path | str) -> str:
    """The text of a scenario file or an MSEL spreadsheet: at most MAX_FILE_BYTES of UTF-8,
    with or without a byte-order mark; raise ScenarioFileError saying why not."""
    source = str(path)
    try:
        with Path(path).open("rb") as file:
            raw = file.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ScenarioFileError([Problem(source, 1, "file", exc.strerror or str(exc))]) from None
    return text_of_bytes(raw, source)


def text_of_bytes(raw: bytes, source: str) -> str:
    """The text of a file read (or uploaded) as bytes, at most MAX_FILE_BYTES of them; raise
    ScenarioFileError saying why not."""
    if len(raw) > MAX_FILE_BYTES:
        size = MAX_FILE_BYTES // 1_000_000
        message = _render(gettext("larger than {size} MB"), {"size": size})
        raise ScenarioFileError([Problem(source, 1, "file", message)])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        message = gettext("is not UTF-8 text")
        raise ScenarioFileError([Problem(source, line, "file", message)]) from None


def validate_scenario_data(data: Any, lines: dict[Loc, int], source: str) -> ScenarioSpec:
    """Check parsed data against format 1 and every cross-reference in it; raise
    ScenarioFileError listing every problem, in line order."""
    try:
        scenario = ScenarioFile.model_validate(data)
    except ValidationError as exc:
        errors = _unknown_fields_first(exc.errors(include_url=False))
        problems = [_problem(error, lines, source) for error in errors]
        raise ScenarioFileError(sorted(problems, key=lambda problem: problem.line)) from None
    spec = scenario.to_spec()
    return replace(spec, warnings=_misfits(spec, lines, source))


def _misfits(spec: ScenarioSpec, lines: dict[Loc, int], source: str) -> tuple[Problem, ...]:
    """An inject's expected actions that cannot plausibly answer an inject of its kind, by
    the catalogue's `answers` (border security for a health emergency, say). Warned, not
    refused: an author may mean it, and a kind `other` inject may expect any action."""
    answers = {action.code: action.answers for action in catalogue()}
    found = []
    for index, inject in enumerate(spec.injects):
        if inject.kind == "other":
            continue
        for position, code in enumerate(inject.expected_actions):
            if inject.kind in answers.get(code, (inject.kind,)):
                continue
            fitting = ", ".join(c for c in spec.actions if inject.kind in answers.get(c, ()))
            loc: Loc = ("injects", index, "expected_actions", position)
            line = lines.get(loc) or lines.get(loc[:-1]) or lines.get(loc[:-2], 1)
            message = _render(
                gettext("{action} does not answer a {kind} inject; actions that do: {fitting}"),
                {"action": code, "kind": inject.kind, "fitting": fitting or "-"},
            )
            found.append(Problem(source, line, _dotted(loc[:-1]), message, loc[:-1]))
    return tuple(found)


# --- Writing ------------------------------------------------------------------------------------


def spec_to_data(spec: ScenarioSpec) -> dict[str, Any]:
    """The file's content as plain data, with every value spelled out."""
    return (
        {
            "format": FORMAT_VERSION,
            "slug": spec.slug,
            "title": spec.title,
            "summary": spec.summary,
            "briefing": spec.briefing,
            "turns": spec.turns,
            "game_time_per_turn": spec.game_time_per_turn,
            "minutes_per_turn": spec.minutes_per_turn,
            **({"marking": spec.marking} if spec.marking else {}),
            **({"language": spec.language} if spec.language != DEFAULT_LANGUAGE else {}),
            "objectives": [
                {"id": o.id, "title": o.title, "capability": o.capability}
                | (
                    {"tasks": [{"id": t.id, "title": t.title, "prompt": t.prompt} for t in o.tasks]}
                    if o.tasks
                    else {}
                )
                for o in spec.objectives
            ],
            "nations": [
                {
                    "code": n.code,
                    "briefing": n.briefing,
                    "objectives": list(n.objectives),
                    "stability": n.stability,
                    "capacity": n.capacity,
                    "budget": n.budget,
                    "support": n.support,
                }
                for n in spec.nations
            ],
            "trust": [[t.a, t.b, t.value] for t in spec.trust],
            **({"no_relations": [list(p) for p in spec.no_relations]} if spec.no_relations else {}),
            "actions": list(spec.actions),
            **({"mandates": [list(m) for m in spec.mandates]} if spec.mandates else {}),
            "injects": [_inject_data(inject) for inject in spec.injects],
        }
        | _feedback_data(spec)
        | _translations_data(spec)
    )


def _feedback_data(spec: ScenarioSpec) -> dict[str, Any]:
    """The `feedback:` list, left out when the scenario uses the default questions."""
    if not spec.feedback:
        return {}
    return {
        "feedback": [
            {"id": q.id, "kind": q.kind, "prompt": q.prompt, "required": q.required}
            for q in spec.feedback
        ]
    }


def _translations_data(spec: ScenarioSpec) -> dict[str, Any]:
    """The `translations:` section, language by language; left out when there is none."""
    sections: tuple[tuple[str, tuple[Any, ...], str], ...] = (
        ("objectives", spec.objectives, "id"),
        ("nations", spec.nations, "code"),
        ("injects", spec.injects, "id"),
        ("feedback", spec.feedback, "id"),
    )
    data: dict[str, Any] = {}
    for language in spec_languages(spec)[1:]:
        texts = _in_field_order(spec.translations.get(language, {}), ScenarioTexts)
        for section, entries, key in sections:
            model = _TRANSLATION_MODELS[(section,)]
            named = {
                getattr(entry, key): _in_field_order(own, model)
                for entry in entries
                if (own := _own_texts(entry, language))
            }
            if named:
                texts[section] = named
        data[language] = texts
    return {"translations": data} if data else {}


def spec_languages(spec: ScenarioSpec) -> tuple[str, ...]:
    """The languages the scenario can be read in: its own first, then those it has any
    translation into, in the order of LANGUAGES."""
    found = set(spec.translations)
    for entry in (*spec.objectives, *spec.nations, *spec.injects, *spec.feedback):
        found.update(entry.translations)
    for objective in spec.objectives:
        for task in objective.tasks:
            found.update(task.translations)
    return (spec.language, *(code for code in LANGUAGES if code in found - {spec.language}))


def _own_texts(entry: Any, language: str) -> dict[str, Any]:
    """An entry's texts in `language`; an objective's with its tasks' ({T1: {title, …}})."""
    texts = dict(entry.translations.get(language, {}))
    tasks = {
        task.id: _in_field_order(task.translations[language], TaskTexts)
        for task in getattr(entry, "tasks", ())
        if language in task.translations
    }
    return texts | ({"tasks": tasks} if tasks else {})


def _in_field_order(texts: dict[str, Any], model: type[BaseModel]) -> dict[str, Any]:
    """The texts of a translation as the file writes them: in the model's order, by alias."""
    return {
        info.alias or name: dict(texts[name]) if isinstance(texts[name], dict) else texts[name]
        for name, info in model.model_fields.items()
        if name in texts
    }


def _inject_data(inject: InjectSpec) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": inject.id,
        "turn": inject.turn,
        "kind": inject.kind,
        "from": inject.originator,
        "to": list(inject.to) if inject.to else "all",
        "method": inject.method,
        "title": inject.title,
        "message": inject.message,
    }
    if inject.private:
        data["private"] = dict(inject.private)
    data["affects"] = list(inject.affects)
    data["severity"] = inject.severity
    data["expected_actions"] = list(inject.expected_actions)
    if inject.objective:
        data["objective"] = inject.objective
    if inject.contingency_for:
        data["contingency_for"] = inject.contingency_for
    if inject.notes:
        data["notes"] = inject.notes
    if inject.trust:
        data["trust"] = [list(shock) for shock in inject.trust]
    if inject.support:
        data["support"] = [list(shock) for shock in inject.support]
    return data


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Indent lists under their key, as people write them by hand.
        return super().increase_indent(flow, False)


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_text)


class _FlowList(list):  # type: ignore[type-arg]
    """A short list of codes, written on one line: [HTI, DOM]."""


_Dumper.add_representer(
    _FlowList,
    lambda dumper, value: dumper.represent_sequence(
        "tag:yaml.org,2002:seq", value, flow_style=True
    ),
)


def spec_to_yaml(spec: ScenarioSpec) -> str:
    """Write a scenario as a format-1 file that loads back to an equal ScenarioSpec."""
    data = spec_to_data(spec)
    data["actions"] = _FlowList(data["actions"])
    data["trust"] = [_FlowList(pair) for pair in data["trust"]]
    for nation in data["nations"]:
        nation["objectives"] = _FlowList(nation["objectives"])
    for inject in data["injects"]:
        for key in ("to", "affects", "expected_actions"):
            if isinstance(inject[key], list):
                inject[key] = _FlowList(inject[key])
        if "trust" in inject:
            inject["trust"] = [_FlowList(shock) for shock in inject["trust"]]
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, indent=2)
