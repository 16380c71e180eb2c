"""What the turn cycle announces to the web layer above it, which it must not import."""

from django.dispatch import Signal

# A worker closed a turn (and, in automatic mode, published it and opened the next); sent
# after the commit, so that the teams' rooms can be rendered ahead of their players.
turn_closed = Signal()  # kwargs: exercise_id
