"""Demo interactions: meetings, calls, e-mails and notes with clients.

Larger clients and longer relationships get more contact. Contact continues for a
few months after a client's last transaction, while the team tries to win it back.
Most interactions are by the client's relationship manager, and each note is in
the language of the member of staff who wrote it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pfcrm_core.demo import feedback_text, reference

INTERACTION_COUNT = 20_000
CHANNEL_SHARES = (0.25, 0.30, 0.35, 0.10)

# Share of interactions by the client's own relationship manager.
MANAGER_SHARE = 0.7

# Exponent of client size in the contact weight: larger clients are seen more often.
CONTACT_SCALE_POWER = 1.0

# Days of contact after a lapsed client's last transaction.
WIN_BACK_DAYS = 120


def generate_interactions(rng: np.random.Generator, clients: pd.DataFrame,
                          deals: pd.DataFrame, projects: pd.DataFrame,
                          active_from: np.ndarray,
                          active_to: np.ndarray) -> pd.DataFrame:
    """Draw ``INTERACTION_COUNT`` interactions.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness.
    clients, deals, projects : pandas.DataFrame
        Clients (with the hidden traits), deals and projects of the demo book.
    active_from, active_to : numpy.ndarray of datetime64[ns]
        Per client, the period of its transactions.

    Returns
    -------
    pandas.DataFrame
        Canonical ``interactions`` columns, sorted by date, ids ``I-000001``
        upwards.
    """
    as_of = reference.AS_OF.to_datetime64()
    contact_to = np.minimum(active_to + np.timedelta64(WIN_BACK_DAYS, "D"), as_of)
    span_days = (contact_to - active_from) / np.timedelta64(1, "D")
    weight = (span_days + 30.0) * clients["scale"].to_numpy() ** CONTACT_SCALE_POWER
    owner = rng.choice(len(clients), size=INTERACTION_COUNT, p=weight / weight.sum())
    # Contact grows over a relationship's life: the density of a date rises with the
    # square of the time since the first contact, so recent months are the busiest.
    position = rng.random(INTERACTION_COUNT) ** (1.0 / 3.0)
    offsets = np.floor(position * (span_days[owner] + 1))
    dates = active_from[owner] + offsets.astype("timedelta64[D]")

    # Staff: the relationship manager mostly, otherwise a colleague.
    staff_list = np.array(reference.STAFF)
    colleague = staff_list[rng.integers(len(staff_list), size=INTERACTION_COUNT)]
    manager = clients["relationship_manager"].to_numpy()[owner]
    staff = np.where(rng.random(INTERACTION_COUNT) < MANAGER_SHARE, manager, colleague)
    english_staff = staff_list[reference.FIRST_ENGLISH_STAFF:]
    languages = np.where(np.isin(staff, english_staff), "en", "zh")

    client_ids = clients["client_id"].to_numpy()[owner]
    project_names = _client_project_names(rng, client_ids, deals, projects)
    interactions = pd.DataFrame({
        "client_id": client_ids,
        "date": dates,
        "channel": rng.choice(reference.CHANNELS, size=INTERACTION_COUNT,
                              p=CHANNEL_SHARES),
        "staff": staff,
        "notes": feedback_text.draw_notes(rng, languages, project_names),
    })
    interactions = interactions.sort_values(["date", "client_id"], kind="stable",
                                            ignore_index=True)
    interactions.insert(0, "interaction_id",
                        [f"I-{i:06d}" for i in range(1, len(interactions) + 1)])
    return interactions


def _client_project_names(rng: np.random.Generator, client_ids: np.ndarray,
                          deals: pd.DataFrame,
                          projects: pd.DataFrame) -> list[str | None]:
    # One of the client's projects per interaction, None for clients without deals.
    project_name = dict(zip(projects["project_id"], projects["name"]))
    by_client: dict[str, list[str]] = {}
    for client_id, project_id in zip(deals["client_id"], deals["project_id"]):
        by_client.setdefault(client_id, []).append(project_name[project_id])
    draws = rng.random(len(client_ids))
    result: list[str | None] = []
    for client_id, draw in zip(client_ids, draws):
        names = by_client.get(client_id)
        result.append(names[int(draw * len(names))] if names else None)
    return result
