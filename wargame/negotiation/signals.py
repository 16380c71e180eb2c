"""What negotiation announces to the layers above it, which it must not import."""

from django.dispatch import Signal

# A proposal, or a new round of one, waits for its parties' answers; sent inside the
# transaction that made it. Bot nations answer once that transaction commits.
answers_awaited = Signal()  # kwargs: proposal
