"""Accounts: signing in, and the invitation links and join codes that seat players and
evaluators in an exercise."""
