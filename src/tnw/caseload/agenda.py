"""Placeholder: the agenda (filled in next)."""

from django.http import HttpResponse


def agenda(request):
    return HttpResponse("")


def agenda_ics(request):
    return HttpResponse("")
