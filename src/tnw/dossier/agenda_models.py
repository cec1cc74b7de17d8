"""The agenda: appointments with the insured person (first contacts, follow-up meetings,
medical examinations), with their day and time, place or mode, and their outcome (held, absent,
moved). Written by `tnw.dossier.services` (schedule_appointment, record_appointment_outcome),
read by `tnw.dossier.selectors.agenda`. A held meeting is registered as a step of the episode
from its own form; the appointment only tracks the date."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AppointmentKind(models.TextChoices):
    FIRST_CONTACT = "first_contact", "first contact"
    FOLLOW_UP = "follow_up", "follow-up meeting"
    MEDICAL_EXAM = "medical_exam", "medical examination"
    OTHER = "other", "other meeting"


class AppointmentMode(models.TextChoices):
    PHYSICAL = "physical", "in person"
    PHONE = "phone", "by telephone"
    VIDEO = "video", "by video call"


class AppointmentOutcome(models.TextChoices):
    NONE = "", "no outcome yet"
    HELD = "held", "held"
    ABSENT = "absent", "the person was absent"
    MOVED = "moved", "moved"


class Appointment(models.Model):
    episode = models.ForeignKey(
        "dossier.Episode", on_delete=models.PROTECT, related_name="appointments"
    )
    kind = models.CharField(max_length=20, choices=AppointmentKind.choices)
    # Who holds it: the episode's coordinator, or its advising physician (a medical exam).
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField()
    minutes = models.PositiveSmallIntegerField(default=45)
    mode = models.CharField(max_length=10, choices=AppointmentMode.choices)
    place = models.CharField(max_length=200, blank=True)
    note = models.CharField(max_length=500, blank=True)
    outcome = models.CharField(
        max_length=10, choices=AppointmentOutcome.choices, blank=True, default=""
    )
    outcome_note = models.CharField(max_length=500, blank=True)
    moved_to = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="moved_from"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["holder", "starts_at"], name="appointment_agenda")]

    def __str__(self) -> str:
        return f"{self.kind} at {self.starts_at}"

    @property
    def audit_person_id(self) -> int:
        return self.episode.person_id
