"""The room's address: which of this laptop's addresses the phones in the hall should use.

On the day one laptop is the server and a venue access point is the network. A page opened on
the laptop itself comes in on 127.0.0.1, and a QR code made from that address opens nothing on
a phone. So every printed URL is built on the *room address*: ``PUBLIC_URL`` when it is set,
else the address the request came in on when it is not loopback, else the best LAN address of
this machine (all interfaces, read with ``ifaddr``; an access point with no default route still
counts). Only when the laptop has no LAN address at all does a loopback address stay, and then
the pages say so (``RoomAddress.warning``).

How phones are counted: each process counts the sockets it holds (``presence``); with several
processes (a national set-up) each page shows its own process's count.
"""

import ipaddress
import threading
import time
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import ifaddr

# Interfaces that are not the hall's network: containers, VMs, VPN tunnels.
_VIRTUAL_PREFIXES = ("docker", "br-", "veth", "virbr", "vmnet", "vboxnet", "tun", "tap", "wg")
_WIRELESS_PREFIXES = ("wl", "wi-fi", "wifi", "wireless")
_CACHE_SECONDS = 10.0
_THIS_NETWORK = ipaddress.ip_network("0.0.0.0/8")


def is_loopback_host(host: str) -> bool:
    """True for localhost, 127.0.0.0/8 and ::1 (with or without brackets)."""
    name = (host or "").strip().strip("[]").lower()
    if name in {"localhost", "localhost.localdomain", ""}:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def rank_addresses(candidates: list[tuple[str, str]]) -> list[str]:
    """IPv4 addresses phones can reach, best first, from ``(interface, address)`` pairs.

    Loopback and link-local (169.254/16, no DHCP answered) are dropped. Private addresses come
    before public ones, wireless interfaces before wired, virtual interfaces last."""
    ranked = []
    for interface, address in candidates:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            continue
        if ip.version != 4 or ip.is_loopback or ip.is_link_local or ip.is_multicast:
            continue
        if ip.is_reserved or ip in _THIS_NETWORK:  # 0.0.0.0/8 and 240/4: never a host's
            continue
        name = interface.lower()
        virtual = name.startswith(_VIRTUAL_PREFIXES)
        wireless = name.startswith(_WIRELESS_PREFIXES)
        ranked.append((virtual, not ip.is_private, not wireless, ip.packed, str(ip)))
    return list(dict.fromkeys(entry[-1] for entry in sorted(ranked)))


def _read_interfaces() -> list[tuple[str, str]]:
    pairs = []
    for adapter in ifaddr.get_adapters():
        for ip in adapter.ips:
            if isinstance(ip.ip, str):  # IPv4 (IPv6 comes as a tuple)
                pairs.append((adapter.nice_name or adapter.name, ip.ip))
    return pairs


_cache: tuple[float, list[str]] = (0.0, [])
_cache_lock = threading.Lock()


def lan_addresses() -> list[str]:
    """This machine's LAN addresses, best first (re-read at most every 10 s: a laptop may
    change networks during the day)."""
    global _cache
    with _cache_lock:
        read_at, addresses = _cache
        if time.monotonic() - read_at > _CACHE_SECONDS:
            addresses = rank_addresses(_read_interfaces())
            _cache = (time.monotonic(), addresses)
        return list(addresses)


@dataclass(frozen=True)
class RoomAddress:
    base_url: str  # scheme://host[:port], no trailing slash
    source: str  # "configured" | "request" | "lan" | "loopback"
    others: tuple[str, ...] = ()  # the other LAN base URLs, for the network page

    @property
    def warning(self) -> bool:
        """Only loopback: no phone in the hall can open what is printed."""
        return self.source == "loopback"


def room_address(configured: str, host_url: str, addresses: list[str]) -> RoomAddress:
    """The base URL to print, from PUBLIC_URL (``configured``), the request's ``host_url``
    (e.g. ``http://127.0.0.1:5000/``) and the LAN ``addresses`` (best first). Pure."""
    parts = urlsplit(host_url)
    port = f":{parts.port}" if parts.port else ""
    lan = tuple(urlunsplit((parts.scheme, f"{a}{port}", "", "", "")) for a in addresses)
    if configured:
        return RoomAddress(configured.rstrip("/"), "configured", lan)
    if not is_loopback_host(parts.hostname or ""):
        return RoomAddress(host_url.rstrip("/"), "request", lan)
    if lan:
        return RoomAddress(lan[0], "lan", lan[1:])
    return RoomAddress(host_url.rstrip("/"), "loopback", ())


def _netloc(url: str) -> str:
    return urlsplit(url).netloc.lower()


def printed_elsewhere(printed_url: str | None, room: RoomAddress) -> bool:
    """True when what was printed on ``printed_url`` no longer reaches this server: its host
    and port are none of the room's addresses now (the laptop got another address, or the
    server another port). Pure."""
    if not printed_url:
        return False
    current = {_netloc(url) for url in (room.base_url, *room.others)}
    return _netloc(printed_url) not in current


class Presence:
    """Sockets connected to this process, by kind of credential (staff, table, ticket, board)."""

    def __init__(self) -> None:
        self._counts: Counter[str] = Counter()
        self._lock = threading.Lock()

    def joined(self, kind: str) -> None:
        with self._lock:
            self._counts[kind] += 1

    def left(self, kind: str) -> None:
        with self._lock:
            if self._counts[kind] > 0:
                self._counts[kind] -= 1

    def counts(self) -> dict[str, int]:
        with self._lock:
            return {kind: n for kind, n in self._counts.items() if n}


presence = Presence()
