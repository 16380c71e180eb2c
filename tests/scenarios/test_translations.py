"""A scenario in several languages: the file's `translations:` section, checked like the rest,
kept through loading, export and the MSEL spreadsheet, and read in each person's language."""

from pathlib import Path

import pytest
from django.utils import translation

from tests.conftest import MINIMAL, SHIPPED_SCENARIOS
from tests.scenarios.test_commands import run_command
from wargame.exercises.services import exercise_create
from wargame.scenarios.fileformat import (
    TRANSLATION_LANGUAGES,
    ScenarioFileError,
    parse_scenario_file,
    parse_scenario_text,
    spec_to_yaml,
)
from wargame.scenarios.models import Scenario
from wargame.scenarios.msel import msel_apply_csv, msel_csv
from wargame.scenarios.selectors import scenario_latest, scenario_spec

SPANISH = """\
translations:
  es:
    title: Escenario mínimo
    briefing: |
      Una breve exposición pública.
    game_time_per_turn: 1 semana
    objectives:
      OBJ-1:
        title: Coordinar la respuesta al desastre
        capability: Coordinación operacional
    nations:
      HTI:
        briefing: Exposición reservada de Haití.
    injects:
      M-01:
        title: El huracán Elena toca tierra
        message: |
          Impacto de categoría 4 cerca de Jacmel.
        from: Centro Nacional de Huracanes
        private:
          HTI: Sus puertos del sur están cerrados.
      M-02:
        notes: Buscar el intercambio de inteligencia con Haití.
  pt-br:
    injects:
      M-01:
        title: O furacão Elena toca a terra
"""


def translated_minimal(extra: str = SPANISH) -> str:
    return MINIMAL.read_text(encoding="utf-8") + extra


def test_translations_are_kept_entry_by_entry_and_written_back_equal() -> None:
    spec = parse_scenario_text(translated_minimal(), "minimal.yaml")
    assert spec.translations == {
        "es": {
            "title": "Escenario mínimo",
            "briefing": "Una breve exposición pública.\n",
            "game_time_per_turn": "1 semana",
        }
    }
    assert spec.objectives[0].translations["es"]["capability"] == "Coordinación operacional"
    assert spec.objectives[1].translations == {}
    m01 = spec.injects[0].translations
    assert m01["es"]["originator"] == "Centro Nacional de Huracanes"
    assert m01["es"]["private"] == {"HTI": "Sus puertos del sur están cerrados."}
    assert m01["pt-br"] == {"title": "O furacão Elena toca a terra"}
    assert spec.injects[1].translations == {
        "es": {"notes": "Buscar el intercambio de inteligencia con Haití."}
    }
    written = spec_to_yaml(spec)
    assert parse_scenario_text(written, "again.yaml") == spec
    assert "\ntranslations:\n  es:\n" in written


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            "translations:\n  fr:\n    title: Scénario\n",
            "translations.fr: fr is not a language scenarios are translated into; one of: es",
        ),
        (
            "translations:\n  es:\n    titel: x\n",
            "translations.es.titel: unknown field; did you mean 'title'?",
        ),
        (
            "translations:\n  es:\n    objectives:\n      OBJ-3: {title: x}\n",
            "translations.es.objectives.OBJ-3: OBJ-3 is not an objective of this scenario",
        ),
        (
            "translations:\n  es:\n    injects:\n      M-09: {title: x}\n",
            "translations.es.injects.M-09: M-09 is not an inject of this scenario",
        ),
        (
            "translations:\n  es:\n    injects:\n      M-02:\n        private: {DOM: x}\n",
            "translations.es.injects.M-02.private.DOM: the inject has no private part for DOM",
        ),
        (
            "translations:\n  es:\n    nations:\n      HTI: {briefing: ''}\n",
            "translations.es.nations.HTI.briefing: must not be empty",
        ),
        (
            "translations:\n  es:\n    feedback:\n      realism: {prompt: x}\n",
            "translations.es.feedback.realism: realism is not a question of this scenario",
        ),
    ],
    ids=["language", "field", "objective", "inject", "private", "empty", "question"],
)
def test_a_translation_of_what_the_scenario_lacks_is_a_mistake_at_its_line(
    extra: str, expected: str
) -> None:
    text = translated_minimal(extra)
    with pytest.raises(ScenarioFileError) as raised:
        parse_scenario_text(text, "minimal.yaml")
    (problem,) = raised.value.problems
    assert expected in str(problem)
    lines = text.splitlines()
    assert problem.line > len(MINIMAL.read_text(encoding="utf-8").splitlines())
    name = expected.split(":")[0].split(".")[-1]
    assert name in lines[problem.line - 1], (problem, lines[problem.line - 1])


def test_every_mistake_of_a_translation_is_reported_at_once() -> None:
    extra = (
        "translations:\n  es:\n    summary: ''\n    injects:\n      M-01: {titel: x}\n"
        "      M-09: {title: x}\n  fr: {}\n"
    )
    with pytest.raises(ScenarioFileError) as raised:
        parse_scenario_text(translated_minimal(extra), "minimal.yaml")
    fields = [problem.field for problem in raised.value.problems]
    assert fields == [
        "translations.es.summary",
        "translations.es.injects.M-01.titel",
        "translations.es.injects.M-09",
        "translations.fr",
    ]


TEXTS = {
    "objectives": ("title", "capability"),
    "nations": ("briefing",),
    "feedback": ("prompt",),
}


@pytest.mark.parametrize("path", SHIPPED_SCENARIOS, ids=lambda path: path.stem)
def test_every_shipped_scenario_is_complete_in_every_language(path: Path) -> None:
    spec = parse_scenario_file(path)
    for language in TRANSLATION_LANGUAGES:
        assert set(spec.translations[language]) == {
            "title", "summary", "briefing", "game_time_per_turn"
        }, language  # fmt: skip
        for section, fields in TEXTS.items():
            for entry in getattr(spec, section):
                assert set(entry.translations[language]) == set(fields), (language, entry)
        for inject in spec.injects:
            texts = inject.translations[language]
            wanted = {"title", "message", "originator"} | ({"notes"} if inject.notes else set())
            assert wanted <= set(texts), (language, inject.id)
            assert set(texts.get("private", {})) == set(inject.private), (language, inject.id)


@pytest.mark.django_db
def test_a_loaded_scenario_and_its_exercises_read_in_the_readers_language(
    tmp_path: Path, facilitator
) -> None:
    path = tmp_path / "minimal.yaml"
    path.write_text(translated_minimal(), encoding="utf-8")
    assert run_command("load_scenario", str(path))[0] == 0
    scenario = Scenario.objects.get(slug="minimal")
    assert scenario_spec(scenario) == parse_scenario_file(path)
    exercise = exercise_create(actor=facilitator, scenario=scenario, seed=1)
    inject = exercise.injects.get(code="M-01")
    objective = scenario.objectives.get(code="OBJ-2")
    with translation.override("es"):
        assert scenario.local_title == "Escenario mínimo"
        assert scenario.local_summary == scenario.summary  # not translated: the original
        assert inject.local_title == "El huracán Elena toca tierra"
        assert inject.local_private == {"HTI": "Sus puertos del sur están cerrados."}
        assert objective.local_title == objective.title
    with translation.override("pt-br"):
        assert inject.local_title == "O furacão Elena toca a terra"
        assert inject.local_message == inject.message
        assert inject.local_private == inject.private
    with translation.override("en"):
        assert inject.local_title == "Hurricane Elena makes landfall"


@pytest.mark.django_db
def test_the_spanish_msel_goes_out_and_comes_back_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "minimal.yaml"
    path.write_text(translated_minimal(), encoding="utf-8")
    run_command("load_scenario", str(path))
    before = scenario_spec(Scenario.objects.get(slug="minimal"))

    status, spanish, err = run_command("export_msel", "minimal", "--lang", "es")
    assert (status, err) == (0, "")
    assert "El huracán Elena toca tierra" in spanish
    assert "Hurricane Elena" not in spanish
    assert "Go-fast boats in the Mona Passage" in spanish  # no Spanish title: the English one
    msel = tmp_path / "msel.es.csv"
    msel.write_text(spanish, encoding="utf-8")
    status, _out, err = run_command("import_msel", "minimal", str(msel), "--lang", "es")
    assert (status, err) == (0, "")
    assert scenario_spec(scenario_latest("minimal")) == before

    # A planner corrects a Spanish title: the translation changes, the English text does not.
    msel.write_text(spanish.replace("toca tierra", "llega a tierra"), encoding="utf-8")
    assert run_command("import_msel", "minimal", str(msel), "--lang", "es")[0] == 0
    inject = scenario_latest("minimal").injects.get(code="M-01")
    assert inject.title == "Hurricane Elena makes landfall"
    assert inject.translations["es"]["title"] == "El huracán Elena llega a tierra"
    assert inject.translations["es"]["private"] == {"HTI": "Sus puertos del sur están cerrados."}
    assert inject.translations["pt-br"] == {"title": "O furacão Elena toca a terra"}


def test_a_translated_msel_cannot_add_an_inject() -> None:
    spec = parse_scenario_text(translated_minimal(), "minimal.yaml")
    text = msel_csv(spec, "es") + "M-03,2,cyberattack,Control,all,briefing,Nuevo,Texto,,,\n"
    with pytest.raises(ScenarioFileError) as raised:
        msel_apply_csv(spec, text, "msel.csv", "es")
    (problem,) = raised.value.problems
    assert str(problem).startswith("msel.csv:5: number: M-03 is not an inject of this scenario")


def test_an_english_msel_that_drops_an_inject_drops_its_translations() -> None:
    spec = parse_scenario_text(translated_minimal(), "minimal.yaml")
    kept = "\n".join(line for line in msel_csv(spec).splitlines() if "M-02" not in line)
    changed = msel_apply_csv(spec, kept + "\n", "msel.csv")
    assert [inject.id for inject in changed.injects] == ["M-01"]
    assert changed.injects[0].translations == spec.injects[0].translations


def test_a_private_part_left_out_by_the_msel_takes_its_translations_with_it() -> None:
    spec = parse_scenario_text(translated_minimal(), "minimal.yaml")
    rows = msel_csv(spec).replace(
        "M-01,1,hurricane,National Hurricane Center,all,",
        "M-01,1,hurricane,National Hurricane Center,DOM,",
    )
    changed = msel_apply_csv(spec, rows, "msel.csv")
    assert changed.injects[0].private == {}
    assert "private" not in changed.injects[0].translations["es"]
    assert changed.injects[0].translations["es"]["title"] == "El huracán Elena toca tierra"


# The minimal scenario as a Spanish college would write it: in Spanish, with an English and a
# Portuguese translation of some of its texts.
WRITTEN_IN_SPANISH = (
    (
        MINIMAL.read_text(encoding="utf-8")
        .replace("slug: minimal\n", "slug: minimal\nlanguage: es\n")
        .replace("title: Minimal scenario", "title: Escenario mínimo")
        .replace("title: Hurricane Elena makes landfall", "title: El huracán Elena toca tierra")
    )
    + """\
translations:
  en:
    title: Minimal scenario
    injects:
      M-01:
        title: Hurricane Elena makes landfall
  pt-br:
    injects:
      M-01:
        title: O furacão Elena toca a terra
"""
)


def test_a_scenario_written_in_spanish_is_read_in_each_language(
    tmp_path: Path, facilitator
) -> None:
    spec = parse_scenario_text(WRITTEN_IN_SPANISH, "minimal.yaml")
    assert spec.language == "es"
    written = spec_to_yaml(spec)
    assert "\nlanguage: es\n" in written and "\ntranslations:\n  en:\n" in written
    assert parse_scenario_text(written, "again.yaml") == spec
    path = tmp_path / "minimal.yaml"
    path.write_text(WRITTEN_IN_SPANISH, encoding="utf-8")
    assert run_command("load_scenario", str(path))[0] == 0
    scenario = Scenario.objects.get(slug="minimal")
    assert scenario.language == "es" and scenario_spec(scenario) == spec
    inject = exercise_create(actor=facilitator, scenario=scenario, seed=1).injects.get(code="M-01")
    for language, title, inject_title in (
        ("es", "Escenario mínimo", "El huracán Elena toca tierra"),
        ("en", "Minimal scenario", "Hurricane Elena makes landfall"),
        ("pt-br", "Escenario mínimo", "O furacão Elena toca a terra"),  # no Portuguese title
    ):
        with translation.override(language):
            assert (scenario.local_title, inject.local_title) == (title, inject_title)


def test_a_scenario_is_not_translated_into_its_own_language_nor_written_in_an_unknown_one() -> None:
    text = WRITTEN_IN_SPANISH + "  es:\n    title: Escenario\n"
    with pytest.raises(ScenarioFileError) as raised:
        parse_scenario_text(text, "minimal.yaml")
    (problem,) = raised.value.problems
    assert str(problem) == (
        f"minimal.yaml:{len(text.splitlines()) - 1}: translations.es: es is not a language "
        "scenarios are translated into; one of: en, pt-br"
    )
    text = MINIMAL.read_text(encoding="utf-8").replace(
        "slug: minimal\n", "slug: minimal\nlanguage: fr\n"
    )
    with pytest.raises(ScenarioFileError) as raised:
        parse_scenario_text(text, "minimal.yaml")
    (problem,) = raised.value.problems
    assert str(problem) == (
        "minimal.yaml:3: language: fr is not a language a scenario can be written in; one of: "
        "en, es, pt-br"
    )


def test_the_msel_of_a_spanish_scenario_is_spanish_and_its_english_one_a_translation() -> None:
    spec = parse_scenario_text(WRITTEN_IN_SPANISH, "minimal.yaml")
    assert msel_csv(spec) == msel_csv(spec, "es")
    assert "El huracán Elena toca tierra" in msel_csv(spec)
    english = msel_csv(spec, "en")
    assert "Hurricane Elena makes landfall" in english
    corrected = msel_apply_csv(
        spec, english.replace("makes landfall", "comes ashore"), "msel.en.csv", "en"
    )
    (m01, *_rest) = corrected.injects
    assert m01.title == "El huracán Elena toca tierra"
    assert m01.translations["en"]["title"] == "Hurricane Elena comes ashore"
