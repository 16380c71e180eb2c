"""The computed proposal of an objective's rating."""

from wargame.engine.ratings import InjectRecord, propose_rating


def test_every_inject_answered_at_once_with_nations_steady_is_performed() -> None:
    injects = [InjectRecord("M-01", 1, 1), InjectRecord("M-02", 2, 2)]
    rating, why = propose_rating(injects, [50, 60], [52, 61], last_turn=4)
    assert rating == "P"
    assert (why["injects_delivered"], why["injects_answered"]) == (2, 2)
    assert why["answered_share"] == 1.0 and why["timeliness"] == 1.0


def test_nothing_answered_and_nations_collapsing_is_unable() -> None:
    injects = [InjectRecord("M-01", 1, None), InjectRecord("M-02", 2, None)]
    rating, why = propose_rating(injects, [60], [30], last_turn=8)
    assert rating == "U"
    assert why["stability_change"] == -30.0


def test_late_answers_lower_the_rating() -> None:
    prompt = propose_rating([InjectRecord("M-01", 1, 1)], [50], [50], last_turn=8)[1]["score"]
    late = propose_rating([InjectRecord("M-01", 1, 5)], [50], [50], last_turn=8)[1]["score"]
    assert late < prompt


def test_skipped_contingencies_do_not_count() -> None:
    injects = [InjectRecord("M-01", 1, 1), InjectRecord("M-09", None, None, skipped=True)]
    assert propose_rating(injects, [50], [50], last_turn=4)[1]["injects_delivered"] == 1
