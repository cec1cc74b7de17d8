"""The normalised search column of a person: names found whatever the accents, the case, the
order of the words or the spaces inside a name.

`search_key("Van den Bossche", "Jan")` -> "van den bossche jan vandenbossche": every word of the
names without accents and in lower case, then each multi-word name written as one word, so
"Lefebvre" finds "Lefèbvre", "Muller" finds "Müller", "vandenbossche" and "VAN DEN BOSSCHE"
both find "Van den Bossche", and "Masson Olivier" finds "Olivier Masson". A query matches when
every one of its words (normalised the same way) occurs in the key; on PostgreSQL a trigram
index serves that `LIKE '%word%'` (migration 0005), on SQLite it is a scan of the mutuality's
people.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from django.db.models import Q

_SEPARATORS = re.compile(r"[\s\-'’.,;/]+")


def fold(text: str) -> str:
    """Lower case, without accents (é -> e, ü -> u, ß -> ss), separators as single spaces."""
    decomposed = unicodedata.normalize("NFKD", str(text or "")).casefold()
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SEPARATORS.sub(" ", plain).strip()


def search_key(last_name: str, first_name: str) -> str:
    words = [fold(last_name), fold(first_name)]
    joined = [w.replace(" ", "") for w in words if " " in w]
    return " ".join(w for w in [*words, *joined] if w)


def query_words(text: str) -> list[str]:
    """The words of a name query, normalised like the key."""
    return [w for w in fold(text).split(" ") if w]


# --- What a query asks --------------------------------------------------------------------

_DATE = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$|^(\d{4})-(\d{2})-(\d{2})$")
_POSTAL_CODE = re.compile(r"^[1-9]\d{3}$")
BIRTH_YEARS = (1900, 2099)  # four digits in this range may also be a year of birth


def _birth_date(token: str) -> date | None:
    found = _DATE.match(token)
    if not found:
        return None
    day, month, year = (
        (found[1], found[2], found[3]) if found[1] else (found[6], found[5], found[4])
    )
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def is_postal_code(token: str) -> bool:
    return bool(_POSTAL_CODE.match(token))


def _token_condition(token: str) -> Q:
    """One word of a query: a birth date, a postal code (or a dossier number or a birth year
    of four digits), an INSZ prefix of six digits or more, or part of a name."""
    born = _birth_date(token)
    if born is not None:
        return Q(birth_date=born)
    if _POSTAL_CODE.match(token):
        # Four digits next to a name: a postal code, a dossier number or a birth year
        # ("van den bossche 9000", "van den bossche 1975"); the rows show which one held.
        condition = Q(postal_code=token) | Q(pk=int(token))
        if BIRTH_YEARS[0] <= int(token) <= BIRTH_YEARS[1]:
            condition |= Q(birth_date__year=int(token))
        return condition
    digits = "".join(ch for ch in token if ch.isdigit())
    if digits and len(digits) >= 6 and not any(ch.isalpha() for ch in token):
        return Q(insz__startswith=digits)
    condition = Q()
    for word in query_words(token):
        condition &= Q(search_name__contains=word)
    return condition


def people_condition(text: str) -> Q:
    """Every word of the query must hold (names in any order, with a birth date, a birth year
    or a postal code to tell namesakes apart)."""
    condition = Q()
    for token in text.split():
        condition &= _token_condition(token.strip(",;"))
    return condition
