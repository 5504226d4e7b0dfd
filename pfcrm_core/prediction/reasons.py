"""Readable reasons for a client's next-deal probability.

A reason is a group of related features (a fact and its missing-value
indicator, or the client-type indicators) whose contributions to the linear
predictor are added up. Each group describes the client's fact in its natural
unit, for example "3 contacts in the last 90 days".
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pfcrm_core.i18n import catalogue, translate
from pfcrm_core.money import format_usd

from .features import TYPE_FEATURES

TOP_REASONS = 3
# Placeholders that hold an amount in USD, written in the language of the text.
MONEY_VALUES = ("amount",)

# Reason group -> the model features whose contributions it adds up.
REASON_GROUPS = {
    "recency": ("months_since_last_deal", "no_prior_deal"),
    "deals_12m": ("log_deals_12m",),
    "deals_36m": ("log_deals_36m",),
    "amount_36m": ("log_amount_36m",),
    "revenue_12m": ("log_revenue_12m",),
    "revenue_change": ("revenue_change",),
    "contacts_90d": ("log_contacts_90d",),
    "contacts_180d": ("log_contacts_180d",),
    "nps": ("latest_nps", "no_survey"),
    "pd": ("log_pd", "no_pd"),
    "tenure": ("tenure_years",),
    "maturities_12m": ("maturities_12m",),
    "next_maturity": ("months_to_maturity",),
    "client_type": TYPE_FEATURES,
}


@dataclass(frozen=True)
class Reason:
    """One reason for a client's probability.

    Attributes
    ----------
    group : str
        Key of ``REASON_GROUPS``.
    key : str
        Translation key of the text, under ``prediction.reason``.
    values : dict
        Placeholder values of the text. Those named in ``MONEY_VALUES`` are
        amounts in USD, formatted by :meth:`text` in the language asked for.
    contribution : float
        The group's contribution to the log-odds against an average client;
        positive raises the probability.
    """

    group: str
    key: str
    values: dict = field(default_factory=dict)
    contribution: float = 0.0

    def text(self, lang: str = "en") -> str:
        """Return the reason in ``lang``, marked ▲ when it raises the probability.

        A reason that lowers the probability is marked ▼.
        """
        values = dict(self.values)
        for name in MONEY_VALUES:
            if name in values:
                values[name] = format_usd(values[name], lang)
        if "type" in values:
            type_key = f"client_type.{values['type']}"
            values["type"] = (translate(type_key, lang) if type_key in catalogue()
                              else str(values["type"]))
        arrow = "▲" if self.contribution > 0 else "▼"
        return f"{arrow} {translate(self.key, lang, **values)}"


def _count(key: str, value: float) -> tuple[str, dict]:
    count = int(round(value))
    return (f"{key}.one" if count == 1 else key), {"count": count}


def describe(group: str, raw: pd.Series) -> tuple[str, dict]:
    """Return the translation key and values that describe ``raw`` for ``group``.

    ``raw`` is one row of ``raw_features``. Amounts are returned in USD as floats
    and formatted when the reason is written in a language.
    """
    prefix = "prediction.reason"
    if group == "recency":
        months = raw["months_since_last_deal"]
        if pd.isna(months):
            return f"{prefix}.no_deal", {}
        return f"{prefix}.last_deal", {"months": int(round(months))}
    if group in ("deals_12m", "deals_36m", "contacts_90d", "contacts_180d",
                 "maturities_12m"):
        return _count(f"{prefix}.{group}", raw[group])
    if group in ("amount_36m", "revenue_12m"):
        millions = float(raw[f"{group}_musd"])
        return f"{prefix}.{group}", {"amount": 1e6 * millions}
    if group == "revenue_change":
        return _describe_revenue_change(raw)
    if group == "nps":
        if pd.isna(raw["latest_nps"]):
            return f"{prefix}.no_survey", {}
        return f"{prefix}.nps", {"score": int(raw["latest_nps"])}
    if group == "pd":
        if pd.isna(raw["pd"]):
            return f"{prefix}.no_pd", {}
        return f"{prefix}.pd", {"pd": f"{100 * raw['pd']:.2f}"}
    if group == "tenure":
        return f"{prefix}.tenure", {"years": f"{raw['tenure_years']:.1f}"}
    if group == "next_maturity":
        months = raw["months_to_maturity"]
        if pd.isna(months):
            return f"{prefix}.no_maturity", {}
        return f"{prefix}.next_maturity", {"months": max(1, int(round(months)))}
    if group == "client_type":
        if pd.isna(raw["client_type"]):
            return f"{prefix}.no_client_type", {}
        return f"{prefix}.client_type", {"type": str(raw["client_type"])}
    raise KeyError(f"unknown reason group {group!r}; groups are "
                   f"{', '.join(REASON_GROUPS)}")


def _describe_revenue_change(raw: pd.Series) -> tuple[str, dict]:
    last, prior = raw["revenue_12m_musd"], raw["revenue_prior_12m_musd"]
    if prior > 0:
        return "prediction.reason.revenue_change", {
            "change": f"{100 * (last / prior - 1):+.0f}"}
    if last > 0:
        return "prediction.reason.revenue_new", {}
    return "prediction.reason.no_revenue", {}


def group_contributions(contributions: pd.DataFrame) -> pd.DataFrame:
    """Add up per-feature contributions into one column per reason group."""
    return pd.DataFrame({group: contributions[list(features)].sum(axis=1)
                         for group, features in REASON_GROUPS.items()},
                        index=contributions.index)


def top_reasons(grouped: pd.DataFrame, raw: pd.DataFrame,
                count: int = TOP_REASONS) -> list[list[Reason]]:
    """Return, per row, the ``count`` groups with the largest absolute contribution.

    Groups that contribute exactly 0 are left out, so a client may get fewer.
    """
    values = grouped.to_numpy()
    order = np.argsort(-np.abs(values), axis=1, kind="stable")[:, :count]
    groups = list(grouped.columns)
    reasons = []
    for row, (client_id, picks) in enumerate(zip(grouped.index, order)):
        chosen = []
        for column in picks:
            contribution = float(values[row, column])
            if contribution == 0.0:
                continue
            key, placeholders = describe(groups[column], raw.loc[client_id])
            chosen.append(Reason(groups[column], key, placeholders, contribution))
        reasons.append(chosen)
    return reasons
