"""Django's TextChoices as mypy should see them.

The project type-checks without Django's stubs, so mypy would see each member of a
`models.TextChoices` as the tuple written in the class body. For the checker it is a str Enum
with a label (what Django makes of it at run time); at run time it is Django's class itself.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:

    class TextChoices(enum.StrEnum):
        label: str

else:
    from django.db.models import TextChoices

__all__ = ["TextChoices"]
