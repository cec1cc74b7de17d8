"""The insured person's side of the dossier (tnw.portal): the portal account that links a log-in
to one person, the one-use activation codes sent by letter, and the questionnaire's answers
(a draft until submitted, then registered as `questionnaire_received`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class PortalAccount(models.Model):
    """The log-in of one insured person: that user reaches this person's dossier only."""

    person = models.OneToOneField(
        "dossier.Person", on_delete=models.PROTECT, related_name="portal_account"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="portal_account"
    )
    # Letters by e-mail or on paper (the person's choice on the portal).
    letters_by_email = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    @property
    def audit_person_id(self) -> int:
        return self.person_id


class PortalActivation(models.Model):
    """A one-use activation code, sent in a letter, with which a person sets a password.
    Only a hash is stored; the code expires and is blocked after a few wrong attempts."""

    person = models.ForeignKey(
        "dossier.Person", on_delete=models.PROTECT, related_name="portal_activations"
    )
    code_hash = models.CharField(max_length=200)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_at"]

    @property
    def audit_person_id(self) -> int:
        return self.person_id


class QuestionnaireAnswers(models.Model):
    """The person's answers to one questionnaire of one episode: a draft, then submitted."""

    episode = models.ForeignKey(
        "dossier.Episode", on_delete=models.PROTECT, related_name="questionnaire_answers"
    )
    form_version = models.CharField(max_length=20)
    answers = models.JSONField(default=dict)
    complete = models.BooleanField(default=False)
    submitted_at = models.DateTimeField(null=True, blank=True)
    registration = models.OneToOneField(
        "dossier.Registration", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["episode", "-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode"],
                condition=models.Q(submitted_at__isnull=True),
                name="one_questionnaire_draft_per_episode",
            )
        ]

    @property
    def audit_person_id(self) -> int:
        return self.episode.person_id


class MeetingProposal(models.Model):
    """A follow-up meeting the person proposes (circular IV 4.3: "both the coordinator and the
    insured person can schedule a new follow-up meeting"); the coordinator confirms or declines.
    The meeting itself is registered as `follow_up_meeting` when it is held."""

    class State(models.TextChoices):
        PROPOSED = "proposed"
        CONFIRMED = "confirmed"
        DECLINED = "declined"

    episode = models.ForeignKey(
        "dossier.Episode", on_delete=models.PROTECT, related_name="meeting_proposals"
    )
    proposed_on = models.DateField(help_text="the day the person proposes")
    note = models.CharField(max_length=500, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["episode", "-proposed_at"]

    @property
    def audit_person_id(self) -> int:
        return self.episode.person_id
