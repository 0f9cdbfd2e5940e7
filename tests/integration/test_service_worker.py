"""The service worker's script and offline page (issue 13.3b)."""

import json


def test_the_worker_is_served_from_the_root_uncached_with_its_release(app, client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["Service-Worker-Allowed"] == "/"
    head, _, rest = response.get_data(as_text=True).partition("\n")
    assert head.startswith("self.ASSEMBLY = ") and head.endswith(";")
    settings = json.loads(head.removeprefix("self.ASSEMBLY = ").removesuffix(";"))
    release = app.config["STATIC_RELEASE"]
    assert settings["release"] == release
    assert settings["offline"] == "/offline"
    assert f"/static/{release}/css/app.css" in settings["precache"]
    assert all(url.startswith(f"/static/{release}/") for url in settings["precache"])
    assert 'addEventListener("fetch"' in rest
    # every URL kept at install answers
    for url in settings["precache"]:
        assert client.get(url).status_code == 200, url


def test_the_offline_page_needs_no_account_and_says_what_is_safe(client):
    response = client.get("/offline")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Sin conexión con el servidor" in html
    assert "está guardado en este equipo" in html
    assert "<script>" not in html


def test_the_shell_pages_boot_the_shell_screen(client, make_assembly):
    response = client.get("/mesa")
    assert response.status_code == 200
    assert "js/screens/shell.js" in response.get_data(as_text=True)
