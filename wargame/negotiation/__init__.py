"""Negotiation between nations: proposals and their rounds, agreements, channels and messages.
It builds on the exercise's state and is never imported by it."""
