"""How the report names the people of an exercise: as they called themselves, or, in an
anonymised report, by their nation (players) or their role and a number.

An anonymised report can leave the room where the exercise was played: a defence college
publishes it as a case, or an organisation shares it with nations that took no part. It names
nobody, in every format and in the event log; what people wrote themselves (moves' reasons,
messages, observations) is kept as written. Nor does it carry what only the exercise's control
needs: the random seed, the dice rolled for each move and which nations bots played.

An anonymised copy may also name the delegations instead of the nations they played
("Delegation A", "Delegation B"…), so that it says what was done, not which state did it. The
letters are dealt in an order drawn from the exercise, not in the scenario's order or the
alphabet's, which would give them away. The scenario's own texts (its summary, the injects)
still name the places and nations it is set in, and what people wrote is kept as written.
"""

import random
import re
import string
from collections import Counter
from collections.abc import Iterable
from typing import Any, TypeVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils.translation import gettext as _

from wargame.exercises.models import Exercise, Participant, Role
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
        self,
        pseudonyms: dict[int, str] | None = None,
        usernames: dict[str, str] | None = None,
        letters: dict[str, str] | None = None,
    ) -> None:
        self.anonymous = pseudonyms is not None
        self._pseudonyms = pseudonyms or {}
        self._usernames = usernames or {}
        # A nation's letter when delegations are named instead of nations.
        self.letters = letters or {}
        codes = "|".join(sorted(self.letters))
        self._code = re.compile(rf"\b({codes})\b") if codes else None

    @classmethod
    def anonymised(
        cls, participants: Iterable[Participant], letters: dict[str, str] | None = None
    ) -> "Names":
        """Participants with their user and team loaded, in the order they took their seats;
        with `letters` (`delegation_letters`), players are named by their delegation."""
        letters = letters or {}
        counts: Counter[str] = Counter()
        pseudonyms: dict[int, str] = {}
        usernames: dict[str, str] = {}
        for participant in participants:
            if participant.user_id in pseudonyms:
                continue
            if participant.role == Role.PLAYER and participant.team is not None:
                code = participant.team.nation_code
                group = delegation(letters[code]) if code in letters else nation_name(code)
            else:
                group = str(Role(participant.role).label)
            counts[group] += 1
            name = _("%(group)s %(number)s") % {"group": group, "number": counts[group]}
            pseudonyms[participant.user_id] = name
            usernames[participant.user.get_username()] = name
        return cls(pseudonyms, usernames, letters)

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

    def masked(self, value: T) -> T:
        """`value` (the report's data: dicts, lists, strings) with each nation's code, in a
        key or a value, replaced by its delegation's letter when delegations are named: "HTI"
        and "HTI:2" (a move) become "C" and "C:2", a pair "DOM-HTI" "A-C" (in the letters'
        order, as pairs are written), and a list of nations is put in the letters' order, not
        the scenario's. Texts are kept as written."""
        if self._code is None:
            return value
        if isinstance(value, dict):
            return {self.masked(key): self.masked(item) for key, item in value.items()}  # type: ignore[return-value]
        if isinstance(value, list):
            masked = [self.masked(item) for item in value]
            if value and all(isinstance(item, str) and item in self.letters for item in value):
                return sorted(masked)  # type: ignore[return-value]  # not the scenario's order
            return masked  # type: ignore[return-value]
        if isinstance(value, str) and re.fullmatch(r"[A-Z]{3}(?:[-:][A-Z0-9]+)*", value):
            masked = self._code.sub(lambda found: self.letters[found.group(1)], value)
            pair = masked.split("-")
            if len(pair) == 2 and set(pair) <= set(self.letters.values()):
                return "-".join(sorted(pair))  # type: ignore[return-value]
            return masked  # type: ignore[return-value]
        return value


def delegation(letter: str) -> str:
    return _("Delegation %(letter)s") % {"letter": letter}


def delegation_letters(exercise: Exercise) -> dict[str, str]:
    """Each nation of the exercise with its delegation's letter: A, B, C… (AA, AB… past Z)
    dealt in an order drawn from the exercise's code and seed, the same for every copy."""
    codes = sorted(exercise.teams.values_list("nation_code", flat=True))
    random.Random(f"{exercise.code}:{exercise.seed}").shuffle(codes)
    letters = string.ascii_uppercase
    return {
        code: letters[n] if n < len(letters) else letters[n // 26 - 1] + letters[n % 26]
        for n, code in enumerate(codes)
    }


def names_for(
    exercise: Exercise,
    *,
    anonymous: bool,
    delegations: bool = False,
    participants: Iterable[Participant] | None = None,
) -> Names:
    """The report's names for the exercise (one query when anonymised, none otherwise or when
    its `participants` are given, with their user and team, in seat order); `delegations`
    (anonymised only) names delegations instead of nations."""
    if not anonymous:
        return Names()
    if participants is None:
        participants = (
            Participant.objects.filter(exercise_id=exercise.pk)
            .select_related("user", "team")
            .order_by("pk")
        )
    letters = delegation_letters(exercise) if delegations else None
    return Names.anonymised(participants, letters)
