"""Translated names of the plan's outcomes in the rules engine (circular IV 4.2; art. 100 §2):
merged into tnw.web.labels. Legal terms: Hoge Commissie van de Geneeskundige Raad voor
Invaliditeit / Commission supérieure du Conseil médical de l'invalidité / Oberkommission des
Ärzterates für Invalidität; beroepsherscholing / réadaptation professionnelle / berufliche
Umschulung; toegelaten arbeid / travail autorisé / erlaubte Arbeit."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

EVENT_LABELS = {
    "retraining_requested": _("Vocational retraining submitted to the Hoge Commissie"),
    "retraining_decided": _("Decision of the Hoge Commissie on the vocational retraining"),
    "work_resumption_proposed": _("Work-resumption proposal to the advising physician"),
    "work_resumption_decided": _("Decision on the work-resumption proposal"),
}

# Added to the ZIV group of the registration menu, before the retraining start.
ZIV_EVENTS = tuple(EVENT_LABELS)

FIELD_LABELS = {"approved": _("Approved")}

OBLIGATION_LABELS = {
    "register_retraining_decision": _("Register the Hoge Commissie's decision"),
    "decide_work_resumption": _("Decide on the work-resumption proposal"),
}

# The engine's sentences (tnw.web.catalogue: the msgid is the engine's English text).
SENTENCES = (
    _("the retraining programme was submitted to the Hoge Commissie on %(date)s: register its "
      "decision (approved or refused)"),
    _("the coordinator proposed a work resumption on %(date)s: approve it (authorised work, "
      "art. 100 §2) or refuse it"),
)  # fmt: skip
