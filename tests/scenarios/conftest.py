"""What the scenario tests share: an author, a staff account signed in."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client


def staff_client(username: str) -> Client:
    """A client signed in as a new staff account (an author or a facilitator)."""
    client = Client()
    client.force_login(get_user_model().objects.create_user(username, is_staff=True))
    return client


@pytest.fixture
def author(db: None) -> Client:
    return staff_client("author")
