"""The sanction procedure's letters (law of 2023 and 2026): the invitation that states the
sanction, the registered letter with a new date, the notice of the reduction or suspension.
Made from the registered facts; the daily run prints each once (reruns and the next days add
none); the rate and the law cited follow the dates (hand-computed below)."""

from __future__ import annotations

import subprocess
from datetime import date

from tests.conftest import TODAY, open_episode, register
from tests.documents.conftest import sanction_steps
from tests.worklists.conftest import new_person
from tnw.documents import batch as printing
from tnw.documents import selectors, services
from tnw.documents.models import IssuedDocument, PrintItem
from tnw.worklists.daily import run_daily

D = date


def pdftotext(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return " ".join(out.stdout.decode().replace("\u00a0", " ").split())


def _printed(day: date) -> list[tuple[str, str]]:
    return sorted(PrintItem.objects.filter(day=day).values_list("kind", "key"))


def test_the_daily_run_prints_each_letter_once(episode, physician, users):
    sanction_steps(physician, episode, mode="video")
    # 14-9: the invitation of 1-9 (in the catch-up window); the letter of 17-9 is not yet.
    run_daily(today=D(2026, 9, 14))
    assert [k for k, _ in _printed(D(2026, 9, 14))] == ["sanction_invitation"]
    run_daily(today=D(2026, 9, 14))  # a rerun: nothing new
    run_daily(today=D(2026, 9, 15))  # the next day: the invitation is not printed again
    assert PrintItem.objects.count() == 1
    # 28-9: the registered letter of 17-9.
    run_daily(today=D(2026, 9, 28))
    assert [k for k, _ in _printed(D(2026, 9, 28))] == ["registered_letter"]
    # 10-10: the second absence (6-10) starts the reduction: its notice; 11-10: nothing new.
    run_daily(today=D(2026, 10, 10))
    run_daily(today=D(2026, 10, 11))
    assert [k for k, _ in _printed(D(2026, 10, 10))] == ["sanction_notice"]
    assert PrintItem.objects.count() == 3
    # Printed from the screen: the registered letter in Dutch (the person's language), on an
    # address page that says it is registered mail.
    batch = printing.send_batch(user=users["staff"], day=D(2026, 9, 28))
    text = pdftotext(bytes(batch.pdf))
    assert "AANGETEKEND" in text
    assert "Nieuwe datum 06/10/2026" in text and "medisch onderzoek" in text
    assert "van 15/09/2026" in text  # the missed appointment
    assert "met 10% verminderd vanaf 06/10/2026" in text  # law of 19-12-2025: 10%
    notice = printing.send_batch(user=users["staff"], day=D(2026, 10, 10))
    text = pdftotext(bytes(notice.pdf))
    assert "Vanaf 06/10/2026 wordt uw dagelijkse uitkering met 10% verminderd" in text
    assert "19-12-2025" in text and "1-1-2026" in text
    # Each letter stored once, by the daily run.
    assert IssuedDocument.objects.filter(issued_by=None).count() == 3 - 1  # invitation unprinted


def test_the_2023_law_reduces_by_2_5_percent(coordinator, physician):
    """Incapacity since 1-3-2025: the law of 2023 (2.5%), not the 2026 law, is cited."""
    person = new_person(coordinator, 401, street="Markt 2", postal_code="2000", city="Antwerpen")
    episode = open_episode(coordinator, person, D(2025, 3, 1), coordinator=coordinator,
                           advising_physician=physician)  # fmt: skip
    register(physician, episode, "invited", D(2025, 9, 1), appointment="first_contact",
             appointment_date="2025-09-15", mode="physical", sanction_stated=True)  # fmt: skip
    register(physician, episode, "absent", D(2025, 9, 15), appointment="first_contact",
             justified=False)  # fmt: skip
    register(physician, episode, "registered_letter_sent", D(2025, 9, 17),
             appointment="first_contact", new_date="2025-10-06")  # fmt: skip
    register(physician, episode, "absent", D(2025, 10, 6), appointment="first_contact",
             justified=False)  # fmt: skip
    register(physician, episode, "contacted_after_absence", D(2025, 10, 20),
             appointment="first_contact")  # fmt: skip
    for kind, expected in (
        ("sanction_invitation", "met 2,5% verminderd vanaf die nieuwe datum"),
        ("registered_letter", "met 2,5% verminderd vanaf 06/10/2026".replace("2026", "2025")),
        # Hand-computed: 2.5% from the second absence to the day before the contact.
        ("sanction_notice", "met 2,5% verminderd tot en met 19/10/2025"),
    ):
        document = services.issue(user=coordinator, episode_id=episode.pk, kind=kind,
                                  language="nl", today=TODAY)  # fmt: skip
        text = pdftotext(bytes(document.pdf))
        assert expected in text, (kind, text)
        assert "1-1-2023" in text and "19-12-2025" not in text
        assert "eerste contactmoment" in text and "Sofie Maes" in text  # the coordinator's


def test_2026_suspension_after_a_physical_examination(episode, physician):
    sanction_steps(physician, episode, mode="physical")
    document = services.issue(user=physician, episode_id=episode.pk, kind="sanction_notice",
                              language="fr", today=TODAY)  # fmt: skip
    text = pdftotext(bytes(document.pdf))
    assert "Suspension de votre indemnité" in text
    assert "À partir du 06/10/2026, votre indemnité journalière est suspendue" in text
    assert "loi du 19-12-2025" in text


def test_no_sanction_letter_before_2023(coordinator, physician):
    """An incapacity that started before 1-1-2023 is not covered: no letter is offered or
    printed, even when an invitation says so."""
    person = new_person(coordinator, 402)
    episode = open_episode(coordinator, person, D(2022, 6, 1), coordinator=coordinator,
                           advising_physician=physician)  # fmt: skip
    register(physician, episode, "invited", D(2022, 9, 1), appointment="medical_examination",
             appointment_date="2022-09-15", mode="video", sanction_stated=True)  # fmt: skip
    offered = {k.code for k in selectors.offered_kinds(user=physician, episode_id=episode.pk)}
    assert "sanction_invitation" not in offered
    run_daily(today=D(2022, 9, 5))
    assert not PrintItem.objects.exists()
