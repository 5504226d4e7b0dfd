"""Rating grades and PDs: parsing rating text, and the master scale PD <-> grade.

Rating text is parsed onto one ordinal notch scale, 0 (best) to 21 (default):

====  ==============  ==================
notch S&P / Fitch     Moody's
====  ==============  ==================
0     AAA             Aaa
1-3   AA+, AA, AA-    Aa1, Aa2, Aa3
4-6   A+, A, A-       A1, A2, A3
7-9   BBB+, BBB, BBB- Baa1, Baa2, Baa3
10-12 BB+, BB, BB-    Ba1, Ba2, Ba3
13-15 B+, B, B-       B1, B2, B3
16-18 CCC+, CCC, CCC- Caa1, Caa2, Caa3
19    CC              Ca
20    C               C
21    D, SD, RD       (none)
====  ==============  ==================

Case, spaces, a trailing outlook ("BBB+ (stable)", "Baa1/negative") and the
Moody's provisional prefix "(P)" are ignored. Internal grades 1..10 are parsed as
an internal scale of their own and mapped to the external scale through their PD.

The master scale gives each grade a one-year PD. A PD maps to the grade whose
interval contains it, and the boundary between two neighbouring grades is the
geometric midpoint of their PDs, ``sqrt(PD_i * PD_(i+1))``, because PDs grow
roughly geometrically from grade to grade.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pfcrm_core.risk.exceptions import RiskDataError, format_values

DEFAULT_NOTCH = 21
DEFAULT_GRADE = "D"

EXTERNAL_GRADES = ("AAA", "AA+", "AA", "AA-", "A+", "A", "A-", "BBB+", "BBB", "BBB-",
                   "BB+", "BB", "BB-", "B+", "B", "B-", "CCC+", "CCC", "CCC-", "CC",
                   "C", "D")

# Base notch of each letter grade; a modifier moves it by one.
_SP_BASE = {"AAA": 0, "AA": 2, "A": 5, "BBB": 8, "BB": 11, "B": 14, "CCC": 17,
            "CC": 19, "C": 20}
_MOODYS_BASE = {"AA": 1, "A": 4, "BAA": 7, "BA": 10, "B": 13, "CAA": 16}
_DEFAULT_CODES = {"D", "SD", "RD", "DDD", "DD", "DEFAULT"}
_NOT_RATED = {"NR", "WR", "N/A", "NA", "UNRATED", "NOT RATED", ""}

_SP_PATTERN = re.compile(r"^(AAA|AA|A|BBB|BB|B|CCC|CC|C)([+-]?)$")
_MOODYS_PATTERN = re.compile(r"^(AAA|AA|A|BAA|BA|B|CAA|CA|C)([123]?)$")
_OUTLOOK = re.compile(r"[\s/(].*$")

# Illustrative one-year PDs, in the range of published long-run corporate default
# rates (0.01% for AAA to 27% for CCC). CCC+ to C share the CCC PD, as published
# default studies pool the CCC/C categories. A bank replaces these with its own
# calibrated master scale.
DEFAULT_SCALE_GRADES = ("AAA", "AA+", "AA", "AA-", "A+", "A", "A-", "BBB+", "BBB",
                        "BBB-", "BB+", "BB", "BB-", "B+", "B", "B-", "CCC")
DEFAULT_SCALE_PDS = (0.0001, 0.0002, 0.0003, 0.0004, 0.0005, 0.0007, 0.0009, 0.0013,
                     0.0020, 0.0035, 0.0080, 0.0140, 0.0250, 0.0450, 0.0750, 0.1200,
                     0.2700)

# Illustrative PDs of internal grades 1 (best) to 10 (worst performing grade).
# NOTE: a placeholder scale; set the bank's own calibration with ``MasterScale``.
INTERNAL_GRADE_PDS = (0.0003, 0.0008, 0.0018, 0.0035, 0.0070, 0.0140, 0.0280,
                      0.0550, 0.1100, 0.2200)


@dataclass(frozen=True)
class ParsedRating:
    """A rating read from text.

    Attributes
    ----------
    text : str
        The input, stripped.
    scale : {"external", "internal"}
        External agency scale (S&P, Fitch, Moody's) or internal grades 1..10.
    notch : int
        0 (AAA) to 21 (D) on the external scale; 1 to 10 on the internal scale.
    is_default : bool
        True for D, SD, RD and similar default codes.
    """

    text: str
    scale: str
    notch: int
    is_default: bool


def parse_rating(value) -> ParsedRating | None:
    """Parse one rating; return None for a missing or not-rated value (NR, WR).

    Raises
    ------
    RiskDataError
        When the text is not a rating on a supported scale.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, (int, np.integer)) or (
            isinstance(value, (float, np.floating)) and float(value).is_integer()):
        return _internal(str(value), int(value))

    text = str(value).strip()
    code = text.upper().replace("(P)", "").strip()
    if code in _NOT_RATED:
        return None
    code = _OUTLOOK.sub("", code).replace(" ", "")
    if code in _DEFAULT_CODES:
        return ParsedRating(text, "external", DEFAULT_NOTCH, True)
    if code.isdigit() or re.fullmatch(r"\d+\.0+", code):
        return _internal(text, int(float(code)))

    notch = _external_notch(code)
    if notch is None:
        raise RiskDataError("risk.error.unknown_rating", value=text)
    return ParsedRating(text, "external", notch, False)


def _internal(text: str, grade: int) -> ParsedRating:
    if not 1 <= grade <= len(INTERNAL_GRADE_PDS):
        raise RiskDataError("risk.error.unknown_rating", value=text)
    return ParsedRating(text, "internal", grade, False)


def _external_notch(code: str) -> int | None:
    match = _SP_PATTERN.match(code)
    if match:
        letters, modifier = match.groups()
        if modifier and letters in ("AAA", "CC", "C"):
            return None
        return _SP_BASE[letters] + {"+": -1, "-": 1, "": 0}[modifier]
    match = _MOODYS_PATTERN.match(code)
    if match:
        letters, modifier = match.groups()
        if letters in ("AAA", "CA", "C"):
            return None if modifier else {"AAA": 0, "CA": 19, "C": 20}[letters]
        # A Moody's grade without a numeric modifier is its middle notch.
        return _MOODYS_BASE[letters] + (int(modifier) - 1 if modifier else 1)
    return None


class MasterScale:
    """Map PDs to grades and grades to PDs.

    Parameters
    ----------
    grades : sequence of str
        Grades from best to worst, without the default grade.
    pds : sequence of float
        One-year PD of each grade, strictly increasing, in (0, 1).
    default_grade : str, default "D"
        Grade given to a PD of 1 (in default).

    Examples
    --------
    >>> scale = MasterScale()
    >>> scale.grade(0.01)
    'BB+'
    >>> scale.pd("Baa2")
    0.002
    """

    def __init__(self, grades=DEFAULT_SCALE_GRADES, pds=DEFAULT_SCALE_PDS,
                 default_grade: str = DEFAULT_GRADE):
        self.grades = tuple(grades)
        self.pds = np.asarray(pds, dtype=float)
        self.default_grade = default_grade
        if len(self.grades) != len(self.pds) or len(self.grades) < 2:
            raise ValueError(f"grades and pds must have the same length of at least "
                             f"2; got {len(self.grades)} and {len(self.pds)}")
        if not (np.all(np.diff(self.pds) > 0) and self.pds[0] > 0 and self.pds[-1] < 1):
            raise ValueError(f"pds must increase strictly within (0, 1); got "
                             f"{self.pds.tolist()}")
        self.boundaries = np.sqrt(self.pds[:-1] * self.pds[1:])

    def table(self) -> pd.DataFrame:
        """Return grade, pd, pd_lower and pd_upper (each grade takes [lower, upper))."""
        lower = np.concatenate([[0.0], self.boundaries])
        upper = np.concatenate([self.boundaries, [1.0]])
        table = pd.DataFrame({"grade": self.grades, "pd": self.pds,
                              "pd_lower": lower, "pd_upper": upper})
        default = pd.DataFrame({"grade": [self.default_grade], "pd": [1.0],
                                "pd_lower": [1.0], "pd_upper": [1.0]})
        return pd.concat([table, default], ignore_index=True)

    def grade(self, pd_values):
        """Return the grade of each PD; a scalar for a scalar input.

        A PD of 1 or more gets the default grade; a missing PD gets None.
        """
        values = np.asarray(pd_values, dtype=float)
        index = np.searchsorted(self.boundaries, values, side="right")
        grades = np.array(self.grades, dtype=object)[np.minimum(index, len(self.grades) - 1)]
        grades = np.where(values >= 1.0, self.default_grade, grades)
        grades = np.where(np.isnan(values), None, grades)
        return grades.item() if grades.ndim == 0 else grades

    def pd(self, ratings):
        """Return the PD of each rating (external, Moody's or internal grade).

        External notches beyond the scale's worst grade take its PD (CCC- to C
        take the CCC PD on the default scale). Default codes give 1.0, missing
        and not-rated values NaN. Returns a scalar for a scalar input.

        Raises
        ------
        RiskDataError
            When a rating cannot be parsed.
        """
        if np.ndim(ratings) == 0:
            return self._pd_one(ratings)
        values = pd.Series(np.asarray(ratings, dtype=object))
        lookup = {value: self._pd_one(value) for value in pd.unique(values)}
        return values.map(lookup).to_numpy(dtype=float)

    def _pd_one(self, rating) -> float:
        parsed = parse_rating(rating)
        if parsed is None:
            return math.nan
        if parsed.is_default:
            return 1.0
        if parsed.scale == "internal":
            return INTERNAL_GRADE_PDS[parsed.notch - 1]
        return float(self.pds[self._scale_index(parsed.notch)])

    def _scale_index(self, notch: int) -> int:
        # Position of an external notch on this scale: the grade with the same
        # notch, else the nearest better one that the scale has.
        notches = [_external_notch(g) for g in self.grades]
        candidates = [i for i, n in enumerate(notches) if n is not None and n <= notch]
        return candidates[-1] if candidates else 0


def rating_notch(ratings) -> pd.Series:
    """Return the external notch (0 = AAA ... 21 = D) of each rating as floats.

    Internal grades are mapped to the external grade of their PD on the default
    master scale. Missing and not-rated values give NaN.

    Raises
    ------
    RiskDataError
        Listing up to ten values that are not ratings.
    """
    values = pd.Series(ratings)
    scale = MasterScale()
    lookup, invalid = {}, []
    for value in pd.unique(values.dropna()):
        try:
            parsed = parse_rating(value)
        except RiskDataError:
            invalid.append(value)
            continue
        lookup[value] = _external_equivalent(parsed, scale)
    if invalid:
        raise RiskDataError("risk.error.unknown_ratings", count=len(invalid),
                            values=format_values(invalid))
    return values.map(lookup).astype(float)


def _external_equivalent(parsed: ParsedRating | None, scale: MasterScale) -> float:
    if parsed is None:
        return math.nan
    if parsed.scale == "external":
        return float(parsed.notch)
    grade = scale.grade(INTERNAL_GRADE_PDS[parsed.notch - 1])
    return float(_external_notch(grade))


def is_default_rating(ratings) -> np.ndarray:
    """Return True for each rating that is a default code (D, SD, RD ...)."""
    values = pd.Series(ratings)
    lookup = {}
    for value in pd.unique(values.dropna()):
        try:
            parsed = parse_rating(value)
        except RiskDataError:
            parsed = None
        lookup[value] = bool(parsed is not None and parsed.is_default)
    return values.map(lookup).fillna(False).to_numpy(dtype=bool)


def resolve_pd(model_pd: pd.Series, ratings: pd.Series,
               scale: MasterScale | None = None) -> pd.DataFrame:
    """Choose each client's PD: the scorecard's where it has one, else the rating's.

    Parameters
    ----------
    model_pd : pandas.Series
        PD from the scorecard, indexed by client id; NaN where the client has no
        history to score.
    ratings : pandas.Series
        Rating text, indexed by client id.
    scale : MasterScale, optional
        Master scale for rating PDs; default ``MasterScale()``.

    Returns
    -------
    pandas.DataFrame
        Indexed by client id (the union of both indexes): pd, pd_source
        ("scorecard", "rating" or "none") and grade (master-scale grade of pd).
    """
    scale = scale or MasterScale()
    index = model_pd.index.union(ratings.index)
    model = model_pd.reindex(index).astype(float)
    from_rating = pd.Series(scale.pd(ratings.reindex(index).to_numpy(dtype=object)),
                            index=index)
    chosen = model.where(model.notna(), from_rating)
    source = np.where(model.notna(), "scorecard",
                      np.where(from_rating.notna(), "rating", "none"))
    grades = scale.grade(chosen.to_numpy())
    return pd.DataFrame({"pd": chosen, "pd_source": source, "grade": grades},
                        index=index)
