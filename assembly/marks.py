"""``N_``: marks a Spanish label for the catalog without translating it (pybabel's default
keyword). Pure data modules (domains, choice lists) mark their labels with it; the screens
translate them where they show them (``_(label)``), while stored codes and the official Excel
reports keep the Spanish."""


def N_(text: str) -> str:
    """``text`` itself; pybabel extracts it into the catalog."""
    return text
