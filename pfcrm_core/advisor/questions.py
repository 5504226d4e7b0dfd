"""The four questions about the firm that decide which CRM models fit it.

Each factor is answered on a scale of ``LEVELS`` (1 = lowest, 4 = highest). The
text of each level, with the explanation shown beside it, is in the catalogue
under ``advisor.factor.<factor>.level.<n>`` and ``...level.<n>.help``.

- ``complexity``: how complex the firm's deals and stakeholder webs are, from
  bilateral loans with one sponsor to multi-lender PPPs with agencies, export
  credit agencies and many contractors.
- ``size``: the size of the client book, from under 50 active clients to over
  1,000.
- ``capability``: the firm's technical capability, from spreadsheets only to a
  data-science team that builds and validates models.
- ``budget``: what the firm can spend on CRM analytics a year, from almost
  nothing to a dedicated programme.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import AdvisorInputError

FACTORS = ("complexity", "size", "capability", "budget")
LEVELS = (1, 2, 3, 4)


@dataclass(frozen=True)
class Answers:
    """The firm's answer level (1 to 4) to each of the four questions.

    Raises
    ------
    AdvisorInputError
        When a level is not an integer from 1 to 4.
    """

    complexity: int = 2
    size: int = 2
    capability: int = 2
    budget: int = 2

    def __post_init__(self):
        for factor in FACTORS:
            value = getattr(self, factor)
            if isinstance(value, bool) or value not in LEVELS:
                raise AdvisorInputError("advisor.error.bad_level", factor=factor,
                                        value=repr(value), low=LEVELS[0],
                                        high=LEVELS[-1])

    def normalised(self) -> dict[str, float]:
        """Return each answer mapped to [0, 1]: level 1 is 0 and level 4 is 1."""
        low, high = LEVELS[0], LEVELS[-1]
        return {factor: (getattr(self, factor) - low) / (high - low)
                for factor in FACTORS}
