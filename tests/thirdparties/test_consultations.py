"""Third parties (circular II 2.2.1, IV 4.2): a consultation only under the person's consent for
that party and purpose on that day; only what the purpose needs is shared; health findings go
only to the treating physician, from the advising physician; everything audited."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from tests.conftest import TODAY
from tnw.audit.models import AuditEntry
from tnw.thirdparties import services
from tnw.thirdparties.models import Consultation, Party

D = date
OCTOBER_1 = date(2026, 10, 1)


@pytest.fixture
def vdab(db):
    return Party.objects.get(kind="regional_service", name__startswith="VDAB")


def consult(user, episode, party, on, purpose="guidance", shared=("identity", "career")):
    return services.register_consultation(
        user=user, episode_id=episode.pk, party_id=party.pk, on=on, mode="phone",
        purpose=purpose, shared=shared, today=TODAY,
    )  # fmt: skip


def consent(user, episode, party, purposes=("guidance",), on=OCTOBER_1):
    return services.give_consent(
        user=user, episode_id=episode.pk, party_id=party.pk, purposes=purposes, given_on=on,
        form_reference="ANNEX-III-0042", today=TODAY,
    )  # fmt: skip


def test_the_regional_services_are_reference_data_in_three_languages(db) -> None:
    services_ = Party.objects.filter(kind="regional_service").order_by("name")
    assert [p.name.split(" ")[0] for p in services_] == [
        "ADG", "Actiris", "Bruxelles", "Le", "VDAB",
    ]  # fmt: skip
    adg = services_.get(name__startswith="ADG")
    assert adg.name_in("de") == "ADG (Arbeitsamt der Deutschsprachigen Gemeinschaft)"
    assert adg.name_in("fr").startswith("ADG (Office de l'emploi")


def test_without_consent_a_consultation_is_refused(episode, coordinator, vdab) -> None:
    with pytest.raises(ValidationError) as refused:
        consult(coordinator, episode, vdab, D(2026, 10, 15))
    assert refused.value.code == "no_consent"
    assert not Consultation.objects.exists()


def test_the_consent_covers_its_party_purpose_and_period(episode, coordinator, vdab) -> None:
    given = consent(coordinator, episode, vdab)  # guidance, from 01/10/2026
    assert consult(coordinator, episode, vdab, D(2026, 10, 15)).consent_id == given.pk
    for on, purpose in ((D(2026, 9, 30), "guidance"), (D(2026, 10, 15), "plan")):
        with pytest.raises(ValidationError) as refused:
            consult(coordinator, episode, vdab, on, purpose=purpose)
        assert refused.value.code == "no_consent"
    services.withdraw_consent(
        user=coordinator, episode_id=episode.pk, consent_id=given.pk, on=D(2026, 11, 1),
        today=TODAY,
    )  # fmt: skip
    assert consult(coordinator, episode, vdab, D(2026, 10, 31)).on == D(2026, 10, 31)
    with pytest.raises(ValidationError):  # from the day of the withdrawal
        consult(coordinator, episode, vdab, D(2026, 11, 1))
    assert Consultation.objects.count() == 2
    withdrawn = AuditEntry.objects.get(object_type="thirdparties.partyconsent", action="update")
    assert withdrawn.person_id == episode.person_id


def test_only_what_the_purpose_needs_is_shared(episode, coordinator, vdab) -> None:
    consent(coordinator, episode, vdab)
    with pytest.raises(ValidationError) as refused:
        consult(coordinator, episode, vdab, D(2026, 10, 15), shared=("plan", "health_findings"))
    assert refused.value.code == "shared"


def test_findings_go_to_the_treating_physician_only_from_the_advising_physician(
    episode, coordinator, physician, vdab
) -> None:
    doctor = services.add_personal_party(
        user=coordinator, episode_id=episode.pk, kind="treating_physician", name="Dr. Janssens"
    )
    with pytest.raises(ValidationError):  # findings are not a purpose for the VDAB
        consent(coordinator, episode, vdab, purposes=("findings",))
    consent(coordinator, episode, doctor, purposes=("findings", "plan"))
    with pytest.raises(PermissionDenied):
        consult(coordinator, episode, doctor, D(2026, 10, 15), "findings", ("health_findings",))
    sent = consult(physician, episode, doctor, D(2026, 10, 15), "findings", ("health_findings",))
    entry = AuditEntry.objects.get(object_type="thirdparties.consultation", object_id=sent.pk)
    assert entry.medical and entry.person_id == episode.person_id


def test_another_mutualitys_provider_and_persons_parties_cannot_be_named(
    episode, coordinator, other_mutuality
) -> None:
    theirs = Party.objects.create(kind="provider", name="Their jobcoach", mutuality=other_mutuality)
    with pytest.raises(ValidationError) as refused:
        consent(coordinator, episode, theirs)
    assert refused.value.code == "party"


def test_the_screen_registers_a_consent_and_refuses_a_consultation_without_one(
    settings, episode, coordinator, vdab
) -> None:
    settings.TNW_TODAY = TODAY
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(coordinator)
    url = f"/third-parties/episodes/{episode.pk}/"
    page = client.post(url, {
        "form": "consultation", "consultation-party": vdab.pk, "consultation-on": "15/10/2026",
        "consultation-mode": "phone", "consultation-purpose": "guidance",
        "consultation-shared": ["identity"],
    })  # fmt: skip
    assert page.status_code == 400
    assert "La personne n&#x27;a pas consenti" in page.content.decode()
    page = client.post(url, {
        "form": "consent", "consent-party": vdab.pk, "consent-purposes": ["guidance"],
        "consent-given_on": "01/10/2026", "consent-form_reference": "ANNEX-III-9",
    })  # fmt: skip
    assert page.status_code == 302
    assert "Office flamand" in client.get(url).content.decode()


def test_the_screen_leads_the_coordinator_to_the_consent_form_that_names_the_parties(
    settings, consented_episode, coordinator, physician, vdab
) -> None:
    settings.TNW_TODAY = TODAY
    consent(coordinator, consented_episode, vdab)
    url = f"/third-parties/episodes/{consented_episode.pk}/"
    issue = f"/documents/episodes/{consented_episode.pk}/issue/annex_iii/"
    client = Client(HTTP_ACCEPT_LANGUAGE="de")
    client.force_login(coordinator)
    html = client.get(url).content.decode()
    assert f'href="{issue}"' in html and "Zustimmungsformular (Anlage III) mit diesen" in html
    assert client.get(issue).status_code == 200
    physician_client = Client(HTTP_ACCEPT_LANGUAGE="de")
    physician_client.force_login(physician)  # the physician does not issue Annex III
    assert issue not in physician_client.get(url).content.decode()
