"""The exercise's state: exercises, teams, participants, injects and moves; who may see what
(access); the event log and the pulse that tells pages what changed."""
