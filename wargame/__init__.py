"""Cumbre: tabletop exercises on defense diplomacy in Latin America.

The Celery application is loaded by the exercises app when Django starts (not here), so that
importing the rules engine, `wargame.engine`, pulls in neither Celery nor Django.
"""
