"""Pure rules of the desk: reading what a scanner typed, searches, arrival buckets."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from assembly.desk import domain

TOKEN = "Zm9vYmFyYmF6cXV4cXV1eF9hbmQtbW9yZS10ZXh0LWhlcmU"[:43]
BOGOTA = ZoneInfo("America/Bogota")


@pytest.mark.parametrize(
    "text",
    [
        TOKEN,
        f"  {TOKEN}\n",
        f"http://192.168.0.10:5000/t/{TOKEN}",
        f"https://asamblea.example.org/t/{TOKEN}",
        f"/t/{TOKEN}.png",
        f"http://h/t/{TOKEN}?utm=x",
        f"http://h/t/{TOKEN}#top",
    ],
)
def test_parse_ticket_text_finds_the_token(text):
    assert domain.parse_ticket_text(text) == TOKEN


@pytest.mark.parametrize(
    "text", [None, "", "   ", "Ana María", "12345678", "http://h/t/", "http://h/x/" + TOKEN,
             "http://h/t/abc", TOKEN + " extra", "A" * 65]
)  # fmt: skip
def test_parse_ticket_text_refuses_everything_else(text):
    assert domain.parse_ticket_text(text) is None


def test_a_scanner_typing_on_a_spanish_keyboard_layout_is_understood():
    token = "Ab-c_D" + "x" * 37
    typed = "httpÑ--192.168.0.10Ñ5000-t-" + token.replace("-", "'").replace("_", "?")
    assert domain.parse_ticket_text(typed) == token
    assert domain.looks_like_ticket(typed)


def test_looks_like_ticket_tells_scans_from_searches():
    assert domain.looks_like_ticket(f"http://h/t/{TOKEN}")
    assert domain.looks_like_ticket(TOKEN)
    assert not domain.looks_like_ticket("Ana María Gómez")
    assert not domain.looks_like_ticket("1122334455")


def test_desk_names_are_trimmed_and_bounded():
    assert domain.clean_desk_name("  Mesa   1 ") == "Mesa 1"
    assert domain.clean_desk_name("   ") is None
    assert domain.clean_desk_name(None) is None
    assert len(domain.clean_desk_name("x" * 100)) == domain.DESK_NAME_MAX


def test_search_words_and_document_prefix():
    assert domain.search_words("  JOSÉ  ángel-Muñoz ") == ["jose", "angel", "munoz"]
    assert domain.document_prefix("1.122.334") == "1122334"
    assert domain.document_prefix("pe 123") == "PE123"
    assert domain.document_prefix("12") is None
    assert domain.document_prefix("maria") is None
    assert domain.document_prefix("12%3") is None


def test_mask_document():
    assert domain.mask_document("52123456") == "•••456"
    assert domain.mask_document("12") == "•••"
    assert domain.mask_document(None) == "•••"


def test_local_time_is_bogota():
    assert domain.local_hhmm(datetime(2026, 3, 14, 13, 5), BOGOTA) == "08:05"
    assert domain.local_hhmm(None, BOGOTA) == ""


def test_arrival_buckets_cover_two_hours_aligned_to_the_clock():
    now = datetime(2026, 3, 14, 13, 7, 30)  # 08:07:30 in Bogotá
    times = [
        now,  # 08:05 bucket
        now - timedelta(minutes=2, seconds=31),  # 08:04:59 -> 08:00
        now - timedelta(minutes=2, seconds=30),  # 08:05:00 -> 08:05
        now - timedelta(minutes=117, seconds=30),  # 06:10:00: the first bucket
        now - timedelta(minutes=117, seconds=31),  # 06:09:59: outside
        now + timedelta(minutes=10),  # the future (a clock skew): ignored
        None,
    ]
    buckets = domain.arrival_buckets(times, now, BOGOTA)
    assert len(buckets) == 24
    assert buckets[0] == {"start": "06:10", "count": 1}
    assert buckets[-1] == {"start": "08:05", "count": 2}
    assert buckets[-2] == {"start": "08:00", "count": 1}
    assert sum(b["count"] for b in buckets) == 4


def test_a_queued_scan_is_dated_by_its_age_on_the_server_clock():
    now = datetime(2026, 3, 14, 12, 0)
    assert domain.scan_time(now, 0) == now
    assert domain.scan_time(now, None) == now
    assert domain.scan_time(now, 90_000) == now - timedelta(seconds=90)
    assert domain.scan_time(now, -5) == now  # a desk clock gone backwards: now
    assert domain.scan_time(now, 10**12) == now - timedelta(days=1)  # capped


@pytest.mark.parametrize(
    ("prefix", "above"),
    [("123", "124"), ("129", "13"), ("1999", "2"), ("12A", "12B"), ("AZ9", "B"), ("999", None)],
)
def test_prefix_upper_bound_is_the_first_text_after_every_match(prefix, above):
    assert domain.prefix_upper_bound(prefix) == above
    if above is not None:
        for match in (prefix, prefix + "0", prefix + "99999", prefix + "ZZ"):
            assert prefix <= match < above
