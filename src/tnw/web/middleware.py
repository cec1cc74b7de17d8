"""Activate the language a logged-in user chose (stored on the user's preference), over the
cookie and the browser's Accept-Language that LocaleMiddleware looked at."""

from __future__ import annotations

from django.utils import translation

from tnw.web.models import Preference


class UserLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = (
                Preference.objects.filter(user=user).values_list("language", flat=True).first()
            )
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)
