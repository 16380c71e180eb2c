"""What changed between two versions: the words of a text, and the entries of a scenario."""

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import MINIMAL
from wargame.scenarios.changes import spec_changes, word_changes
from wargame.scenarios.fileformat import parse_scenario_file

texts = st.text(alphabet=st.sampled_from("ab \n.,é"), max_size=40)


@given(before=texts, after=texts)
def test_the_words_kept_and_removed_are_the_old_text_kept_and_added_the_new(
    before: str, after: str
) -> None:
    runs = word_changes(before, after)
    assert "".join(text for op, text in runs if op != "added") == before
    assert "".join(text for op, text in runs if op != "removed") == after
    assert all(text for _op, text in runs)
    if before == after:
        assert {op for op, _text in runs} <= {"same"}


def test_a_version_compared_with_itself_has_no_change_and_the_reverse_swaps_added_and_removed():
    spec = parse_scenario_file(MINIMAL)
    assert spec_changes(spec, spec) == ()
    assert spec_changes(None, spec) == ()
    fewer = replace(spec, injects=spec.injects[:1], title="Shorter")
    forward = {(c.part, c.code, c.kind) for c in spec_changes(spec, fewer)}
    backward = {(c.part, c.code, c.kind) for c in spec_changes(fewer, spec)}
    assert forward == {("scenario", "", "changed"), ("inject", "M-02", "removed")}
    assert backward == {("scenario", "", "changed"), ("inject", "M-02", "added")}
    (own,) = [c for c in spec_changes(spec, fewer) if c.part == "scenario"]
    assert [(f.name, f.before, f.after) for f in own.fields] == [
        ("title", "Minimal scenario", "Shorter")
    ]
