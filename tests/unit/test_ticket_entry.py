"""What a person pastes on a vote or survey entry page becomes the ticket's token."""

import pytest

from assembly.registration.ticket_entry import ticket_token_from


@pytest.mark.parametrize(
    ("pasted", "token"),
    [
        ("http://192.168.1.10:5000/t/AbC_123-xyz", "AbC_123-xyz"),
        ("  https://asamblea.example/t/AbC123/votar?x=1#top ", "AbC123"),
        ("http://192.168.1.10/t/AbC123.png", "AbC123"),
        ("AbC123", "AbC123"),
        ("", ""),
        ("x" * 200, "x" * 64),
    ],
)
def test_the_token_comes_from_the_link_or_the_bare_code(pasted, token):
    assert ticket_token_from(pasted) == token
