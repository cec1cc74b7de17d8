"""The registration forms: generated from the rules contract, offering only what the law
allows, storing through the services and showing refusals next to the field concerned."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from tests.conftest import register
from tnw.dossier.models import Episode, PlanVersion, Registration
from tnw.rules import EVENT_TYPES
from tnw.web.forms import RegistrationForm


def _url(episode, event_type: str, purpose: str | None = None) -> str:
    url = reverse("web:register", args=[episode.pk, event_type])
    return f"{url}?purpose={purpose}" if purpose else url


def _radio_values(html: str, name: str) -> list[str]:
    pattern = rf'<input type="radio" name="{name}" value="([^"]+)"'
    return re.findall(pattern, html)


def _version(episode) -> str:
    return str(Episode.objects.get(pk=episode.pk).version)


@pytest.mark.parametrize("event_type", list(EVENT_TYPES))
def test_every_event_type_has_a_form_with_its_fields(event_type):
    form = RegistrationForm(
        event_type=event_type, choices={}, medical_sharing=False, has_plan=False,
        today=date(2026, 11, 24),
    )  # fmt: skip
    expected = {"date", "note"} | (set(EVENT_TYPES[event_type]) - {"purpose"})
    if event_type == "plan_drawn_up":  # the actions as rows, each with who does it
        expected -= {"actions", "action_by"}
        expected |= {"action_1", "action_by_1", "action_8", "action_by_8"}
    assert expected <= set(form.fields)


@pytest.mark.parametrize(
    ("event_type", "purpose", "modes"),
    [
        ("first_contact", None, ["physical", "video"]),
        ("contact", "refusal_discussion", ["physical", "video"]),
        ("contact", "other", ["physical", "video", "phone", "mail"]),
        ("follow_up_meeting", None, ["physical", "video", "phone"]),
        ("questionnaire_help_contact", None, ["physical", "video", "phone", "mail"]),
    ],
)
def test_contact_modes_follow_the_law(event_type, purpose, modes, coordinator, episode, client_for):
    html = client_for(coordinator).get(_url(episode, event_type, purpose)).content.decode()
    assert _radio_values(html, "mode") == modes


def test_ziv_start_offers_only_situation_a_without_employment_contract(
    coordinator, consented_episode, client_for
):
    html = client_for(coordinator).get(_url(consented_episode, "ziv_started")).content.decode()
    assert _radio_values(html, "situation") == ["A"]


def test_a_mode_the_law_does_not_allow_is_not_accepted(coordinator, referred_episode, client_for):
    response = client_for(coordinator).post(
        _url(referred_episode, "first_contact"),
        {
            "date": "01/10/2026", "mode": "phone", "consent": "yes", "outcome": "ziv",
            "expected_version": _version(referred_episode),
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert "phone" in response.context["form"].errors["mode"][0]
    assert not Registration.objects.filter(episode=referred_episode, type="first_contact").exists()


def test_first_contact_is_registered_and_shown(coordinator, referred_episode, client_for):
    client = client_for(coordinator)
    response = client.post(
        _url(referred_episode, "first_contact"),
        {
            "date": "01/10/2026", "mode": "video", "consent": "yes", "outcome": "ziv",
            "form_reference": "ANNEX-III-7", "note": "goed gesprek",
            "expected_version": _version(referred_episode),
        },
    )  # fmt: skip
    assert response.status_code == 302
    registration = Registration.objects.get(episode=referred_episode, type="first_contact")
    assert registration.date == date(2026, 10, 1)
    assert registration.data == {"mode": "video", "consent": True, "outcome": "ziv"}
    assert registration.form_reference == "ANNEX-III-7"
    page = client.get(response["Location"]).content.decode()
    assert "Eerste contactmoment" in page
    assert "01/10/2026" in page
    assert "toestemming gegeven op 01/10/2026" in page


def test_date_before_the_incapacity_is_refused_next_to_the_date(
    coordinator, referred_episode, client_for
):
    response = client_for(coordinator, "fr").post(
        _url(referred_episode, "first_contact"),
        {
            "date": "15/05/2026", "mode": "physical", "consent": "yes", "outcome": "ziv",
            "expected_version": _version(referred_episode),
        },
    )  # fmt: skip
    errors = response.context["form"].errors
    assert errors["date"] == ["Cette date précède le début de l'incapacité de travail."]
    html = response.content.decode()
    assert "Pas enregistré" in html
    # The code is no text of the page: a tooltip of the message only.
    assert (
        '<p title="event_before_incapacity">Cette date précède le début de l&#x27;incapacité '
        "de travail.</p>" in html
    )
    assert "[event_before_incapacity]" not in html
    # The engine's English sentence is logged, not shown on a French page ...
    assert "dated before the start of the incapacity" not in html
    english = client_for(coordinator, "en").post(
        _url(referred_episode, "first_contact"),
        {
            "date": "15/05/2026", "mode": "physical", "consent": "yes", "outcome": "ziv",
            "expected_version": _version(referred_episode),
        },
    )  # fmt: skip
    # ... and on an English page it is the technical detail.
    assert "first contact of 2026-05-15: dated before the start of the incapacity (2026-06-01)" in (
        english.content.decode()
    )
    assert not Registration.objects.filter(episode=referred_episode, type="first_contact").exists()


def test_dossier_work_without_consent_is_refused_with_its_message(coordinator, episode, client_for):
    client = client_for(coordinator)
    register(coordinator, episode, "spontaneous_request", date(2026, 9, 1))
    register(
        coordinator, episode, "first_contact", date(2026, 9, 15), mode="physical",
        consent=False, outcome="ziv",
    )  # fmt: skip
    response = client.post(
        _url(episode, "permission_requested"),
        {"date": "16/09/2026", "expected_version": _version(episode)},
    )
    errors = response.context["form"].non_field_errors()
    assert any("geldige schriftelijke toestemming" in e for e in errors)
    assert [e.code for e in response.context["form"].non_field_errors().as_data()] == ["no_consent"]
    assert "[no_consent]" not in response.content.decode()


def test_the_plan_form_asks_the_legal_minimum(coordinator, ziv_episode, client_for):
    client = client_for(coordinator)
    html = client.get(_url(ziv_episode, "plan_drawn_up")).content.decode()
    assert "Het wettelijke minimum van het plan" in html
    form = client.get(_url(ziv_episode, "plan_drawn_up")).context["form"]
    for name in ("objectives", "end_result", "next_appointment"):
        assert form.fields[name].required, name
    assert not form.fields["next_review"].required
    response = client.post(
        _url(ziv_episode, "plan_drawn_up"),
        {"date": "20/10/2026", "objectives": "stage", "end_result": "job",
         "expected_version": _version(ziv_episode)},
    )  # fmt: skip
    errors = response.context["form"].errors
    assert set(errors) == {"action_1", "next_appointment"}
    assert errors["action_1"] == [
        "Geef minstens één concrete actie en wie ze uitvoert (omzendbrief IV 4.2)."
    ]
    assert not PlanVersion.objects.filter(episode=ziv_episode).exists()


# Each action names who does it: a half-filled row is refused next to its field.
WHO_MISSING = {"nl": "Zeg wie deze actie uitvoert.", "fr": "Indiquez qui réalise cette action.",
               "de": "Geben Sie an, wer diese Maßnahme durchführt.",
               "en": "Say who does this action."}  # fmt: skip
ACTION_MISSING = {
    "nl": "Beschrijf de actie, of laat leeg wie ze uitvoert.",
    "fr": "Décrivez l'action, ou laissez vide qui la réalise.",
    "de": "Beschreiben Sie die Maßnahme, oder lassen Sie leer, wer sie durchführt.",
    "en": "Describe the action, or leave who does it empty.",
}


@pytest.mark.parametrize("language", ["nl", "fr", "de", "en"])
def test_each_plan_action_names_who_does_it(coordinator, ziv_episode, client_for, language):
    response = client_for(coordinator, language).post(
        _url(ziv_episode, "plan_drawn_up"),
        {"date": "20/10/2026", "objectives": "stage", "end_result": "job",
         "next_appointment": "05/11/2026", "action_1": "opleiding", "action_by_2": "employer",
         "expected_version": _version(ziv_episode)},
    )  # fmt: skip
    errors = response.context["form"].errors
    assert errors == {"action_by_1": [WHO_MISSING[language]],
                      "action_2": [ACTION_MISSING[language]]}  # fmt: skip
    assert not PlanVersion.objects.filter(episode=ziv_episode).exists()


def test_the_plan_keeps_who_does_each_action_and_shows_it(coordinator, ziv_episode, client_for):
    client = client_for(coordinator)
    response = client.post(
        _url(ziv_episode, "plan_drawn_up"),
        {"date": "20/10/2026", "objectives": "stage", "end_result": "job",
         "next_appointment": "05/11/2026", "action_1": "opleiding bij de VDAB",
         "action_by_1": "regional_service", "action_3": "werkpost aanpassen",
         "action_by_3": "employer", "expected_version": _version(ziv_episode)},
    )  # fmt: skip
    assert response.status_code == 302
    plan = PlanVersion.objects.get(episode=ziv_episode)
    assert plan.actions == ["opleiding bij de VDAB", "werkpost aanpassen"]
    assert plan.action_by == ["regional_service", "employer"]
    assert plan.registration.data["action_by"] == ["regional_service", "employer"]
    page = client.get(reverse("web:dossier", args=[ziv_episode.person_id])).content.decode()
    assert 'werkpost aanpassen <span class="muted">(wie: werkgever)</span>' in page
    assert "(wie: gewestelijke dienst (VDAB, Le Forem, Actiris, ADG, Bruxelles Formation))" in page


def test_the_engine_names_the_field_of_its_refusal(coordinator, ziv_episode, client_for):
    """A next appointment before the plan's date passes the form but not the law (IV 4.2):
    the engine's violation names its field, and the form shows it there."""
    response = client_for(coordinator, "fr").post(
        _url(ziv_episode, "plan_drawn_up"),
        {"date": "20/10/2026", "objectives": "stage", "end_result": "job", "action_1": "VDAB",
         "action_by_1": "regional_service",
         "next_appointment": "01/10/2026", "expected_version": _version(ziv_episode)},
    )  # fmt: skip
    errors = response.context["form"].errors
    assert set(errors) == {"next_appointment"}
    assert errors.as_data()["next_appointment"][0].code == "plan_incomplete"
    assert "[plan_incomplete]" not in response.content.decode()
    assert not PlanVersion.objects.filter(episode=ziv_episode).exists()


def test_a_complete_plan_becomes_version_1_and_an_adjustment_version_2(
    coordinator, ziv_episode, client_for
):
    client = client_for(coordinator)
    data = {
        "date": "20/10/2026", "objectives": "stage in een ziekenhuis\ngeheugentraining",
        "end_result": "administratief bediende, halftijds", "action_1": "opleiding bij de VDAB",
        "action_by_1": "regional_service",
        "next_appointment": "05/11/2026",
    }  # fmt: skip
    response = client.post(
        _url(ziv_episode, "plan_drawn_up"), {**data, "expected_version": _version(ziv_episode)}
    )
    assert response.status_code == 302
    plan = PlanVersion.objects.get(episode=ziv_episode)
    assert plan.objectives == ["stage in een ziekenhuis", "geheugentraining"]
    assert str(plan.next_appointment) == "2026-11-05"
    form = client.get(_url(ziv_episode, "plan_drawn_up")).context["form"]
    assert "plan_reason" in form.fields
    response = client.post(
        _url(ziv_episode, "plan_drawn_up"),
        {**data, "date": "10/11/2026", "next_appointment": "01/12/2026",
         "plan_reason": "stage gevonden", "expected_version": _version(ziv_episode)},
    )  # fmt: skip
    assert response.status_code == 302
    versions = list(PlanVersion.objects.filter(episode=ziv_episode).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[1].reason == "stage gevonden"
    page = client.get(reverse("web:dossier", args=[ziv_episode.person_id])).content.decode()
    assert "Versie 2 van 10/11/2026" in page
    assert "1 eerdere versie" in page


def test_a_stale_version_is_a_conflict_and_stores_nothing(
    coordinator, referred_episode, client_for
):
    response = client_for(coordinator).post(
        _url(referred_episode, "first_contact"),
        {
            "date": "01/10/2026", "mode": "physical", "consent": "yes", "outcome": "ziv",
            "expected_version": str(int(_version(referred_episode)) - 1),
        },
    )  # fmt: skip
    errors = response.context["form"].non_field_errors()
    assert [e.code for e in errors.as_data()] == ["conflict"] and "[" not in errors[0]
    assert not Registration.objects.filter(episode=referred_episode, type="first_contact").exists()


def test_the_physician_categorises_and_may_share_it(physician, coordinator, episode, client_for):
    client = client_for(physician)
    form = client.get(_url(episode, "capacity_assessed")).context["form"]
    assert "shared_with_coordinator" in form.fields
    response = client.post(
        _url(episode, "capacity_assessed"),
        {"date": "15/09/2026", "category": "4", "medical_exam": "no",
         "expected_version": _version(episode)},
    )  # fmt: skip
    assert response.status_code == 302
    registration = Registration.objects.get(episode=episode, type="capacity_assessed")
    assert registration.data == {"category": 4, "medical_exam": False}
    assert registration.shared_with_coordinator is False
    physician_page = client.get(reverse("web:dossier", args=[episode.person_id])).content
    coordinator_page = client_for(coordinator).get(reverse("web:dossier", args=[episode.person_id]))
    assert "4: terugkeer mogelijk" in physician_page.decode()
    text = coordinator_page.content.decode()
    assert "4: terugkeer mogelijk" not in text
    assert "afgeschermd: medisch geheim" in text


def test_health_data_only_for_the_physician(physician, coordinator, episode, client_for):
    response = client_for(physician).post(
        reverse("web:health_new", args=[episode.pk]),
        {"kind": "diagnosis", "text": "lumbale hernia L5-S1", "recorded_on": "01/09/2026"},
    )
    assert response.status_code == 302
    url = reverse("web:dossier", args=[episode.person_id])
    assert "lumbale hernia" in client_for(physician).get(url).content.decode()
    assert "lumbale hernia" not in client_for(coordinator).get(url).content.decode()


def test_the_menu_lists_what_the_law_allows_first(coordinator, referred_episode, client_for):
    response = client_for(coordinator).get(reverse("web:register_menu", args=[referred_episode.pk]))
    groups = response.context["groups"]
    allowed = {entry["url"] for group in groups for entry in group["allowed"]}
    blocked = {entry["url"]: entry["why"] for group in groups for entry in group["blocked"]}
    assert _url(referred_episode, "first_contact") in allowed
    ziv = _url(referred_episode, "ziv_started")
    assert ziv in blocked
    assert "voorafgaande stap" in blocked[ziv]


def test_new_person_and_episode(coordinator, client_for):
    client = client_for(coordinator)
    response = client.post(
        reverse("web:person_new"),
        {"insz": "85 07 30 033 28", "first_name": "Lien", "last_name": "Maes", "language": "nl"},
    )
    assert response.status_code == 302
    from tnw.dossier.models import Person

    person = Person.objects.get(insz="85073003328")
    assert response["Location"] == reverse("web:episode_new", args=[person.pk])
    duplicate = client.post(
        reverse("web:person_new"),
        {"insz": "85.07.30-033.28", "first_name": "X", "last_name": "Y", "language": "nl"},
    )
    assert duplicate.context["form"].errors["insz"] == ["Er bestaat al een persoon met dit INSZ."]
    invalid = client.post(
        reverse("web:person_new"),
        {"insz": "85.07.30-033.29", "first_name": "X", "last_name": "Y", "language": "nl"},
    )
    assert "Geen geldig INSZ" in invalid.context["form"].errors["insz"][0]
    # The same contact checks as the edit form: a phone of letters, a five-digit postal code.
    bad_contact = client.post(
        reverse("web:person_new"),
        {"insz": "90.02.01-001.11", "first_name": "Els", "last_name": "Wouters",
         "language": "nl", "phone": "abc", "postal_code": "99999"},
    )  # fmt: skip
    errors = bad_contact.context["form"].errors
    assert errors["phone"][0].startswith("Geen telefoonnummer")
    assert errors["postal_code"] == [
        "Een Belgische postcode heeft vier cijfers, van 1000 tot 9999."
    ]
    assert not Person.objects.filter(last_name="Wouters").exists()
    response = client.post(
        reverse("web:episode_new", args=[person.pk]),
        {"start": "01/08/2026", "employment_contract": "yes", "employer_name": "Stad Gent",
         "coordinator": str(coordinator.pk), "advising_physician": ""},
    )  # fmt: skip
    assert response.status_code == 302
    episode = person.episodes.get()
    assert (episode.start, episode.employment_contract, episode.coordinator) == (
        date(2026, 8, 1), True, coordinator,
    )  # fmt: skip
    future = client.post(
        reverse("web:episode_new", args=[person.pk]),
        {"start": "01/01/2027", "employment_contract": "no"},
    )
    assert future.context["form"].errors["start"] == [
        "De arbeidsongeschiktheid kan niet in de toekomst beginnen."
    ]


def _sample_post(form, version: str) -> dict[str, str]:
    data = {"expected_version": version}
    for name, field in form.fields.items():
        widget = field.widget.__class__.__name__
        choices = [value for value, _ in getattr(field, "choices", [])]
        if name in ("date", "next_appointment", "next_review"):
            data[name] = "24/11/2026"
        elif choices:
            data[name] = str(choices[0]) if choices[0] != "" else str(choices[-1])
        elif widget == "CheckboxInput":
            data[name] = "on"
        else:
            data[name] = "x"
    return data


@pytest.mark.parametrize("event_type", list(EVENT_TYPES))
def test_every_form_posts_without_a_server_error(event_type, users, ziv_episode, client_for):
    from tnw.accounts.roles import capabilities_for_event, has

    user = next(
        users[role] for role in ("coordinator", "advising_physician", "staff")
        if any(has(users[role], cap) for cap in capabilities_for_event(event_type))
    )  # fmt: skip
    purpose = "other" if event_type == "contact" else None
    client = client_for(user)
    form = client.get(_url(ziv_episode, event_type, purpose)).context["form"]
    before = Registration.objects.filter(episode=ziv_episode).count()
    response = client.post(
        _url(ziv_episode, event_type, purpose), _sample_post(form, _version(ziv_episode))
    )
    after = Registration.objects.filter(episode=ziv_episode).count()
    if response.status_code == 302:
        assert after == before + 1
        assert Registration.objects.filter(episode=ziv_episode).last().type == event_type
    else:
        assert response.status_code == 200
        assert response.context["form"].errors, "refused without saying why"
        assert after == before
