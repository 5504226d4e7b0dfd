"""What changed for one client since a date: new deals, rating moves, new
feedback, closed cases and the trend of each staff tie."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pfcrm_core.network.strength import staff_client_strength
from pfcrm_core.profile.errors import ProfileError
from pfcrm_core.profile.tables import (case_view, client_deals, client_rows,
                                       feedback_view, rating_history)


@dataclass
class Changes:
    """What changed for one client between ``since`` and ``until``.

    Attributes
    ----------
    since, until : pandas.Timestamp
    new_deals : pandas.DataFrame
        ``client_deals`` rows that start after ``since``.
    rating_moves : pandas.DataFrame
        as_of, rating_before, rating, notch_change (positive is a downgrade),
        pd_before, pd for each credit row after ``since`` whose rating differs
        from the one before it.
    new_feedback : pandas.DataFrame
        ``feedback_view`` rows dated after ``since``.
    closed_cases : pandas.DataFrame
        ``case_view`` rows closed after ``since``.
    strength : pandas.DataFrame
        staff, score_before, score and change for each member of staff with
        contact up to ``until``, largest change first.
    """

    since: pd.Timestamp
    until: pd.Timestamp
    new_deals: pd.DataFrame
    rating_moves: pd.DataFrame
    new_feedback: pd.DataFrame
    closed_cases: pd.DataFrame
    strength: pd.DataFrame

    @property
    def empty(self) -> bool:
        """Whether nothing changed in the window."""
        return (self.new_deals.empty and self.rating_moves.empty
                and self.new_feedback.empty and self.closed_cases.empty
                and not (self.strength["change"].abs() >= 1).any())


def changes_since(tables: dict[str, pd.DataFrame], cases: pd.DataFrame | None,
                  client_id: str, since, until) -> Changes:
    """Collect the client's new deals, rating moves, feedback, closed cases and
    staff-strength changes between ``since`` (excluded) and ``until``.

    Raises
    ------
    ProfileError
        When ``since`` is not before ``until``.
    """
    since, until = pd.Timestamp(since).normalize(), pd.Timestamp(until).normalize()
    if since >= until:
        raise ProfileError("profile.error.since_after_until", since=f"{since:%Y-%m-%d}",
                           until=f"{until:%Y-%m-%d}")
    deals = client_deals(tables["deals"], tables["projects"], client_id, until)
    responses = feedback_view(tables["feedback"], client_id)
    client_cases = case_view(cases, client_id)
    closed = client_cases.iloc[0:0] if client_cases.empty else client_cases[
        pd.to_datetime(client_cases["closed_at"]) > since]
    return Changes(
        since=since, until=until,
        new_deals=deals[deals["start_date"] > since].reset_index(drop=True),
        rating_moves=_rating_moves(rating_history(tables["credit"], client_id), since),
        new_feedback=responses[responses["date"] > since].reset_index(drop=True),
        closed_cases=closed.reset_index(drop=True),
        strength=strength_change(tables["interactions"], client_id, since, until))


def _rating_moves(history: pd.DataFrame, since: pd.Timestamp) -> pd.DataFrame:
    columns = ["as_of", "rating_before", "rating", "notch_change", "pd_before", "pd"]
    if history.empty:
        return pd.DataFrame(columns=columns)
    history = history.assign(rating_before=history["rating"].shift(),
                             pd_before=history["pd"].shift(),
                             notch_change=history["notch"].diff())
    moved = (history["as_of"] > since) & history["rating_before"].notna() \
        & (history["rating"] != history["rating_before"])
    return history.loc[moved, columns].reset_index(drop=True)


def strength_change(interactions: pd.DataFrame, client_id: str, since,
                    until) -> pd.DataFrame:
    """Return each staff member's tie score with the client at ``since`` and ``until``.

    Scores use the network defaults (channel weights, 90-day half-life), so they
    match the Network page at its default settings.
    """
    columns = ["staff", "score_before", "score", "change"]
    rows = client_rows(interactions, client_id)
    if rows.empty:
        return pd.DataFrame(columns=columns)
    now = staff_client_strength(rows, until)
    if now.empty:
        return pd.DataFrame(columns=columns)
    then = staff_client_strength(rows, since)
    before = then.set_index("staff")["score"] if not then.empty else pd.Series(
        dtype=float)
    table = pd.DataFrame({"staff": now["staff"].to_numpy(),
                          "score": now["score"].to_numpy(dtype=float)})
    table["score_before"] = table["staff"].map(before).fillna(0.0).astype(float)
    table["change"] = table["score"] - table["score_before"]
    table["magnitude"] = table["change"].abs()
    table = table.sort_values(["magnitude", "staff"], ascending=[False, True],
                              kind="stable")
    return table[columns].reset_index(drop=True)
