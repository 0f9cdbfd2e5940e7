"""The websocket frame a browser sends, for the raw board screens of the storm test and the
room and pieces benchmarks (a full client costs the load generator more than the server)."""

import os


def client_frame(text: str) -> bytes:
    """A masked websocket text frame (what a browser sends)."""
    data, mask = text.encode(), os.urandom(4)
    size = (
        bytes([0x80 | len(data)])
        if len(data) < 126
        else bytes([0xFE]) + len(data).to_bytes(2, "big")
    )
    return b"\x81" + size + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data))
