from django import template
from django.conf import settings

register = template.Library()


@register.inclusion_tag("security/login_notice.html")
def second_factor_notice() -> dict:
    """On the log-in page: say so when the second factor is off (the demo only)."""
    return {"otp_required": getattr(settings, "TNW_REQUIRE_OTP", True)}
