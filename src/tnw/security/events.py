"""Security events in the audit trail (issue 18, finding 11; ASVS 5.0 V16.3): log-in, failed
log-in, log-out and refusals, each with who, when and from where. Passwords are never logged."""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from tnw.audit.models import Action
from tnw.audit.services import append
from tnw.security import sessions

CHANNEL = "security"


def client_address(request) -> str:
    """The client's address as the server saw it (behind a proxy, the proxy sets REMOTE_ADDR
    through the WSGI server's forwarded-allow-ips; X-Forwarded-For is not trusted here)."""
    return (request.META.get("REMOTE_ADDR", "") if request is not None else "")[:64]


def record(*, action: str, user=None, username: str = "", request=None, **details) -> None:
    changes = {"username": (username or getattr(user, "username", ""))[:150]}
    changes["ip"] = client_address(request)
    changes.update(details)
    append(
        actor=user,
        action=action,
        object_type="accounts.user",
        object_id=getattr(user, "pk", None),
        person_id=None,
        channel=CHANNEL,
        changes=changes,
    )


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        sessions.start(request)
    record(action=Action.LOGIN, user=user, request=request)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        record(action=Action.LOGOUT, user=user, request=request)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    from tnw.accounts.models import User

    username = str(credentials.get("username", ""))
    known = User.objects.filter(username=username).first()
    record(action=Action.LOGIN_FAILED, user=known, username=username, request=request)


@receiver(user_locked_out)
def _locked_out(sender, request, username, ip_address, **kwargs) -> None:
    from tnw.accounts.models import User

    known = User.objects.filter(username=str(username or "")).first()
    record(action=Action.LOCKOUT, user=known, username=str(username or ""), request=request)


class RefusalAuditMiddleware:
    """Every refused request (403: role, break-the-glass page, CSRF) goes into the audit
    trail, with the path but not the query string (which may hold search terms)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            user = getattr(request, "user", None)
            record(
                action=Action.REFUSED,
                user=user if user is not None and user.is_authenticated else None,
                request=request,
                method=request.method[:10],
                path=request.path[:300],
            )
        return response
