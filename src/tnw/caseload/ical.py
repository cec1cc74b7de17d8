"""iCalendar (RFC 5545) for the agenda export: VEVENTs with UTC times for appointments and
all-day events for agreed days and deadlines; lines folded at 75 octets, text escaped."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.urls import reverse
from django.utils import timezone

PRODID = "-//TNW-dossier//agenda//NL"


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines of at most 75 octets; continuation lines start with a space."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode()) > 75:
            out.append(current)
            current = " " + char
        else:
            current += char
    out.append(current)
    return "\r\n".join(out)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def event(entry, title: str, request) -> list[str]:
    """One VEVENT of an agenda entry; the summary names the dossier number, not the person."""
    link = request.build_absolute_uri(reverse("web:dossier", args=[entry.person_id]))
    key = entry.appointment_id or f"{entry.kind}-{entry.episode_id}-{entry.what}"
    lines = [
        "BEGIN:VEVENT",
        f"UID:tnw-{key}-{entry.day.isoformat()}@{request.get_host()}",
        f"DTSTAMP:{_utc(timezone.now())}",
        f"SUMMARY:{_escape(f'{title} · TNW {entry.person_id}')}",
        f"URL:{link}",
    ]
    if entry.at is not None:
        lines.append(f"DTSTART:{_utc(entry.at)}")
        lines.append(f"DTEND:{_utc(entry.at + timedelta(minutes=entry.minutes or 30))}")
    else:
        lines.append(f"DTSTART;VALUE=DATE:{entry.day.strftime('%Y%m%d')}")
        lines.append(f"DTEND;VALUE=DATE:{(entry.day + timedelta(days=1)).strftime('%Y%m%d')}")
    if entry.place:
        lines.append(f"LOCATION:{_escape(entry.place)}")
    if entry.outcome == "moved" or entry.moved_to:
        lines.append("STATUS:CANCELLED")
    lines.append("END:VEVENT")
    return lines


def calendar(events: list[list[str]]) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN"]
    for lines_of_event in events:
        lines.extend(lines_of_event)
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
