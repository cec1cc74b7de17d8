"""Test e-mail backends: one that always fails, one that fails the first N sends."""

from __future__ import annotations

import smtplib

from django.core.mail.backends.locmem import EmailBackend as LocmemBackend

FAILURES = {"left": 0}


class AlwaysFailing(LocmemBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("connection unexpectedly closed")


class FailingAtFirst(LocmemBackend):
    def send_messages(self, messages):
        if FAILURES["left"] > 0:
            FAILURES["left"] -= 1
            raise smtplib.SMTPRecipientsRefused({"x@example.invalid": (450, b"try later")})
        return super().send_messages(messages)
