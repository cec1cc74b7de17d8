"""Session limits (issue 18, finding 10; ASVS 5.0 V7.3): a session ends after 30 minutes
without a request and 12 hours after the log-in, whatever the activity; and every session of a
user ends when the user is deactivated or their role changes."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.shortcuts import redirect
from django.utils.translation import gettext as _

STARTED = "tnw_session_started"
SEEN = "tnw_session_seen"
# Write the "last seen" time at most once a minute: a session write on every request would
# turn every read into a database write.
SEEN_RESOLUTION = 60


def start(request) -> None:
    now = int(time.time())
    request.session[STARTED] = now
    request.session[SEEN] = now


class SessionLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            ended = self._expired(request)
            if ended:
                logout(request)
                messages.info(request, ended)
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)

    @staticmethod
    def _expired(request) -> str:
        now = int(time.time())
        session = request.session
        started = session.get(STARTED)
        seen = session.get(SEEN)
        if started is None or seen is None:  # a session from before these limits
            start(request)
            return ""
        if now - started > settings.TNW_SESSION_ABSOLUTE_SECONDS:
            return _("Your session has ended after 12 hours. Please log in again.")
        if now - seen > settings.TNW_SESSION_IDLE_SECONDS:
            return _(
                "Your session has ended after 30 minutes without activity. Please log in again."
            )
        if now - seen >= SEEN_RESOLUTION:
            session[SEEN] = now
        return ""


def end_sessions_of(user_id: int) -> int:
    """Delete every stored session of one user (database sessions)."""
    doomed = [
        s.pk
        for s in Session.objects.iterator()
        if str(s.get_decoded().get("_auth_user_id")) == str(user_id)
    ]
    Session.objects.filter(pk__in=doomed).delete()
    return len(doomed)


@receiver(pre_save, sender=settings.AUTH_USER_MODEL)
def _end_sessions_on_deactivation_or_role_change(sender, instance, **kwargs) -> None:
    if instance.pk is None:
        return
    old = sender.objects.filter(pk=instance.pk).values("is_active", "role").first()
    if old is None:
        return
    if (old["is_active"] and not instance.is_active) or old["role"] != instance.role:
        user_id = instance.pk
        transaction.on_commit(lambda: end_sessions_of(user_id))
