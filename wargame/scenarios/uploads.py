"""A scenario file or an MSEL spreadsheet brought in through the browser: read with the same
checks and messages as `load_scenario` and `import_msel`, shown with the lines at fault, and
summarised as the changes it would make before anything is saved."""

import csv
import io
from dataclasses import dataclass
from pathlib import PurePath
from typing import Literal

from django.utils.translation import gettext

from wargame.scenarios.changes import Change, spec_changes
from wargame.scenarios.fileformat import (
    Problem,
    ScenarioFileError,
    ScenarioSpec,
    parse_scenario_text,
    text_of_bytes,
)
from wargame.scenarios.models import Scenario
from wargame.scenarios.msel import msel_apply_csv
from wargame.scenarios.selectors import scenario_latest, scenario_spec

Kind = Literal["scenario", "msel"]
SCENARIO_SUFFIXES = (".yaml", ".yml")
MSEL_SUFFIXES = (".csv",)


@dataclass(frozen=True)
class Upload:
    """What was sent: the file's name (as problems cite it), its text, and for an MSEL the
    scenario it is for and the language its texts are in (None: the scenario's own)."""

    name: str
    text: str
    kind: Kind
    slug: str = ""
    language: str | None = None


@dataclass(frozen=True)
class Fault:
    """A problem of the file and the lines it is about, numbered as the file numbers them."""

    problem: Problem
    lines: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class Preview:
    """A valid file and what saving it would do to the latest version of its scenario."""

    upload: Upload
    spec: ScenarioSpec
    latest: Scenario | None
    changes: tuple[Change, ...]

    @property
    def unchanged(self) -> bool:
        return self.latest is not None and not self.changes

    @property
    def base(self) -> int:
        """The version the changes were counted from (0: a new scenario)."""
        return self.latest.version if self.latest is not None else 0


def upload_name(name: str) -> str:
    """The file's own name, without any folder a browser sent with it."""
    return PurePath(name.replace("\\", "/")).name or "upload"


def upload_kind(name: str) -> Kind | None:
    """A scenario file or an MSEL, by the file's suffix; None for anything else."""
    suffix = PurePath(name).suffix.lower()
    if suffix in SCENARIO_SUFFIXES:
        return "scenario"
    if suffix in MSEL_SUFFIXES:
        return "msel"
    return None


def upload_read(name: str, raw: bytes, *, slug: str = "", language: str | None = None) -> Upload:
    """The uploaded bytes as an Upload; raise ScenarioFileError for a file that is not a
    scenario or an MSEL, too large, not UTF-8, or an MSEL without its scenario."""
    name = upload_name(name)
    kind = upload_kind(name)
    if kind is None:
        message = gettext("must be a scenario file (.yaml or .yml) or an MSEL (.csv)")
        raise ScenarioFileError([Problem(name, 1, "file", message)])
    if kind == "msel" and not slug:
        message = gettext("an MSEL is for a scenario: choose which one")
        raise ScenarioFileError([Problem(name, 1, "scenario", message)])
    # Line ends as a spreadsheet or another system writes them, read as one kind, so that the
    # text sent back to be saved is the text checked.
    text = text_of_bytes(raw, name).replace("\r\n", "\n")
    return Upload(name, text, kind, slug, language)


def upload_preview(upload: Upload) -> Preview:
    """Check the file as the commands do and count what it would change; raise
    ScenarioFileError listing every problem."""
    if upload.kind == "scenario":
        spec = parse_scenario_text(upload.text, upload.name)
        latest = scenario_latest(spec.slug)
    else:
        latest = scenario_latest(upload.slug)
        if latest is None:
            message = gettext("%(slug)s is not a scenario of the library") % {"slug": upload.slug}
            raise ScenarioFileError([Problem(upload.name, 1, "scenario", message)])
        spec = msel_apply_csv(scenario_spec(latest), upload.text, upload.name, upload.language)
    before = scenario_spec(latest) if latest is not None else None
    return Preview(upload, spec, latest, spec_changes(before, spec))


def upload_faults(upload: Upload, problems: list[Problem]) -> list[Fault]:
    """Each problem with the lines of the file it points at: the line of a scenario file, or
    every line of an MSEL's row (a cell may hold several)."""
    lines = upload.text.split("\n")
    spans = _row_spans(upload.text) if upload.kind == "msel" else {}
    faults = []
    for problem in problems:
        first, last = spans.get(problem.line, (problem.line, problem.line))
        shown = tuple(
            (number, lines[number - 1]) for number in range(first, last + 1)
            if 1 <= number <= len(lines)
        )  # fmt: skip
        faults.append(Fault(problem, shown))
    return faults


def _row_spans(text: str) -> dict[int, tuple[int, int]]:
    """The first line of each row (as MSEL problems cite a row) → its first and last line."""
    reader = csv.reader(io.StringIO(text, newline=""))
    spans: dict[int, tuple[int, int]] = {}
    start = 1
    try:
        for _row in reader:
            spans[start] = (start, reader.line_num)
            start = reader.line_num + 1
    except csv.Error:
        pass  # the problem says what is wrong; its row is shown as one line
    return spans
