def test_anonymous_socket_is_refused(socket_client):
    sio = socket_client()
    assert not sio.is_connected()


def test_staff_socket_joins_an_assembly_and_gets_a_snapshot(
    socket_client, auth, make_assembly, make_attendee
):
    auth.login("moderator")
    assembly = make_assembly()
    make_attendee(assembly)
    sio = socket_client()
    assert sio.is_connected()
    ack = sio.emit("join_assembly", {"assembly_id": assembly.id}, callback=True)
    assert ack == {
        "ok": True,
        "state": {"assembly_id": assembly.id, "status": "draft", "registered": 1, "checked_in": 0},
        "rev": 0,
        "seq": {f"assembly:{assembly.id}": 0},
    }


def test_unknown_assembly_is_a_clear_acknowledgement(socket_client, auth):
    auth.login("moderator")
    ack = socket_client().emit("join_assembly", {"assembly_id": 999}, callback=True)
    assert ack == {
        "ok": False,
        "error": "La asamblea no existe.",
        "code": "not_found",
        "retry": False,
        "fields": {},
    }


def test_status_change_is_broadcast_to_the_assembly_room(
    socket_client, auth, client, make_assembly
):
    auth.login("admin")
    assembly, other = make_assembly(), make_assembly()
    watcher = socket_client()
    watcher.emit("join_assembly", {"assembly_id": assembly.id}, callback=True)
    watcher.get_received()
    client.post(f"/assemblies/{other.id}/status", data={"status": "open"})
    assert watcher.get_received() == []  # not this assembly's room
    client.post(f"/assemblies/{assembly.id}/status", data={"status": "live"})
    events = watcher.get_received()
    assert [(e["name"], e["args"][0]) for e in events] == [
        (
            "assembly_changed",
            {
                "assembly_id": assembly.id,
                "status": "live",
                "rev": 1,
                "room": f"assembly:{assembly.id}",
                "seq": 1,
            },
        )
    ]


def test_a_registered_credential_lets_a_phone_connect(app, socket_client):
    from assembly.auth.events import _CHECKERS, credential

    @credential("test_code")
    def check(value):
        return {"assembly_id": 1} if value == "OK" else None

    try:
        assert socket_client(auth={"test_code": "OK"}).is_connected()
        assert not socket_client(auth={"test_code": "NO"}).is_connected()
        assert not socket_client(auth={"unknown": "OK"}).is_connected()
    finally:
        _CHECKERS.pop("test_code")
