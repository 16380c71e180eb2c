"""The web layer: the exercise's pages, their HTMX regions, the pulse and the health checks.

It sits on top: it calls the services of every layer below and nothing below imports it.
"""
