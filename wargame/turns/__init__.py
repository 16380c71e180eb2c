"""The turn cycle: opening, closing, adjudication, bots, the clock and its Celery tasks.

It sits above the exercise's state (wargame/exercises) and negotiation (wargame/negotiation),
which it reads and changes through their services, and below the web layer (wargame/web).
"""
