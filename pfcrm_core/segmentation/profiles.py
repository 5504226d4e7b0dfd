"""Segment profiles and generated descriptive names in English and Chinese.

A segment's name is built from the features that most distinguish it: the
standardised mean difference (SMD) of each numeric feature, (segment mean - book
mean) / book standard deviation, computed on ``sign(x) log1p(|x|)`` for money so
that a few large clients do not decide it. Up to two adjectives come from the
features with the largest |SMD| of at least ``MIN_SMD``, at most one per group
(risk, value, exposure, activity, satisfaction), ordered by |SMD|. The noun is the
dominant category (client type, then sector, then region, whichever is most
over-represented) when it covers at least half of the segment, else "clients".
Equal names get a further adjective, and then a number.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from pfcrm_core.i18n import catalogue, translate
from pfcrm_core.segmentation import ratings
from pfcrm_core.segmentation.preprocessing import MONEY_FEATURES, signed_log1p

PROFILE_FEATURES = ("rating_notch", "pd", "exposure_usd", "fee_income_12m_usd",
                    "clv", "p_alive", "nps")
NAME_CATEGORIES = ("client_type", "sector", "region")
ADJECTIVE_GROUPS = {"rating_notch": "risk", "pd": "risk", "clv": "value",
                    "fee_income_12m_usd": "value", "exposure_usd": "exposure",
                    "p_alive": "activity", "nps": "satisfaction"}
MIN_SMD = 0.3
MIN_NOUN_SHARE = 0.5
LANGS = ("en", "zh")


def standardised_mean_differences(frame: pd.DataFrame, segments: pd.Series,
                                  columns=PROFILE_FEATURES) -> pd.DataFrame:
    """Return the SMD of each numeric column (columns) in each segment (rows).

    Money columns are transformed with ``sign(x) log1p(|x|)`` first. Columns that
    are absent or constant are left out.
    """
    data = {}
    for column in columns:
        if column not in frame:
            continue
        values = pd.to_numeric(frame[column], errors="coerce").astype(float)
        if column in MONEY_FEATURES:
            values = pd.Series(signed_log1p(values), index=frame.index)
        spread = values.std()
        if not spread or np.isnan(spread):
            continue
        data[column] = (values.groupby(segments).mean() - values.mean()) / spread
    return pd.DataFrame(data)


def profile_table(frame: pd.DataFrame, segments: pd.Series, *,
                  method: str = "kmeans") -> pd.DataFrame:
    """Return one row per segment: size, feature means, default rate, NPS and names.

    Parameters
    ----------
    frame : pandas.DataFrame
        Feature frame indexed by client id.
    segments : pandas.Series
        Segment id of each client, same index.
    method : str
        ``"rules"`` names segments after their rating band and sector; the
        clustering methods use generated names.

    Returns
    -------
    pandas.DataFrame
        ``segment``, ``name_en``, ``name_zh``, ``size``, ``share``, ``mean_<f>``
        for each profile feature present, ``rating`` (S&P symbol of the mean
        notch), ``default_rate`` (share of clients with a rated credit row whose
        latest one defaulted within 12 months), ``nps_mean``, ``net_promoter_score``
        (% promoters 9-10 minus % detractors 0-6), ``top_<category>`` and
        ``top_<category>_share``, and ``name_basis`` (the features behind the
        name). Ordered by size, largest first.
    """
    groups = frame.groupby(segments)
    table = pd.DataFrame({"size": groups.size()})
    table["share"] = table["size"] / len(frame)

    for column in PROFILE_FEATURES:
        if column in frame:
            table[f"mean_{column}"] = groups[column].mean()
    if "rating_notch" in frame:
        table["rating"] = table["mean_rating_notch"].map(ratings.notch_symbol)
    table["default_rate"] = groups["default_12m"].mean() if "default_12m" in frame \
        else np.nan
    if "nps" in frame:
        table["nps_mean"] = groups["nps"].mean()
        table["net_promoter_score"] = groups["nps"].apply(net_promoter_score)
    for column in NAME_CATEGORIES:
        if column in frame:
            top = groups[column].agg(_mode_and_share)
            table[f"top_{column}"] = top.map(lambda pair: pair[0])
            table[f"top_{column}_share"] = top.map(lambda pair: pair[1])

    names = segment_names(frame, segments, method=method)
    table = table.join(names)
    table = table.sort_values("size", ascending=False, kind="stable")
    table.index.name = "segment"
    columns = ["name_en", "name_zh", *[c for c in table if not c.startswith("name_")],
               "name_basis"]
    return table[columns].reset_index()


def net_promoter_score(scores: pd.Series) -> float:
    """Return % promoters (9-10) minus % detractors (0-6), NaN without scores."""
    scores = scores.dropna()
    if scores.empty:
        return np.nan
    return float(100 * ((scores >= 9).mean() - (scores <= 6).mean()))


def _mode_and_share(values: pd.Series) -> tuple:
    counts = values.dropna().value_counts()
    if counts.empty:
        return (None, np.nan)
    counts = counts.sort_index(kind="stable").sort_values(ascending=False,
                                                          kind="stable")
    return (counts.index[0], float(counts.iloc[0] / len(values)))


def segment_names(frame: pd.DataFrame, segments: pd.Series, *,
                  method: str = "kmeans") -> pd.DataFrame:
    """Return ``name_en``, ``name_zh`` and ``name_basis`` of each segment.

    Names are unique: equal names get a further adjective, then a number.
    """
    if method == "rules":
        return _rule_names(segments)
    smd = standardised_mean_differences(frame, segments)
    nouns = {segment: _noun(frame, segments, segment) for segment in smd.index}
    means = frame.groupby(segments)["rating_notch"].mean() \
        if "rating_notch" in frame else pd.Series(dtype=float)

    adjective_counts = dict.fromkeys(smd.index, 2)
    names = _compose_all(smd, nouns, means, adjective_counts)
    for _ in range(2):
        duplicated = names["name_en"].duplicated(keep=False)
        if not duplicated.any():
            break
        for segment in names.index[duplicated]:
            adjective_counts[segment] += 1
        names = _compose_all(smd, nouns, means, adjective_counts)
    return _number_duplicates(names)


def _compose_all(smd, nouns, means, adjective_counts) -> pd.DataFrame:
    rows = {}
    for segment in smd.index:
        picked = _adjectives(smd.loc[segment], means.get(segment, np.nan),
                             adjective_counts[segment])
        rows[segment] = {
            "name_en": _compose(picked, nouns[segment], "en"),
            "name_zh": _compose(picked, nouns[segment], "zh"),
            "name_basis": ", ".join(feature for feature, _ in picked),
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def _adjectives(smd: pd.Series, mean_notch: float, count: int) -> list[tuple]:
    # The first ``count`` features by |SMD| of at least MIN_SMD, one per group.
    # Past two adjectives (for names that collide) the minimum no longer applies.
    ordered = smd.dropna().reindex(smd.dropna().abs().sort_values(
        ascending=False, kind="stable").index)
    picked, groups = [], set()
    for feature, value in ordered.items():
        if len(picked) == count:
            break
        if abs(value) < MIN_SMD and len(picked) < 2:
            break
        if ADJECTIVE_GROUPS[feature] in groups:
            continue
        groups.add(ADJECTIVE_GROUPS[feature])
        picked.append((feature, _adjective_key(feature, value, mean_notch)))
    return picked


def _adjective_key(feature: str, value: float, mean_notch: float) -> str:
    direction = "high" if value > 0 else "low"
    if feature == "rating_notch":
        investment_grade = mean_notch <= ratings.LAST_INVESTMENT_GRADE_NOTCH
        if direction == "low":
            return ("segmentation.adjective.investment_grade" if investment_grade
                    else "segmentation.adjective.better_rated")
        return ("segmentation.adjective.lower_rated" if investment_grade
                else "segmentation.adjective.sub_investment_grade")
    return f"segmentation.adjective.{feature}.{direction}"


def _noun(frame: pd.DataFrame, segments: pd.Series, segment) -> tuple:
    # The category whose share in the segment most exceeds its book share.
    best, best_lift = None, 0.0
    members = segments == segment
    for column in NAME_CATEGORIES:
        if column not in frame:
            continue
        inside = frame.loc[members, column].value_counts(normalize=True)
        if inside.empty or inside.iloc[0] < MIN_NOUN_SHARE:
            continue
        value = inside.index[0]
        overall = float((frame[column] == value).mean())
        lift = (inside.iloc[0] - overall) / np.sqrt(max(overall * (1 - overall),
                                                        1e-9))
        if best is None or lift > best_lift:
            best, best_lift = (column, value), lift
    return best


def category_key(value: str) -> str:
    """Return the catalogue key part of a category value (``"middle_east_africa"``)."""
    return re.sub(r"[^a-z0-9]+", "_", str(value).lower()).strip("_")


def noun_text(noun: tuple | None, lang: str) -> str:
    """Return the plural noun of a ``(column, value)`` pair in ``lang``."""
    if noun is None:
        return translate("segmentation.noun.clients", lang)
    column, value = noun
    key = f"segmentation.noun.{column}.{category_key(value)}"
    if key in catalogue():
        return translate(key, lang)
    return translate(f"segmentation.noun.{column}.other", lang, value=value)


def _compose(picked: list[tuple], noun: tuple | None, lang: str) -> str:
    words = [translate(key, lang) for _, key in picked]
    words.append(noun_text(noun, lang))
    text = (" " if lang == "en" else "").join(words)
    return text[:1].upper() + text[1:] if lang == "en" else text


def _number_duplicates(names: pd.DataFrame) -> pd.DataFrame:
    names = names.copy()
    for column in ("name_en", "name_zh"):
        counter = names.groupby(column).cumcount() + 1
        repeated = names[column].duplicated(keep=False)
        lang = column[-2:]
        names.loc[repeated, column] = [
            translate("segmentation.name.numbered", lang, name=name, number=number)
            for name, number in zip(names.loc[repeated, column], counter[repeated])]
    return names


def _rule_names(segments: pd.Series) -> pd.DataFrame:
    rows = {}
    for segment in sorted(segments.unique()):
        band, sector = str(segment).split(":", 1)
        noun = None if sector == "unknown" else ("sector", sector)
        rows[segment] = {
            lang_column: translate(f"segmentation.band.{band}", lang)
            + (" " if lang == "en" else "") + noun_text(noun, lang)
            for lang_column, lang in (("name_en", "en"), ("name_zh", "zh"))}
        rows[segment]["name_basis"] = "rating_notch, sector"
    names = pd.DataFrame.from_dict(rows, orient="index")
    names["name_en"] = names["name_en"].str[:1].str.upper() + names["name_en"].str[1:]
    return names

