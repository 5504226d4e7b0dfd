"""The current book priced for risk: scorecard PDs, capital approach, stability.

- PD per client: the scorecard's PD for a client with credit history (a row in
  the development sample), else the master-scale PD of its rating, and 1 for a
  client in default. ``pd_source`` records which.
- Capital approach: the IRB corporate formula for every client, or the
  supervisory slotting approach for project-finance exposures (IRB for the rest).
  Which clients are project finance is set by their sector (infrastructure
  sectors by default).
- Slotting category from the rating, on the external notch scale:

  ===============  ==================
  category         external rating
  ===============  ==================
  strong           BBB- or better
  good             BB+, BB
  satisfactory     BB-, B+
  weak             B to C
  default          D
  ===============  ==================

  NOTE: a simplification. The framework slots a project on its own criteria
  (cover ratios, contracts, security), and a bank maps its internal grades to the
  categories; the rating stands in for that assessment here.
- Stability: the PSI of each variable's WoE bins between the development sample
  and the current book.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pfcrm_core.risk.capital import slotting
from pfcrm_core.risk.master_scale import MasterScale, rating_notch, resolve_pd
from pfcrm_core.risk.metrics import psi_band, psi_from_labels

# Sectors whose clients are taken as project-finance exposures unless the caller
# passes its own list: the infrastructure sectors of the client table.
PROJECT_FINANCE_SECTORS = ("energy", "transport", "water", "social infrastructure",
                           "telecom")
CAPITAL_APPROACHES = ("irb", "slotting")
PD_SOURCES = ("scorecard", "rating", "default", "none")

# Worst external notch (0 = AAA ... 21 = D) of each slotting category.
SLOTTING_NOTCH_LIMITS = ((9, "strong"), (11, "good"), (13, "satisfactory"),
                         (20, "weak"), (21, "default"))
UNSEEN_LABEL = "(unseen)"


def slotting_category(ratings) -> np.ndarray:
    """Return the slotting category of each rating; None where it is missing or NR.

    Raises
    ------
    RiskDataError
        When a rating cannot be read (see ``master_scale.rating_notch``).
    """
    notches = rating_notch(pd.Series(ratings, dtype=object)).to_numpy()
    limits = np.array([limit for limit, _ in SLOTTING_NOTCH_LIMITS])
    names = np.array([name for _, name in SLOTTING_NOTCH_LIMITS], dtype=object)
    index = np.searchsorted(limits, np.nan_to_num(notches, nan=0.0), side="left")
    categories = names[np.minimum(index, len(names) - 1)]
    categories[np.isnan(notches)] = None
    return categories


def score_book(book: pd.DataFrame, model, history_clients,
               scale: MasterScale | None = None) -> pd.DataFrame:
    """Score the current book and choose each client's PD.

    Parameters
    ----------
    book : pandas.DataFrame
        ``dataset.current_book``: client_id, rating, in_default and the model's
        variables.
    model : Scorecard or None
        A fitted scorecard whose variables are columns of ``book``; None gives
        every client the PD of its rating (score and model_pd NaN).
    history_clients : iterable of str
        Client ids with credit history (rows of the development sample); the
        others take the PD of their rating.
    scale : MasterScale, optional
        Master scale for rating PDs and grades; default ``MasterScale()``.

    Returns
    -------
    pandas.DataFrame
        ``book`` with the stored credit-row PD renamed ``stored_pd``, and score,
        model_pd (the scorecard PD of every client), n_unseen,
        unseen_variables, pd (the PD used), pd_source (scorecard, rating,
        default or none) and grade (master-scale grade of pd).
    """
    scale = scale or MasterScale()
    table = book.rename(columns={"pd": "stored_pd"}).reset_index(drop=True)
    if model is None:
        history_clients = ()
        scored = pd.DataFrame({"score": np.nan, "pd": np.nan, "n_unseen": 0,
                               "unseen_variables": ""}, index=table.index)
    else:
        scored = model.score_table(table)
    table["score"] = scored["score"].to_numpy()
    table["model_pd"] = scored["pd"].to_numpy()
    table["n_unseen"] = scored["n_unseen"].to_numpy()
    table["unseen_variables"] = scored["unseen_variables"].to_numpy()

    # The scorecard's PD where the client has history, else the rating's.
    ids = table["client_id"].astype(str)
    has_history = ids.isin({str(c) for c in history_clients}).to_numpy()
    model_pd = pd.Series(np.where(has_history, table["model_pd"], np.nan),
                         index=ids)
    ratings = pd.Series(table["rating"].to_numpy(dtype=object), index=ids)
    chosen = resolve_pd(model_pd, ratings, scale).reindex(ids)
    table["pd"] = chosen["pd"].to_numpy()
    table["pd_source"] = chosen["pd_source"].to_numpy()
    table["grade"] = chosen["grade"].to_numpy()

    # A client in default has a PD of 1, whatever the model predicts.
    in_default = table["in_default"].to_numpy(dtype=bool)
    table.loc[in_default, "pd"] = 1.0
    table.loc[in_default, "pd_source"] = "default"
    table.loc[in_default, "grade"] = scale.default_grade
    return table


def capital_inputs(book: pd.DataFrame, approach: str = "irb",
                   project_finance_sectors=PROJECT_FINANCE_SECTORS,
                   short_maturity_weights: bool = False) -> pd.DataFrame:
    """Mark project-finance exposures and, for slotting, set their capital.

    Parameters
    ----------
    book : pandas.DataFrame
        Needs sector, rating, ead; grade (used when the rating is missing) and
        maturity_years (remaining years) when present.
    approach : {"irb", "slotting"}, default "irb"
        "slotting" gives project-finance exposures slotting capital and RWA and
        leaves capital NaN for the others, which ``raroc.risk_return_table``
        fills with IRB capital. "irb" adds no capital column.
    project_finance_sectors : iterable of str
        Sectors (case-insensitive) whose clients are project finance.
    short_maturity_weights : bool, default False
        Apply the lower slotting weights (strong 50%, good 70%) to exposures with
        a remaining maturity under 2.5 years, a national discretion.

    Returns
    -------
    pandas.DataFrame
        ``book`` with project_finance (bool) and slotting_category (None outside
        project finance), and for slotting: capital, rwa, slotting_risk_weight
        and slotting_el (the supervisory expected loss, for reference).

    Raises
    ------
    ValueError
        When ``approach`` is not one of the two.
    """
    if approach not in CAPITAL_APPROACHES:
        raise ValueError(f"approach must be one of {', '.join(CAPITAL_APPROACHES)}; "
                         f"got {approach!r}")
    table = book.copy()
    sectors = {str(s).strip().lower() for s in project_finance_sectors}
    in_sector = table["sector"].astype(str).str.strip().str.lower().isin(sectors)
    ratings = table["rating"].astype(object)
    if "grade" in table.columns:
        ratings = ratings.where(ratings.notna(), table["grade"])
    categories = slotting_category(ratings.to_numpy(dtype=object))
    table["project_finance"] = in_sector.to_numpy() & pd.notna(categories)
    table["slotting_category"] = pd.Series(
        np.where(table["project_finance"], categories, None), index=table.index,
        dtype=object)
    if approach == "irb":
        return table

    # Slotting capital for project finance, NaN (IRB later) for the rest.
    rows = table["project_finance"].to_numpy()
    maturity = table["maturity_years"] if short_maturity_weights \
        and "maturity_years" in table.columns else None
    slotted = slotting(table.loc[rows, "slotting_category"].to_numpy(dtype=object),
                       table.loc[rows, "ead"].to_numpy(dtype=float),
                       None if maturity is None else maturity[rows].to_numpy())
    for column, source in (("capital", "capital"), ("rwa", "rwa"),
                           ("slotting_risk_weight", "risk_weight"),
                           ("slotting_el", "expected_loss")):
        values = np.full(len(table), np.nan)
        values[rows] = slotted[source].to_numpy()
        table[column] = values
    return table


def bin_labels(binner, frame: pd.DataFrame, variable: str) -> np.ndarray:
    """Return the label of the WoE bin of each row (``"(unseen)"`` for none)."""
    codes = binner.assign_bins(frame, [variable])[variable].to_numpy()
    labels = np.array(binner.binnings_[variable].labels + [UNSEEN_LABEL], dtype=object)
    return labels[np.where(codes < 0, len(labels) - 1, codes)]


def variable_psi(binner, development: pd.DataFrame, current: pd.DataFrame,
                 variables=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Compare each variable's WoE bins in the development sample and today's book.

    Parameters
    ----------
    binner : WoEBinner
        The fitted binner (``Scorecard.binner_``).
    development, current : pandas.DataFrame
        The development sample and the current book; both need ``variables``.
    variables : list of str, optional
        Default every binned variable that is not excluded.

    Returns
    -------
    summary : pandas.DataFrame
        variable, psi, band (stable, some shift, significant shift), n_unseen
        (rows of ``current`` in no fitted bin), highest PSI first.
    bins : pandas.DataFrame
        ``metrics.psi_from_labels`` per variable, with a variable column.
    """
    if variables is None:
        variables = [name for name in binner.variables_
                     if not binner.binnings_[name].excluded]
    rows, tables = [], []
    for name in variables:
        expected = bin_labels(binner, development, name)
        actual = bin_labels(binner, current, name)
        table = psi_from_labels(expected, actual)
        value = float(table["psi"].sum())
        rows.append({"variable": name, "psi": value, "band": psi_band(value),
                     "n_unseen": int(np.sum(actual == UNSEEN_LABEL))})
        tables.append(table.assign(variable=name))
    summary = pd.DataFrame(rows, columns=["variable", "psi", "band", "n_unseen"])
    summary = summary.sort_values("psi", ascending=False, ignore_index=True)
    bins = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame()
    return summary, bins
