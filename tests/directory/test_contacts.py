"""/contact/: every mutuality's TNW contact (seed 001), without a log-in, in NL, FR and DE."""

from __future__ import annotations

import pytest

from tnw.dossier.demo import ensure_reference_data

pytestmark = pytest.mark.django_db

SEED_001 = [
    ("Vlaams & Neutraal Ziekenfonds", "terugnaarwerk@vnz.be", "+32 (0)3 491 09 88"),
    ("La Mutualité Neutre", "crat@lamn.be", "+32 (0)71 20 53 73"),
    ("Mutualia", "rsp@mutualia.be", "+32 (0)87 32 06 38"),
    ("Mutualia", "rsp_bxl@mutualia.be", "+32 (0)2 743 16 54"),
    ("Neutraal Ziekenfonds Vlaanderen", "terugnaarwerk@nzvl.be", "+32 (0)53 422 999"),
]


@pytest.mark.parametrize(
    ("language", "title", "brussels"),
    [("nl", "contact met uw ziekenfonds", "Brussel"),
     ("fr", "contactez votre mutualité", "Bruxelles"),
     ("de", "Kontakt zu Ihrer Krankenkasse", "Brüssel")],
)  # fmt: skip
def test_the_directory_without_log_in(client, language, title, brussels):
    ensure_reference_data()
    response = client.get("/contact/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    page = response.content.decode()
    assert title in page and brussels in page and "Verviers" in page
    for name, email, phone in SEED_001:
        assert name.replace("&", "&amp;") in page and email in page and phone in page


def test_a_contact_changed_in_the_admin_shows_at_once(client, users):
    mutuality = ensure_reference_data()
    admin = users["admin"]
    client.force_login(admin)
    contact = mutuality.contacts.get()
    url = f"/admin/mutualities/mutuality/{mutuality.pk}/change/"
    form = client.get(url)
    assert form.status_code == 200
    contact.email = "nieuw@vnz.be"
    contact.save()
    client.logout()
    assert "nieuw@vnz.be" in client.get("/contact/").content.decode()
