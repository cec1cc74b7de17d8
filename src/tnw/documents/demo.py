"""The demo's documents (called by `tnw demo`): a few letters and forms in every language for
the demo dossiers, issued through the services by the demo users. Idempotent: each has a fixed
key, so a rerun issues nothing twice."""

from __future__ import annotations

from datetime import date, timedelta

from tnw.accounts.models import User
from tnw.documents import services
from tnw.documents.models import IssuedDocument
from tnw.documents.selectors import offered_kinds
from tnw.dossier.selectors import worklist

# (user, kind, language): a coordinator's and a physician's documents in NL, FR and DE.
WANTED = (
    ("tnwc", "invitation", "fr"), ("tnwc", "annex_iii", "nl"), ("tnwc", "annex_iv", "fr"),
    ("tnwc", "annex_iii", "de"), ("tnwc", "plan", "nl"), ("arts", "annex_i", "nl"),
    ("arts", "questionnaire_letter", "de"), ("arts", "no_questionnaire_letter", "fr"),
    ("tnwc", "dossier_copy", "fr"), ("arts", "dossier_copy", "de"),
)  # fmt: skip
SCAN = 80  # episodes looked at per user


def _inputs(kind: str, today: date) -> dict:
    if kind == "invitation":
        return {"appointment_date": (today + timedelta(days=9)).isoformat(),
                "appointment_time": "10:30", "mode": "physical",
                "place": "Kantoor Terug Naar Werk, Kerkstraat 12, Gent"}  # fmt: skip
    return {}


def issue_demo_documents(*, today: date) -> int:
    issued = 0
    for username, kind, language in WANTED:
        key = f"demo:{username}:{kind}:{language}"
        user = User.objects.filter(username=username).first()
        if user is None or IssuedDocument.objects.filter(key=key).exists():
            continue
        pending = worklist(user=user, today=today).values_list("episode_id", flat=True)
        episodes = list(dict.fromkeys(pending[: SCAN * 4]))
        for episode_id in episodes[:SCAN]:
            if kind in {k.code for k in offered_kinds(user=user, episode_id=episode_id)}:
                services.issue(user=user, episode_id=episode_id, kind=kind, language=language,
                               inputs=_inputs(kind, today), today=today, key=key)  # fmt: skip
                issued += 1
                break
    return issued


def issue_signing_demo(*, today: date, episode_id: int | None) -> bool:
    """The engagement declaration (Annex IV) the coordinator issued for the portal's demo person
    who signs online (tnw.dossier.demo_portal.SIGNS_ONLINE); once. True when issued now."""
    key = "demo:portal:annex_iv"
    user = User.objects.filter(username="tnwc").first()
    if episode_id is None or user is None or IssuedDocument.objects.filter(key=key).exists():
        return False
    if "annex_iv" not in {k.code for k in offered_kinds(user=user, episode_id=episode_id)}:
        return False
    services.issue(user=user, episode_id=episode_id, kind="annex_iv", language="nl",
                   today=today, key=key)  # fmt: skip
    return True
