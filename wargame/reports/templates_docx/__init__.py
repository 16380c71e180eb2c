"""The Word template of the after-action report, and the script that builds it."""
