"""The MSEL as a spreadsheet: one CSV row per inject.

Planners keep the master scenario events list in a spreadsheet. The CSV carries the columns
they edit; what it has no column for (private parts, severity, affected nations, contingency,
effect on trust) is kept from the scenario's inject with the same number, so a round trip
through a spreadsheet loses nothing.
"""

import csv
import io
from dataclasses import replace
from typing import Any

from django.utils.translation import gettext, gettext_noop

from wargame.lib.spreadsheet import cell_in, csv_text
from wargame.lib.text import control_character
from wargame.scenarios.fileformat import (
    Loc,
    Problem,
    ScenarioFileError,
    ScenarioSpec,
    spec_to_data,
    validate_scenario_data,
    worded,
)
from wargame.scenarios.models import MAX_INJECTS

COLUMNS = (
    "number", "turn", "kind", "from", "to", "method", "title", "message", "expected_actions",
    "objective", "notes",
)  # fmt: skip
LIST_SEPARATOR = ";"
# The file format's field for each column, where the names differ.
_FIELD_OF_COLUMN = {"number": "id"}
_COLUMN_OF_FIELD = {field: column for column, field in _FIELD_OF_COLUMN.items()}


# The columns whose text a translated MSEL gives, by the inject's field.
TEXT_COLUMNS = {"originator": "from", "title": "title", "message": "message", "notes": "notes"}
_FIELD_OF_TEXT = {column: field for field, column in TEXT_COLUMNS.items()}


def msel_csv(spec: ScenarioSpec, language: str | None = None) -> str:
    """The scenario's injects as CSV, in MSEL order, safe to open in a spreadsheet (no cell
    runs as a formula; import_msel reads each cell back as it was). In another `language`
    than the scenario's own, the texts are its translations, its own where it has none."""
    language = None if language == spec.language else language
    rows: list[list[object]] = [list(COLUMNS)]
    for inject in spec.injects:
        texts = {field: getattr(inject, field) for field in TEXT_COLUMNS}
        if language is not None:
            texts |= inject.translations.get(language, {})
        inject = replace(inject, **{field: texts[field] for field in TEXT_COLUMNS})
        rows.append(
            [
                inject.id,
                inject.turn,
                inject.kind,
                inject.originator,
                LIST_SEPARATOR.join(inject.to) if inject.to else "all",
                inject.method,
                inject.title,
                inject.message,
                LIST_SEPARATOR.join(inject.expected_actions),
                inject.objective or "",
                inject.notes,
            ]
        )
    return csv_text(rows, lineterminator="\n")


def msel_apply_csv(
    spec: ScenarioSpec, text: str, source: str, language: str | None = None
) -> ScenarioSpec:
    """The scenario with its injects replaced by the CSV's rows.

    With a `language` other than the scenario's own the CSV is a translated MSEL: its texts
    are the injects' translations into that language and the scenario's own texts stay; it
    may reorder, reschedule or leave out injects but not add one, which needs its text in the
    scenario's language first.

    Raises ScenarioFileError with problems of the form `FILE:ROW: column: message`, where row 1
    is the header.
    """
    language = None if language == spec.language else language
    rows, problems = _read_rows(text, source)
    existing = {inject.id: inject for inject in spec.injects}
    if language is not None:
        problems += [
            Problem(source, row_number, "number", gettext(_NEW_IN_TRANSLATION) % {"id": number})
            for row_number, row in rows
            if (number := row["number"].strip()) not in existing
        ]
    if problems:
        raise ScenarioFileError(problems)

    data = spec_to_data(spec)
    translated = data.setdefault("translations", {})
    injects: list[dict[str, Any]] = []
    lines: dict[Loc, int] = {}
    for index, (row_number, row) in enumerate(rows):
        lines[("injects", index)] = row_number
        inject = _inject_from_row(row, existing, spec.nation_codes)
        if language is not None:
            _as_translation(inject, existing[inject["id"]], translated.setdefault(language, {}))
        injects.append(inject)
    data["injects"] = injects
    # A translation goes with the inject, or the private part, that the rows leave out.
    private = {inject["id"]: inject.get("private", {}) for inject in injects}
    for texts in translated.values():
        texts["injects"] = {
            name: _private_kept(entry, private[name])
            for name, entry in texts.get("injects", {}).items()
            if name in private
        }
    try:
        updated = validate_scenario_data(data, lines, source)
    except ScenarioFileError as exc:
        raise ScenarioFileError([_as_csv_problem(problem) for problem in exc.problems]) from None
    return replace(updated, warnings=tuple(_as_csv_problem(w) for w in updated.warnings))


def _read_rows(text: str, source: str) -> tuple[list[tuple[int, dict[str, str]]], list[Problem]]:
    problems: list[Problem] = []
    try:
        reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
        table = list(reader)
    except csv.Error as exc:
        return [], [
            Problem(source, 1, "file", gettext("is not valid CSV: %(error)s") % {"error": exc})
        ]
    if not table:
        return [], [
            Problem(
                source,
                1,
                "header",
                gettext("the file is empty; expected %(columns)s") % {"columns": ",".join(COLUMNS)},
            )
        ]
    header = [name.strip() for name in table[0]]
    for name in header:
        if name not in COLUMNS:
            problems.append(Problem(source, 1, name or "header", gettext("unknown column")))
    for name in COLUMNS:
        if name not in header:
            problems.append(Problem(source, 1, name, gettext("missing column")))
    if len(set(header)) != len(header):
        problems.append(Problem(source, 1, "header", gettext("a column appears twice")))
    if problems:
        return [], problems

    rows: list[tuple[int, dict[str, str]]] = []
    # csv.reader counts physical lines; a quoted message may span several, so report the
    # line where each record starts, which is what a spreadsheet user sees as the row.
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    next(reader)
    start = reader.line_num + 1
    for record in reader:
        if not any(cell.strip() for cell in record):
            start = reader.line_num + 1
            continue
        if len(record) != len(header):
            problems.append(
                Problem(
                    source,
                    start,
                    "row",
                    gettext("has %(cells)s cells; expected %(columns)s")
                    % {"cells": len(record), "columns": len(header)},
                )
            )
        else:
            cells = [cell_in(cell) for cell in record]
            problems.extend(_control_characters(source, start, header, cells))
            rows.append((start, dict(zip(header, cells, strict=True))))
        start = reader.line_num + 1
        if len(rows) > MAX_INJECTS:  # the scenario's own limit; reading on would only cost
            many = worded("too_many", actual_length=f"{len(rows)}+", max_length=MAX_INJECTS)
            return [], [Problem(source, start - 1, "row", many)]
    if not rows and not problems:
        problems.append(Problem(source, 2, "number", gettext("the MSEL has no injects")))
    return rows, problems


def _control_characters(
    source: str, line: int, header: list[str], cells: list[str]
) -> list[Problem]:
    """The cells holding a control character other than a tab or a line break: refused, as
    in a scenario file and in every form."""
    problems = []
    for column, cell in zip(header, cells, strict=True):
        if (character := control_character(cell)) is not None:
            message = worded("control_character", character=character)
            problems.append(Problem(source, line, column, message))
    return problems


def _inject_from_row(
    row: dict[str, str], existing: dict[str, Any], nation_codes: tuple[str, ...]
) -> dict[str, Any]:
    number = row["number"].strip()
    inject: dict[str, Any] = {"id": number}
    turn = row["turn"].strip()
    inject["turn"] = int(turn) if turn.lstrip("-").isdigit() else turn
    inject["kind"] = row["kind"].strip()
    if row["from"].strip():
        inject["from"] = row["from"].strip()
    to = row["to"].strip()
    inject["to"] = "all" if to in ("", "all") else _split(to)
    if row["method"].strip():
        inject["method"] = row["method"].strip()
    inject["title"] = row["title"].strip()
    inject["message"] = row["message"]
    inject["expected_actions"] = _split(row["expected_actions"])
    if row["objective"].strip():
        inject["objective"] = row["objective"].strip()
    if row["notes"]:
        inject["notes"] = row["notes"]

    before = existing.get(number)
    if before is not None:
        if before.private:
            inject["private"] = {
                code: text
                for code, text in before.private.items()
                if inject["to"] == "all" or code in inject["to"]
            }
        inject["severity"] = before.severity
        # Affected nations that only followed the recipients keep following them.
        followed = before.affects == (before.to or nation_codes)
        if not followed:
            inject["affects"] = list(before.affects)
        if before.contingency_for:
            inject["contingency_for"] = before.contingency_for
        if before.trust:
            inject["trust"] = [list(shock) for shock in before.trust]
        if before.support:
            inject["support"] = [list(shock) for shock in before.support]
    return inject


_NEW_IN_TRANSLATION = gettext_noop(
    "%(id)s is not an inject of this scenario: a translated MSEL cannot add one; import it "
    "in the scenario's own language first"
)


def _private_kept(entry: dict[str, Any], private: dict[str, str]) -> dict[str, Any]:
    if "private" not in entry:
        return entry
    parts = {code: text for code, text in entry["private"].items() if code in private}
    return {key: value for key, value in entry.items() if key != "private"} | (
        {"private": parts} if parts else {}
    )


def _as_translation(inject: dict[str, Any], before: Any, texts: dict[str, Any]) -> None:
    """Move the row's texts into the inject's translation (`texts` of the language), where
    they differ from English, and give the inject its English texts back."""
    translation = {
        column: inject[column]
        for column in _FIELD_OF_TEXT
        if inject.get(column) and inject[column] != getattr(before, _FIELD_OF_TEXT[column])
    }
    earlier = texts.setdefault("injects", {}).get(inject["id"], {})
    if "private" in earlier:
        translation["private"] = earlier["private"]
    if translation:
        texts["injects"][inject["id"]] = translation
    else:
        texts["injects"].pop(inject["id"], None)
    for column, field in _FIELD_OF_TEXT.items():
        value = getattr(before, field)
        if value or column in ("title", "message"):
            inject[column] = value
        else:
            inject.pop(column, None)


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(LIST_SEPARATOR) if part.strip()]


def _as_csv_problem(problem: Problem) -> Problem:
    loc = problem.loc
    if len(loc) >= 3 and loc[0] == "injects" and isinstance(loc[2], str):
        column = _COLUMN_OF_FIELD.get(loc[2], loc[2])
    elif loc[:1] == ("injects",):
        column = "row" if len(loc) > 1 else "number"
    else:
        column = problem.field
    return replace(problem, field=column)
