"""What the exercise layer announces to the layers above it, which it must not import."""

from django.dispatch import Signal

# Every team of `exercise` has said it is ready; sent inside the transaction that said so.
# The turn cycle closes the turn once that transaction commits.
all_teams_ready = Signal()  # kwargs: exercise
