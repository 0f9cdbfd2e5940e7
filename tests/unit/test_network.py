"""The room's address (issue 13.1): which address phones get, from interfaces shaped like real
laptops' (Wi-Fi on an access point with no default route, docker bridges, link-local)."""

from urllib.parse import urlsplit

from hypothesis import given
from hypothesis import strategies as st

from assembly.core.network import (
    Presence,
    is_loopback_host,
    printed_elsewhere,
    rank_addresses,
    room_address,
)

LAPTOP = [
    ("lo", "127.0.0.1"),
    ("docker0", "172.17.0.1"),
    ("enp0s31f6", "169.254.10.3"),  # cable in, no DHCP answered
    ("wlp2s0", "192.168.0.104"),  # the venue's access point
    ("br-5a1b", "172.18.0.1"),
]


def test_the_wifi_address_comes_first_and_loopback_link_local_and_bridges_last_or_never():
    assert rank_addresses(LAPTOP) == ["192.168.0.104", "172.17.0.1", "172.18.0.1"]
    assert rank_addresses([("lo", "127.0.0.1"), ("eth0", "169.254.1.1")]) == []
    wired_and_wifi = [("eth0", "10.0.0.5"), ("wlan0", "10.0.0.6"), ("eth0", "10.0.0.5")]
    assert rank_addresses(wired_and_wifi) == ["10.0.0.6", "10.0.0.5"]
    assert rank_addresses([("eth0", "200.1.2.3"), ("eth1", "10.1.1.1")]) == [
        "10.1.1.1",
        "200.1.2.3",
    ]


def test_loopback_hosts():
    for host in ("localhost", "127.0.0.1", "127.1.2.3", "::1", "[::1]", "LOCALHOST"):
        assert is_loopback_host(host)
    for host in ("192.168.1.10", "asamblea.local", "10.0.0.1", "fd00::2"):
        assert not is_loopback_host(host)


def test_a_laptop_opened_at_127_prints_its_lan_address_with_the_same_port():
    room = room_address("", "http://127.0.0.1:5000/", ["192.168.0.104", "10.8.0.2"])
    assert (room.base_url, room.source, room.warning) == ("http://192.168.0.104:5000", "lan", False)
    assert room.others == ("http://10.8.0.2:5000",)


def test_the_request_address_is_kept_when_phones_can_reach_it_and_the_setting_wins():
    assert room_address("", "http://192.168.0.104:5000/", ["10.0.0.1"]).base_url == (
        "http://192.168.0.104:5000"
    )
    assert room_address("", "https://asamblea.local/", []).source == "request"
    configured = room_address("http://192.168.1.10:8000/", "http://127.0.0.1:5000/", ["10.0.0.1"])
    assert (configured.base_url, configured.source) == ("http://192.168.1.10:8000", "configured")


def test_only_loopback_warns():
    room = room_address("", "http://localhost/", [])
    assert room.warning and room.base_url == "http://localhost"


ipv4 = st.ip_addresses(v=4).map(str)


@given(
    host=st.sampled_from(["127.0.0.1", "localhost", "[::1]", "127.0.1.1"]),
    port=st.one_of(st.none(), st.integers(1, 65535)),
    interfaces=st.lists(st.tuples(st.sampled_from(["lo", "eth0", "wlan0", "docker0"]), ipv4)),
)
def test_no_printed_url_is_loopback_while_a_lan_address_exists(host, port, interfaces):
    addresses = rank_addresses(interfaces)
    host_url = f"http://{host}{f':{port}' if port else ''}/"
    room = room_address("", host_url, addresses)
    assert room.warning == (not addresses)
    if addresses:
        assert not is_loopback_host(urlsplit(room.base_url).hostname)
        assert room.base_url.endswith(f":{port}" if port else addresses[0])


def test_presence_counts_by_kind_and_never_below_zero():
    presence = Presence()
    presence.joined("table_code")
    presence.joined("table_code")
    presence.joined("board")
    presence.left("board")
    presence.left("board")
    assert presence.counts() == {"table_code": 2}


def test_printouts_on_an_address_the_laptop_no_longer_has_are_found():
    now = room_address("", "http://127.0.0.1:5000/", ["192.168.1.23", "10.0.0.5"])
    assert printed_elsewhere("http://192.168.1.10:5000", now)  # the laptop got another address
    assert printed_elsewhere("http://192.168.1.23:8000", now)  # the server another port
    assert not printed_elsewhere("http://192.168.1.23:5000", now)
    assert not printed_elsewhere("http://10.0.0.5:5000", now)  # still one of its addresses
    assert not printed_elsewhere(None, now) and not printed_elsewhere("", now)
    via_name = room_address("", "http://asamblea.local:5000/", ["192.168.1.10"])
    assert not printed_elsewhere("http://192.168.1.10:5000", via_name)
    configured = room_address("https://asamblea.org", "http://127.0.0.1:5000/", [])
    assert not printed_elsewhere("https://asamblea.org", configured)
