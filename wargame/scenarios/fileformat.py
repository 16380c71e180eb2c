"""Scenario files, format 1: YAML in, a validated ScenarioSpec out, and back to YAML.

Every problem is reported with the file, the line and the field path
(`scenarios/x.yaml:41: injects[3].turn: 12 is after the last turn (8)`), all problems of a
file at once. Nothing here touches the database: `--check` and the tests use it as it is.
"""

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from dataclasses import field as dataclass_field
from pathlib import Path
from typing import Any

import yaml

from wargame.lib.nations import is_nation_code
from wargame.scenarios.catalogue import catalogue_codes
from wargame.scenarios.models import (
    FEEDBACK_ID_MAX_LENGTH,
    FEEDBACK_ID_PATTERN,
    FEEDBACK_PROMPT_MAX_LENGTH,
    MAX_MINUTES_PER_TURN,
    MAX_TURNS,
    DeliveryMethod,
    FeedbackKind,
    InjectKind,
)

FORMAT_VERSION = 1
MAX_FILE_BYTES = 2_000_000
MAX_NODES = 200_000
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
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


@dataclass(frozen=True)
class ObjectiveSpec:
    id: str
    title: str
    capability: str


@dataclass(frozen=True)
class NationSpec:
    code: str
    briefing: str
    objectives: tuple[str, ...] = ()
    stability: int = 60
    capacity: int = 50
    budget: int = 5


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


@dataclass(frozen=True)
class FeedbackQuestionSpec:
    """A question of the participant feedback form; a scale is answered 1 to 5."""

    id: str
    kind: str
    prompt: str
    required: bool = False


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

    @property
    def nation_codes(self) -> tuple[str, ...]:
        return tuple(nation.code for nation in self.nations)


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
    try:
        loader = yaml.SafeLoader(text)
    except yaml.reader.ReaderError as exc:
        raise _YamlProblem(_line_at(text, exc.position), _reader_message(exc)) from None
    try:
        try:
            root = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else 1
            raise _YamlProblem(line, f"{exc.problem or exc.context or 'invalid YAML'}") from None
        except yaml.reader.ReaderError as exc:
            raise _YamlProblem(_line_at(text, exc.position), _reader_message(exc)) from None
        except yaml.YAMLError as exc:
            raise _YamlProblem(1, str(exc).splitlines()[0]) from None
        if root is None:
            raise _YamlProblem(1, "the file is empty")
        lines: dict[Loc, int] = {}
        count = 0
        stack: set[int] = set()

        def walk(node: yaml.Node, loc: Loc) -> Any:
            nonlocal count
            count += 1
            if count > MAX_NODES:
                raise _YamlProblem(node.start_mark.line + 1, "the document is too large")
            lines.setdefault(loc, node.start_mark.line + 1)
            if id(node) in stack:
                raise _YamlProblem(node.start_mark.line + 1, "an alias refers to itself")
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
                        raise _YamlProblem(key_node.start_mark.line + 1, "a key must be a name")
                    key = str(key)
                    if key in result:
                        raise _YamlProblem(
                            key_node.start_mark.line + 1,
                            f"{_dotted((*loc, key)) or key} appears twice",
                        )
                    lines[(*loc, key)] = key_node.start_mark.line + 1
                    result[key] = walk(value_node, (*loc, key))
                return result
            finally:
                stack.discard(id(node))

        return walk(root, ()), lines
    finally:
        loader.dispose()


def _line_at(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def _reader_message(exc: yaml.reader.ReaderError) -> str:
    character = exc.character if isinstance(exc.character, int) else ord(exc.character)
    return f"the control character U+{character:04X} is not allowed in YAML"


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


# --- Validation ---------------------------------------------------------------------------------

_MISSING = object()


class _Checker:
    """Collects problems; every accessor returns _MISSING when the value is unusable."""

    def __init__(self, source: str, lines: dict[Loc, int]) -> None:
        self.source = source
        self.lines = lines
        self.problems: list[Problem] = []

    def line(self, loc: Loc) -> int:
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.lines:
                return self.lines[loc[:end]]
        return 1

    def error(self, loc: Loc, message: str) -> None:
        message = " ".join(message.split())  # one problem, one line
        self.problems.append(
            Problem(self.source, self.line(loc), _dotted(loc) or "document", message, loc=loc)
        )

    def mapping(self, value: Any, loc: Loc, allowed: Iterable[str]) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.error(loc, f"must be a mapping of fields, not {_kind(value)}")
            return None
        allowed = list(allowed)
        for key in value:
            if key not in allowed:
                hint = difflib.get_close_matches(key, allowed, n=1)
                suggestion = f"; did you mean {hint[0]!r}?" if hint else ""
                self.error((*loc, key), f"unknown field{suggestion}")
        return value

    def text(
        self,
        obj: dict[str, Any],
        key: str,
        loc: Loc,
        *,
        default: Any = _MISSING,
        max_length: int | None = None,
        pattern: re.Pattern[str] | None = None,
        pattern_help: str = "",
    ) -> Any:
        where = (*loc, key)
        if key not in obj:
            if default is _MISSING:
                self.error(where, "required")
            return default
        value = obj[key]
        if not isinstance(value, str):
            self.error(where, f"must be text, not {_kind(value)}")
            return _MISSING
        if not value.strip():
            self.error(where, "must not be empty")
            return _MISSING
        if max_length is not None and len(value) > max_length:
            self.error(where, f"is {len(value)} characters long; at most {max_length}")
            return _MISSING
        if pattern is not None and not pattern.match(value):
            self.error(where, f"{_show(value, quote=True)} {pattern_help}")
            return _MISSING
        return value

    def integer(
        self,
        obj: dict[str, Any],
        key: str,
        loc: Loc,
        *,
        low: int,
        high: int | None = None,
        default: Any = _MISSING,
        describe: Callable[[int], str] | None = None,
    ) -> Any:
        where = (*loc, key)
        if key not in obj:
            if default is _MISSING:
                self.error(where, "required")
            return default
        value = obj[key]
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(where, f"must be a whole number, not {_kind(value)}")
            return _MISSING
        if value < low or (high is not None and value > high):
            if describe is not None:
                self.error(where, describe(value))
            elif high is None:
                self.error(where, f"{value} is below {low}")
            else:
                self.error(where, f"{value} is outside {low}..{high}")
            return _MISSING
        return value

    def items(self, obj: dict[str, Any], key: str, loc: Loc, *, minimum: int = 0) -> list[Any]:
        """A list field; a missing optional list is empty."""
        where = (*loc, key)
        if key not in obj:
            if minimum:
                self.error(where, "required")
            return []
        value = obj[key]
        if not isinstance(value, list):
            self.error(where, f"must be a list, not {_kind(value)}")
            return []
        if len(value) < minimum:
            self.error(where, f"needs at least {minimum}, has {len(value)}")
        return value

    def codes(
        self,
        values: list[Any],
        loc: Loc,
        known: Iterable[str],
        what: str,
        *,
        unresolved: Iterable[str] = (),
    ) -> tuple[str, ...]:
        """Every element must be one of `known`; `unresolved` are names that exist but are
        broken elsewhere, so a reference to them is not reported twice."""
        known = list(known)
        skip = set(unresolved)
        result: list[str] = []
        for index, value in enumerate(values):
            here = (*loc, index)
            if not isinstance(value, str):
                self.error(here, f"must be text, not {_kind(value)}")
            elif value in result:
                self.error(here, f"{_show(value)} is listed twice")
            elif value in known:
                result.append(value)
            elif value not in skip:
                hint = difflib.get_close_matches(value, known, n=1)
                suggestion = f"; did you mean {hint[0]}?" if hint else ""
                self.error(here, f"{_show(value)} is not {what}{suggestion}")
        return tuple(result)


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


_TOP_FIELDS = (
    "format", "slug", "title", "summary", "briefing", "turns", "game_time_per_turn",
    "minutes_per_turn", "objectives", "nations", "trust", "actions", "injects", "feedback",
)  # fmt: skip
_OBJECTIVE_FIELDS = ("id", "title", "capability")
_NATION_FIELDS = ("code", "briefing", "objectives", "stability", "capacity", "budget")
_FEEDBACK_FIELDS = ("id", "kind", "prompt", "required")
_INJECT_FIELDS = (
    "id", "turn", "kind", "from", "to", "method", "title", "message", "private", "affects",
    "severity", "expected_actions", "objective", "contingency_for", "notes",
)  # fmt: skip


def parse_scenario_text(text: str, source: str) -> ScenarioSpec:
    """Validate the text of a scenario file; raise ScenarioFileError listing every problem."""
    try:
        data, lines = _parse_yaml(text)
    except _YamlProblem as problem:
        raise ScenarioFileError([Problem(source, problem.line, "yaml", problem.message)]) from None
    except RecursionError:
        raise ScenarioFileError([Problem(source, 1, "yaml", "nested too deeply")]) from None
    return validate_scenario_data(data, lines, source)


def parse_scenario_file(path: Path | str) -> ScenarioSpec:
    path = Path(path)
    source = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ScenarioFileError([Problem(source, 1, "file", exc.strerror or str(exc))]) from None
    if len(raw) > MAX_FILE_BYTES:
        raise ScenarioFileError(
            [Problem(source, 1, "file", f"larger than {MAX_FILE_BYTES // 1_000_000} MB")]
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ScenarioFileError([Problem(source, line, "file", "is not UTF-8 text")]) from None
    return parse_scenario_text(text, source)


def validate_scenario_data(data: Any, lines: dict[Loc, int], source: str) -> ScenarioSpec:
    """Check parsed data against format 1 and every cross-reference in it."""
    check = _Checker(source, lines)
    doc = check.mapping(data, (), _TOP_FIELDS)
    if doc is None:
        raise ScenarioFileError(check.problems)

    if "format" not in doc:
        check.error(("format",), f"required; this is format {FORMAT_VERSION}")
    elif doc["format"] != FORMAT_VERSION or isinstance(doc["format"], bool):
        check.error(("format",), f"{doc['format']!r} is not a known format; expected 1")

    slug = check.text(
        doc, "slug", (), max_length=80, pattern=SLUG_RE,
        pattern_help="must be lower-case letters, digits and single hyphens",
    )  # fmt: skip
    title = check.text(doc, "title", (), max_length=200)
    summary = check.text(doc, "summary", ())
    briefing = check.text(doc, "briefing", ())
    turns = check.integer(doc, "turns", (), low=1, high=MAX_TURNS)
    game_time = check.text(doc, "game_time_per_turn", (), max_length=60)
    minutes = check.integer(
        doc, "minutes_per_turn", (), low=1, high=MAX_MINUTES_PER_TURN, default=20
    )

    objectives = _objectives(check, doc)
    objective_ids = [objective.id for objective in objectives]
    raw_objective_ids = _raw_ids(doc.get("objectives"), "id")

    nations = _nations(check, doc, objective_ids, raw_objective_ids)
    codes = [nation.code for nation in nations]
    raw_codes = _raw_ids(doc.get("nations"), "code")
    trust = _trust(check, doc, codes, raw_codes)

    all_actions = catalogue_codes()
    if "actions" in doc:
        actions = check.codes(
            check.items(doc, "actions", (), minimum=1),
            ("actions",),
            all_actions,
            "an action in the catalogue",
        )
        # The actions are a set, kept in catalogue order.
        actions = tuple(code for code in all_actions if code in actions)
    else:
        actions = all_actions

    injects = _injects(
        check,
        doc,
        turns=turns if turns is not _MISSING else None,
        codes=codes,
        raw_codes=raw_codes,
        actions=actions,
        objective_ids=objective_ids,
        raw_objective_ids=raw_objective_ids,
    )
    feedback = _feedback(check, doc)

    if check.problems:
        raise ScenarioFileError(sorted(check.problems, key=lambda problem: problem.line))
    return ScenarioSpec(
        slug=slug,
        title=title,
        summary=summary,
        briefing=briefing,
        turns=turns,
        game_time_per_turn=game_time,
        minutes_per_turn=minutes,
        objectives=tuple(objectives),
        nations=tuple(nations),
        trust=tuple(trust),
        actions=tuple(actions),
        injects=tuple(injects),
        feedback=tuple(feedback),
    )


def _raw_ids(items: Any, key: str) -> set[str]:
    """Names declared in a section, even by entries that are broken in other ways."""
    if not isinstance(items, list):
        return set()
    return {
        item[key] for item in items if isinstance(item, dict) and isinstance(item.get(key), str)
    }


def _unique(check: _Checker, seen: set[str], value: Any, loc: Loc, what: str) -> bool:
    if value is _MISSING:
        return False
    if value in seen:
        check.error(loc, f"{what} {_show(value)} appears more than once")
        return False
    seen.add(value)
    return True


def _objectives(check: _Checker, doc: dict[str, Any]) -> list[ObjectiveSpec]:
    result: list[ObjectiveSpec] = []
    seen: set[str] = set()
    for index, raw in enumerate(check.items(doc, "objectives", (), minimum=1)):
        loc: Loc = ("objectives", index)
        item = check.mapping(raw, loc, _OBJECTIVE_FIELDS)
        if item is None:
            continue
        oid = check.text(
            item, "id", loc, max_length=40, pattern=ID_RE,
            pattern_help="must be letters, digits, '-', '_' or '.'",
        )  # fmt: skip
        title = check.text(item, "title", loc, max_length=300)
        capability = check.text(item, "capability", loc, max_length=200)
        unique = _unique(check, seen, oid, (*loc, "id"), "objective")
        if unique and _MISSING not in (title, capability):
            result.append(ObjectiveSpec(id=oid, title=title, capability=capability))
    return result


def _nations(
    check: _Checker,
    doc: dict[str, Any],
    objective_ids: list[str],
    raw_objective_ids: set[str],
) -> list[NationSpec]:
    result: list[NationSpec] = []
    seen: set[str] = set()
    for index, raw in enumerate(check.items(doc, "nations", (), minimum=2)):
        loc: Loc = ("nations", index)
        item = check.mapping(raw, loc, _NATION_FIELDS)
        if item is None:
            continue
        code = check.text(item, "code", loc)
        if code is not _MISSING and not is_nation_code(code):
            check.error((*loc, "code"), f"{_show(code)} is not an ISO 3166-1 alpha-3 country code")
            code = _MISSING
        briefing = check.text(item, "briefing", loc)
        objectives = check.codes(
            check.items(item, "objectives", loc),
            (*loc, "objectives"),
            objective_ids,
            "an objective of this scenario",
            unresolved=raw_objective_ids,
        )
        # A nation's objectives are a set, kept in the order the scenario declares them.
        objectives = tuple(oid for oid in objective_ids if oid in objectives)
        stability = check.integer(item, "stability", loc, low=0, high=100, default=60)
        capacity = check.integer(item, "capacity", loc, low=0, high=100, default=50)
        budget = check.integer(item, "budget", loc, low=0, high=100, default=5)
        unique = _unique(check, seen, code, (*loc, "code"), "nation")
        if unique and _MISSING not in (briefing, stability, capacity, budget):
            result.append(
                NationSpec(
                    code=code,
                    briefing=briefing,
                    objectives=objectives,
                    stability=stability,
                    capacity=capacity,
                    budget=budget,
                )
            )
    return result


def _trust(
    check: _Checker, doc: dict[str, Any], codes: list[str], raw_codes: set[str]
) -> list[TrustSpec]:
    result: list[TrustSpec] = []
    seen: set[frozenset[str]] = set()
    for index, raw in enumerate(check.items(doc, "trust", ())):
        loc: Loc = ("trust", index)
        if not isinstance(raw, list) or len(raw) != 3:
            check.error(loc, "must be [NATION, NATION, VALUE], for example [BRA, ARG, 70]")
            continue
        a, b, value = raw
        if a == b and isinstance(a, str):
            check.error(loc, f"trust is between two different nations, not {_show(a)} and itself")
            continue
        pair = check.codes([a, b], loc, codes, "a nation of this scenario", unresolved=raw_codes)
        if isinstance(value, bool) or not isinstance(value, int):
            check.error((*loc, 2), f"trust must be a whole number, not {_kind(value)}")
            continue
        if not 0 <= value <= 100:
            check.error((*loc, 2), f"{value} is outside 0..100")
            continue
        if len(pair) != 2:
            continue
        key = frozenset(pair)
        if key in seen:
            check.error(loc, f"trust between {a} and {b} is given twice")
            continue
        seen.add(key)
        # Trust is symmetric: the pair is kept in alphabetical order.
        result.append(TrustSpec(a=min(pair), b=max(pair), value=value))
    return result


def _injects(
    check: _Checker,
    doc: dict[str, Any],
    *,
    turns: int | None,
    codes: list[str],
    raw_codes: set[str],
    actions: tuple[str, ...],
    objective_ids: list[str],
    raw_objective_ids: set[str],
) -> list[InjectSpec]:
    raw_items = check.items(doc, "injects", (), minimum=1)
    # The turn of every inject that declares a usable one, for contingency_for checks.
    turn_of: dict[str, Any] = {}
    for raw in raw_items:
        if isinstance(raw, dict) and isinstance(raw.get("id"), str):
            turn_of.setdefault(raw["id"], raw.get("turn"))

    result: list[InjectSpec] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_items):
        loc: Loc = ("injects", index)
        item = check.mapping(raw, loc, _INJECT_FIELDS)
        if item is None:
            continue
        iid = check.text(
            item, "id", loc, max_length=40, pattern=ID_RE,
            pattern_help="must be letters, digits, '-', '_' or '.'",
        )  # fmt: skip
        turn = check.integer(
            item,
            "turn",
            loc,
            low=1,
            high=turns,
            describe=lambda value: (
                f"{value} is after the last turn ({turns})" if value > 1 else f"{value} is below 1"
            ),
        )
        kind = _choice(check, item, "kind", loc, InjectKind.values)
        originator = check.text(item, "from", loc, default="Control", max_length=200)
        to = _recipients(check, item, loc, codes, raw_codes)
        method = _choice(check, item, "method", loc, DeliveryMethod.values, default="briefing")
        title = check.text(item, "title", loc, max_length=300)
        message = check.text(item, "message", loc)
        private = _private(check, item, loc, codes, raw_codes, to)
        if "affects" in item:
            affects = check.codes(
                check.items(item, "affects", loc),
                (*loc, "affects"),
                codes,
                "a nation of this scenario",
                unresolved=raw_codes,
            )
        else:
            affects = to if to not in ((), _MISSING) else tuple(codes)
        severity = check.integer(item, "severity", loc, low=1, high=5, default=3)
        expected = check.codes(
            check.items(item, "expected_actions", loc),
            (*loc, "expected_actions"),
            actions,
            "an action of this scenario",
        )
        objective = _reference(
            check, item, "objective", loc, objective_ids, raw_objective_ids, "objective"
        )
        contingency = _contingency(check, item, loc, iid, turn, turn_of)
        notes = item.get("notes", "")
        if not isinstance(notes, str):
            check.error((*loc, "notes"), f"must be text, not {_kind(notes)}")
            notes = _MISSING
        unique = _unique(check, seen, iid, (*loc, "id"), "inject")
        values = (turn, kind, originator, to, method, title, message, private, severity)
        if unique and _MISSING not in (*values, objective, contingency, notes):
            result.append(
                InjectSpec(
                    id=iid,
                    turn=turn,
                    kind=kind,
                    originator=originator,
                    to=to,
                    method=method,
                    title=title,
                    message=message,
                    private=private,
                    affects=affects,
                    severity=severity,
                    expected_actions=expected,
                    objective=objective,
                    contingency_for=contingency,
                    notes=notes,
                )
            )
    return result


def _feedback(check: _Checker, doc: dict[str, Any]) -> list[FeedbackQuestionSpec]:
    """The participant feedback form; an absent or empty list means the default questions."""
    result: list[FeedbackQuestionSpec] = []
    seen: set[str] = set()
    for index, raw in enumerate(check.items(doc, "feedback", ())):
        loc: Loc = ("feedback", index)
        item = check.mapping(raw, loc, _FEEDBACK_FIELDS)
        if item is None:
            continue
        qid = check.text(
            item, "id", loc, max_length=FEEDBACK_ID_MAX_LENGTH, pattern=FEEDBACK_ID_RE,
            pattern_help="must be lower-case letters and digits, joined by single '-' or '_'",
        )  # fmt: skip
        kind = _choice(check, item, "kind", loc, FeedbackKind.values)
        prompt = check.text(item, "prompt", loc, max_length=FEEDBACK_PROMPT_MAX_LENGTH)
        required = item.get("required", False)
        if not isinstance(required, bool):
            check.error((*loc, "required"), f"must be true or false, not {_kind(required)}")
            required = _MISSING
        unique = _unique(check, seen, qid, (*loc, "id"), "question")
        if unique and _MISSING not in (kind, prompt, required):
            result.append(FeedbackQuestionSpec(id=qid, kind=kind, prompt=prompt, required=required))
    return result


def _choice(
    check: _Checker,
    item: dict[str, Any],
    key: str,
    loc: Loc,
    choices: list[str],
    default: Any = _MISSING,
) -> Any:
    value = check.text(item, key, loc, default=default)
    if value is _MISSING or value in choices:
        return value
    check.error((*loc, key), f"{_show(value, quote=True)} is not one of: {', '.join(choices)}")
    return _MISSING


def _recipients(
    check: _Checker, item: dict[str, Any], loc: Loc, codes: list[str], raw_codes: set[str]
) -> Any:
    value = item.get("to", "all")
    if value == "all":
        return ()
    if not isinstance(value, list) or not value:
        check.error((*loc, "to"), 'must be "all" or a list of nation codes')
        return _MISSING
    return check.codes(
        value, (*loc, "to"), codes, "a nation of this scenario", unresolved=raw_codes
    )


def _private(
    check: _Checker,
    item: dict[str, Any],
    loc: Loc,
    codes: list[str],
    raw_codes: set[str],
    to: Any,
) -> Any:
    value = item.get("private", {})
    if not isinstance(value, dict):
        check.error((*loc, "private"), "must map nation codes to text, like {HTI: ...}")
        return _MISSING
    result: dict[str, str] = {}
    for code, text in value.items():
        here = (*loc, "private", code)
        if code not in codes:
            if code not in raw_codes:
                check.error(here, f"{_show(code)} is not a nation of this scenario")
        elif to not in ((), _MISSING) and code not in to:
            check.error(here, f"{code} does not receive this inject (see 'to')")
        elif not isinstance(text, str) or not text.strip():
            check.error(here, "must be text")
        else:
            result[code] = text
    return result if len(result) == len(value) else _MISSING


def _reference(
    check: _Checker,
    item: dict[str, Any],
    key: str,
    loc: Loc,
    known: list[str],
    raw_known: set[str],
    what: str,
) -> Any:
    if key not in item or item[key] is None:
        return None
    value = item[key]
    if not isinstance(value, str):
        check.error((*loc, key), f"must be text, not {_kind(value)}")
        return _MISSING
    if value in known:
        return value
    if value not in raw_known:
        hint = difflib.get_close_matches(value, known, n=1)
        suggestion = f"; did you mean {hint[0]}?" if hint else ""
        check.error((*loc, key), f"{_show(value)} is not an {what} of this scenario{suggestion}")
    return _MISSING


def _contingency(
    check: _Checker,
    item: dict[str, Any],
    loc: Loc,
    iid: Any,
    turn: Any,
    turn_of: dict[str, Any],
) -> Any:
    if "contingency_for" not in item or item["contingency_for"] is None:
        return None
    value = item["contingency_for"]
    where = (*loc, "contingency_for")
    if not isinstance(value, str):
        check.error(where, f"must be the id of an inject, not {_kind(value)}")
        return _MISSING
    if value == iid:
        check.error(where, "an inject cannot be a contingency for itself")
        return _MISSING
    if value not in turn_of:
        check.error(where, f"{_show(value)} is not an inject of this scenario")
        return _MISSING
    earlier = turn_of[value]
    comparable = isinstance(earlier, int) and not isinstance(earlier, bool)
    if comparable and turn is not _MISSING and earlier >= turn:
        check.error(
            where,
            f"{value} is in turn {earlier}; a contingency must follow an inject "
            f"of an earlier turn than its own ({turn})",
        )
        return _MISSING
    return value


# --- Writing ------------------------------------------------------------------------------------


def spec_to_data(spec: ScenarioSpec) -> dict[str, Any]:
    """The file's content as plain data, with every value spelled out."""
    return {
        "format": FORMAT_VERSION,
        "slug": spec.slug,
        "title": spec.title,
        "summary": spec.summary,
        "briefing": spec.briefing,
        "turns": spec.turns,
        "game_time_per_turn": spec.game_time_per_turn,
        "minutes_per_turn": spec.minutes_per_turn,
        "objectives": [
            {"id": o.id, "title": o.title, "capability": o.capability} for o in spec.objectives
        ],
        "nations": [
            {
                "code": n.code,
                "briefing": n.briefing,
                "objectives": list(n.objectives),
                "stability": n.stability,
                "capacity": n.capacity,
                "budget": n.budget,
            }
            for n in spec.nations
        ],
        "trust": [[t.a, t.b, t.value] for t in spec.trust],
        "actions": list(spec.actions),
        "injects": [_inject_data(inject) for inject in spec.injects],
    } | _feedback_data(spec)


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
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, indent=2)
