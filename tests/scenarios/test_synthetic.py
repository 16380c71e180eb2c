"""Synthetic scenarios, used by the benchmark and the tests of scale, are valid files."""

import pytest

from tests.factories.scenarios import OAS_MEMBERS, synthetic_spec
from wargame.scenarios.fileformat import parse_scenario_text, spec_to_yaml
from wargame.scenarios.models import MAX_NATIONS


@pytest.mark.parametrize("nations", [2, 5, 35, MAX_NATIONS])
def test_a_synthetic_scenario_is_a_valid_file_and_always_the_same(nations: int) -> None:
    spec = synthetic_spec(nations)
    assert parse_scenario_text(spec_to_yaml(spec), f"synthetic-{nations}.yaml") == spec
    assert synthetic_spec(nations) == spec
    assert len(spec.nations) == nations and len(spec.injects) == 30
    assert spec.nation_codes[:35] == OAS_MEMBERS[:nations]
    assert {inject.turn for inject in spec.injects} == set(range(1, 9))


def test_a_synthetic_scenario_has_between_2_and_as_many_nations_as_a_scenario_may() -> None:
    for nations in (1, MAX_NATIONS + 1):
        with pytest.raises(ValueError, match=f"2 to {MAX_NATIONS} nations"):
            synthetic_spec(nations)
