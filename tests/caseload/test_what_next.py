"""The dossier page starts with "what next": the next obligations with who, by when and why,
and buttons for exactly the registrations the law allows now."""

from __future__ import annotations

import re

from django.urls import reverse

from tests.conftest import TODAY
from tnw.caseload.next import what_next
from tnw.dossier import selectors
from tnw.dossier.models import Obligation


def panel_html(html: str, episode_id: int) -> str:
    start = html.index(f'id="h-next-{episode_id}"')
    return html[start : html.index("</section>", start)]


def test_the_panel_names_the_coordinators_next_steps_with_who_and_by_when(
    coordinator, ziv_episode, client_for
):
    html = (
        client_for(coordinator, "en")
        .get(reverse("web:dossier", args=[ziv_episode.person_id]))
        .content.decode()
    )
    panel = panel_html(html, ziv_episode.pk)
    assert html.index("What next") < html.index("Timeline: registered steps")
    pending = Obligation.objects.filter(episode=ziv_episode, state="pending", opens__lte=TODAY)
    soonest = min((o for o in pending if o.due), key=lambda o: o.due)
    assert soonest.due.strftime("%d/%m/%Y") in panel
    assert "who: TNW coordinator" in panel


def test_the_buttons_are_the_registrations_the_engine_allows_now(coordinator, ziv_episode):
    dossier = selectors.get_dossier(user=coordinator, person_id=ziv_episode.person_id,
                                    today=TODAY)  # fmt: skip
    episode = dossier["episodes"][0]
    panel = what_next(coordinator, episode, TODAY)
    menu = selectors.registration_menu(user=coordinator, episode_id=ziv_episode.pk, today=TODAY)
    allowed = {(p.event_type, p.variant) for p in menu.possibilities if p.allowed}
    refused = {(p.event_type, p.variant) for p in menu.possibilities if not p.allowed}
    shown = {
        (re.search(r"/register/([a-z_]+)/", a.url)[1],
         (re.search(r"purpose=([a-z_]+)", a.url) or [None, None])[1])
        for a in panel.actions
    }  # fmt: skip
    assert shown == allowed and not shown & refused
    assert ("ziv_started", None) in refused  # already done: not offered again
    # The steps that do a pending obligation come first, as the primary buttons.
    assert panel.actions[0].does_next_step
    flags = [a.does_next_step for a in panel.actions]
    assert flags == sorted(flags, reverse=True)


def test_no_buttons_for_an_episode_the_user_does_not_act_on(team, caseload, client_for):
    co2 = team["co2"]
    episode = caseload["ziv"]
    html = client_for(co2, "en").get(reverse("web:dossier", args=[episode.person_id]))
    panel = panel_html(html.content.decode(), episode.pk)
    assert "What next" in panel and "/register/" not in panel


def test_the_panel_is_translated(coordinator, ziv_episode, client_for):
    html = (
        client_for(coordinator, "nl")
        .get(reverse("web:dossier", args=[ziv_episode.person_id]))
        .content.decode()
    )
    panel = panel_html(html, ziv_episode.pk)
    assert "Wat nu" in panel and "What next" not in panel
    assert "Registraties die nu passen" in panel
