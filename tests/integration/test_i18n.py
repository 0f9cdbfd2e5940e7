def test_spanish_is_the_default(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'lang="es"' in page and "Contraseña" in page


def test_english_is_available_and_remembered(client):
    page = client.get("/login?lang=en").get_data(as_text=True)
    assert 'lang="en"' in page and "Password" in page and "Log in" in page
    # the choice sticks for the rest of the session
    assert "Password" in client.get("/login").get_data(as_text=True)


def test_browser_language_is_honoured(client):
    page = client.get("/login", headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(
        as_text=True
    )
    assert "Password" in page


def test_unknown_language_falls_back_to_spanish(client):
    page = client.get("/login?lang=xx", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Contraseña" in page


def test_the_new_account_form_names_the_roles_in_the_page_language(client, auth):
    auth.login("admin")
    english = client.get("/admin/users/new?lang=en").get_data(as_text=True)
    assert 'lang="en"' in english
    assert "Table facilitation" in english and "Facilitación de mesa" not in english
