"""How the report names the people of an exercise: as they called themselves, or, in an
anonymised report, by their nation (players) or their role and a number.

An anonymised report can leave the room where the exercise was played: a defence college
publishes it as a case, or an organisation shares it with nations that took no part. It names
nobody, in every format and in the event log; what people wrote themselves (moves' reasons,
messages, observations) is kept as written. Nor does it carry what only the exercise's control
needs: the random seed, the dice rolled for each move and which nations bots played.
"""

from collections import Counter
from collections.abc import Iterable
from typing import Any, TypeVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils.translation import gettext as _

from wargame.exercises.models import Participant, Role
from wargame.lib.nations import nation_name

T = TypeVar("T")
# A logged move outcome's details that only control needs: the die and how its chance was made.
CONTROL_DETAILS = frozenset({"roll", "factors"})
# Logged events that only control needs: a nation handed to a bot or back to people.
CONTROL_EVENTS = frozenset({"team.bot", "team.people"})


def _own_name(user: AbstractBaseUser) -> str:
    return getattr(user, "first_name", "") or user.get_username()


class Names:
    """The name the report gives each user. `Names()` gives people's own names;
    `Names.anonymised(participants)` gives "Haiti 2", "Evaluator 1" (numbered in the order
    they took their seats), and "Administrator" to anyone who acted without a seat."""

    def __init__(
        self, pseudonyms: dict[int, str] | None = None, usernames: dict[str, str] | None = None
    ) -> None:
        self.anonymous = pseudonyms is not None
        self._pseudonyms = pseudonyms or {}
        self._usernames = usernames or {}

    @classmethod
    def anonymised(cls, participants: Iterable[Participant]) -> "Names":
        """Participants with their user and team loaded, in the order they took their seats."""
        counts: Counter[str] = Counter()
        pseudonyms: dict[int, str] = {}
        usernames: dict[str, str] = {}
        for participant in participants:
            if participant.user_id in pseudonyms:
                continue
            if participant.role == Role.PLAYER and participant.team is not None:
                group = nation_name(participant.team.nation_code)
            else:
                group = str(Role(participant.role).label)
            counts[group] += 1
            name = _("%(group)s %(number)s") % {"group": group, "number": counts[group]}
            pseudonyms[participant.user_id] = name
            usernames[participant.user.get_username()] = name
        return cls(pseudonyms, usernames)

    def of(self, user: AbstractBaseUser | None) -> str | None:
        if user is None:
            return None
        if not self.anonymous:
            return _own_name(user)
        return self._pseudonyms.get(user.pk) or _("Administrator")

    def control(self, value: T) -> T | None:
        """What only the exercise's control needs (the seed, a die's roll, whether a bot
        played): kept in the named report, withheld (None) from the anonymised copy, which
        is the one to distribute."""
        return None if self.anonymous else value

    def shows(self, kind: str) -> bool:
        """Whether the report lists a logged event of this kind: every kind in the named
        copy; in the anonymised copy, none that says which nations bots played."""
        return not (self.anonymous and kind in CONTROL_EVENTS)

    def details(self, payload: dict[str, Any]) -> dict[str, Any]:
        """An event's details, with the account it names (`user`) anonymised too, and a
        move's roll and factors withheld."""
        if not self.anonymous:
            return payload
        kept = {key: value for key, value in payload.items() if key not in CONTROL_DETAILS}
        if "user" in payload:
            kept["user"] = self._usernames.get(payload["user"], _("Administrator"))
        return kept


def names_for(exercise_id: int, *, anonymous: bool) -> Names:
    """The report's names for the exercise (one query when anonymised, none otherwise)."""
    if not anonymous:
        return Names()
    participants = (
        Participant.objects.filter(exercise_id=exercise_id)
        .select_related("user", "team")
        .order_by("pk")
    )
    return Names.anonymised(participants)
