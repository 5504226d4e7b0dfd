"""Segment membership between two dates as a migration matrix.

The model is fitted on the features at date 1 and then assigns the clients of both
dates, so a segment means the same thing in both columns of the matrix. Clients
present only at date 2 form the row ``"(new)"``; clients present only at date 1
form the column ``"(left)"``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pfcrm_core.segmentation.errors import SegmentationError
from pfcrm_core.segmentation.features import FeatureTable, build_features, load_tables
from pfcrm_core.segmentation.model import SegmentModel, fit_segment_model

NEW = "(new)"
LEFT = "(left)"


@dataclass
class Migration:
    """Segments of the same clients at two dates.

    Attributes
    ----------
    counts : pandas.DataFrame
        Clients by segment at date 1 (rows, plus ``"(new)"``) and at date 2
        (columns, plus ``"(left)"``).
    row_shares : pandas.DataFrame
        ``counts`` divided by its row totals; each row sums to 1.
    clients : pandas.DataFrame
        ``client_id``, ``segment_1`` and ``segment_2`` (NaN where absent).
    date_1, date_2 : pandas.Timestamp
    """

    counts: pd.DataFrame
    row_shares: pd.DataFrame
    clients: pd.DataFrame
    date_1: pd.Timestamp
    date_2: pd.Timestamp

    def to_dict(self) -> dict:
        """Return the matrices as nested dicts (row -> column -> value)."""
        return {"date_1": f"{self.date_1:%Y-%m-%d}",
                "date_2": f"{self.date_2:%Y-%m-%d}",
                "counts": {str(r): {str(c): int(v) for c, v in row.items()}
                           for r, row in self.counts.iterrows()},
                "row_shares": {str(r): {str(c): float(v) for c, v in row.items()}
                               for r, row in self.row_shares.iterrows()}}


def migration_matrix(model: SegmentModel, features_1: FeatureTable,
                     features_2: FeatureTable) -> Migration:
    """Assign the clients of both dates with ``model`` and cross-tabulate.

    Raises
    ------
    SegmentationError
        When no client is present at both dates.
    """
    first = model.assign(features_1.frame).rename("segment_1")
    second = model.assign(features_2.frame).rename("segment_2")
    if first.index.intersection(second.index).empty:
        raise SegmentationError("segmentation.error.no_common_clients",
                                date_1=f"{features_1.as_of:%Y-%m-%d}",
                                date_2=f"{features_2.as_of:%Y-%m-%d}")

    clients = pd.concat([first, second], axis=1)
    clients.index.name = "client_id"
    rows = clients["segment_1"].fillna(NEW)
    columns = clients["segment_2"].fillna(LEFT)
    counts = pd.crosstab(rows, columns)

    segment_order = sorted(set(first) | set(second), key=_segment_sort_key)
    row_order = [s for s in segment_order if s in counts.index] + \
        ([NEW] if NEW in counts.index else [])
    column_order = [s for s in segment_order if s in counts.columns] + \
        ([LEFT] if LEFT in counts.columns else [])
    counts = counts.reindex(index=row_order, columns=column_order, fill_value=0)
    counts.index.name = "segment_1"
    counts.columns.name = "segment_2"
    row_shares = counts.div(counts.sum(axis=1), axis=0)
    return Migration(counts=counts, row_shares=row_shares,
                     clients=clients.reset_index(), date_1=features_1.as_of,
                     date_2=features_2.as_of)


def _segment_sort_key(segment: str):
    # S2 before S10; rule segments alphabetically after cluster segments.
    text = str(segment)
    if text[:1] == "S" and text[1:].isdigit():
        return (0, int(text[1:]), "")
    return (1, 0, text)


def segment_migration(store_or_frames, date_1, date_2, *, method: str = "kmeans",
                      k: int | None = None, clv_1=None, clv_2=None,
                      random_state: int = 42, nps: str = "latest"
                      ) -> tuple[Migration, SegmentModel, FeatureTable, FeatureTable]:
    """Fit segments at ``date_1`` and return the migration to ``date_2``.

    Parameters
    ----------
    store_or_frames : Store or dict of str to DataFrame
    date_1, date_2 : date-like
        ``date_1`` must be before ``date_2``.
    method, k, random_state, nps
        As in ``segment_clients``.
    clv_1, clv_2 : DataFrame or ClvResult, optional
        CLV tables valid at each date. Give both or neither, so that both dates
        have the same features.

    Returns
    -------
    (Migration, SegmentModel, FeatureTable, FeatureTable)
        The matrix, the model fitted at date 1 and the features at both dates.
    """
    tables = load_tables(store_or_frames)
    features_1 = build_features(tables, as_of=date_1, clv=clv_1, nps=nps)
    features_2 = build_features(tables, as_of=date_2, clv=clv_2, nps=nps)
    if features_1.as_of >= features_2.as_of:
        raise SegmentationError("segmentation.error.dates_not_ordered",
                                date_1=f"{features_1.as_of:%Y-%m-%d}",
                                date_2=f"{features_2.as_of:%Y-%m-%d}")
    model, _ = fit_segment_model(features_1.frame, method, k=k,
                                 random_state=random_state)
    return (migration_matrix(model, features_1, features_2), model, features_1,
            features_2)
