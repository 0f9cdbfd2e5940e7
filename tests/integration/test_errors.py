from assembly.errors import Conflict, acknowledge


def test_404_is_a_spanish_page_in_the_layout(client):
    response = client.get("/no-existe")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "No encontrado" in page and "Volver al inicio" in page and 'class="topbar"' in page


def test_404_under_api_is_json(client):
    response = client.get("/api/no-existe")
    assert response.status_code == 404
    assert response.get_json()["ok"] is False


def test_405_is_explained(client):
    assert "no acepta esa acción" in client.put("/login").get_data(as_text=True)


def _fail_with(monkeypatch, error):
    from assembly.assemblies import services

    def broken(*_args):
        raise error

    monkeypatch.setattr(services, "list_assemblies", broken)


def test_unexpected_error_is_a_500_page_that_hides_details(client, auth, monkeypatch, caplog):
    auth.login("admin")
    _fail_with(monkeypatch, RuntimeError("kaput"))
    response = client.get("/assemblies/")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Algo falló de nuestro lado" in page and "kaput" not in page
    assert "kaput" in caplog.text


def test_domain_error_becomes_page_or_json(client, auth, monkeypatch):
    auth.login("admin")
    _fail_with(monkeypatch, Conflict("Ya existe."))
    response = client.get("/assemblies/")
    assert response.status_code == 409 and "Ya existe." in response.get_data(as_text=True)
    response = client.get("/assemblies/", headers={"Accept": "application/json"})
    assert response.get_json() == {
        "ok": False,
        "error": "Ya existe.",
        "code": "conflict",
        "retry": False,
        "fields": {},
    }


def test_domain_error_becomes_a_socket_acknowledgement(app):
    @acknowledge
    def handler(ok):
        if not ok:
            raise Conflict("No se puede dos veces.")
        return {"id": 7}

    with app.test_request_context():
        assert handler(True) == {"ok": True, "id": 7}
        assert handler(False) == {
            "ok": False,
            "error": "No se puede dos veces.",
            "code": "conflict",
            "retry": False,
            "fields": {},
        }
