"""A person who changes mutuality (issue 16): the dossier moves with them at a date, its
timeline stays identical, nothing is rewritten, the assignments end, the new mutuality's
managers are told, and only the new mutuality reaches the dossier afterwards."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.conftest import TODAY
from tnw.audit.models import AuditEntry
from tnw.dossier import selectors
from tnw.dossier.errors import NotFound
from tnw.dossier.models import Episode, Person, Registration
from tnw.notifications.models import OutboxMessage
from tnw.transfers.models import MutualityTransfer
from tnw.transfers.services import transfer, transfers_of


def _timeline(user, person_id):
    dossier = selectors.get_dossier(user=user, person_id=person_id, today=TODAY)
    episode = dossier["episodes"][0]
    return (
        [(r["id"], r["type"], r["date"]) for r in episode["registrations"]],
        [(o["code"], o["opens"], o["due"], o["status"]) for o in episode["obligations"]],
        episode["presumptions"],
    )


@pytest.fixture
def moved(ziv_episode, coordinator, outsiders):
    manager = outsiders["manager"]
    manager.email = "manager@other.example"
    manager.save()
    before = _timeline(coordinator, ziv_episode.person_id)
    record = transfer(
        user=coordinator, person_id=ziv_episode.person_id, to_code="216", on=D_MOVE,
        reason="the person joined La Mutualité Neutre", today=TODAY,
    )  # fmt: skip
    return {"before": before, "record": record, "episode": ziv_episode}


D_MOVE = date(2026, 11, 20)


def test_the_timeline_is_identical_and_nothing_is_rewritten(moved, outsiders) -> None:
    registrations = Registration.objects.filter(episode=moved["episode"]).count()
    after = _timeline(outsiders["coordinator"], moved["episode"].person_id)
    assert after == moved["before"]
    assert Registration.objects.filter(episode=moved["episode"]).count() == registrations


def test_the_assignments_end_and_the_new_managers_are_told(moved, outsiders) -> None:
    episode = Episode.objects.get(pk=moved["episode"].pk)
    assert (episode.coordinator_id, episode.advising_physician_id) == (None, None)
    assert moved["record"].episodes_unassigned == [episode.pk]
    notice = OutboxMessage.objects.get(key__startswith="transfer:")
    assert notice.to == "manager@other.example" and f"TNW-{episode.person_id}" in notice.subject


def test_only_the_new_mutuality_reaches_the_dossier(moved, users, outsiders) -> None:
    person_id = moved["episode"].person_id
    for role in ("coordinator", "advising_physician", "staff"):
        with pytest.raises(NotFound):
            selectors.get_dossier(user=users[role], person_id=person_id, today=TODAY)
    assert selectors.get_dossier(user=outsiders["advising_physician"], person_id=person_id,
                                 today=TODAY)["person"]["id"] == person_id  # fmt: skip
    # Both managers see the record of the move (a dossier number and a date, no identity).
    for manager in (users["manager"], outsiders["manager"]):
        assert [t.person_id for t in transfers_of(user=manager)] == [person_id]


def test_the_audit_stays_linked_to_the_person(moved) -> None:
    person_id = moved["episode"].person_id
    entries = AuditEntry.objects.filter(person_id=person_id)
    assert entries.filter(object_type="transfers.mutualitytransfer").count() == 1
    assert entries.filter(object_type="dossier.registration").exists()  # from before the move


def test_a_person_the_other_mutuality_already_has_is_refused_and_nothing_stored(
    ziv_episode, coordinator, outsiders
) -> None:
    Person.objects.create(
        mutuality=outsiders["coordinator"].mutuality, insz=ziv_episode.person.insz,
        number_kind="nn", first_name="Jan", last_name="Peeters", language="nl",
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        transfer(user=coordinator, person_id=ziv_episode.person_id, to_code="216", on=D_MOVE,
                 reason="the person joined La Mutualité Neutre", today=TODAY)  # fmt: skip
    assert refused.value.code == "duplicate"
    assert not MutualityTransfer.objects.exists()
    assert Episode.objects.get(pk=ziv_episode.pk).coordinator_id == coordinator.pk


def test_the_command_moves_and_says_why_it_cannot(ziv_episode, coordinator, other_mutuality):
    with pytest.raises(CommandError) as failed:
        call_command(
            "transfer", str(ziv_episode.person_id), "--to", "999", "--on", "2026-11-20",
            "--reason", "joined another fund", "--as", "coordinator",
        )  # fmt: skip
    assert "no mutuality with code 999" in str(failed.value)
    call_command("transfer", str(ziv_episode.person_id), "--to", "216", "--on", "2026-11-20",
                 "--reason", "joined another fund", "--as", "coordinator")  # fmt: skip
    assert Person.objects.get(pk=ziv_episode.person_id).mutuality_id == other_mutuality.pk


def test_the_screen_moves_the_dossier_and_says_why_it_cannot(
    settings, ziv_episode, coordinator, outsiders
) -> None:
    from django.test import Client

    settings.TNW_TODAY = TODAY
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(coordinator)
    url = f"/transfers/people/{ziv_episode.person_id}/"
    refused = client.post(url, {"to": "216", "on": "20/11/2026", "reason": "court"})
    assert refused.status_code == 400
    assert "Donnez la raison en au moins 10 caractères." in refused.content.decode()
    moved = client.post(url, {"to": "216", "on": "20/11/2026", "reason": "affilié ailleurs"})
    assert moved.status_code == 302
    assert Person.objects.get(pk=ziv_episode.person_id).mutuality.code == "216"
    manager = Client(HTTP_ACCEPT_LANGUAGE="nl")
    manager.force_login(outsiders["manager"])
    html = manager.get("/transfers/").content.decode()
    assert f"TNW-{ziv_episode.person_id}" in html and "20/11/2026" in html
