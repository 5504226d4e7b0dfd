"""Streamlit helpers of the Risk & return page: cached fits and the views of each tab.

``scorecard`` contains the cached fits, the upload reader and the scorecard views,
``pricing`` the priced book (EL, capital, RAROC), ``dynamic`` migration, watchlist
and stress, and ``method`` the formulas and checks.
"""

from .dynamic import render_migration, render_stress, render_watchlist, select_dates
from .method import render_method
from .pricing import (psi_view, render_master_scale, render_rankings,
                      render_risk_table, risk_return_figure)
from .scorecard import (ScorecardSettings, clv_or_reason, development_sample,
                        priced_book, read_uploaded_tables, render_report,
                        render_upload_source, riskiest_clients, sheet_frame,
                        store_scorecard, store_scorecard_or_reason, upload_scorecard)

__all__ = [
    "ScorecardSettings", "clv_or_reason", "development_sample", "priced_book",
    "psi_view", "read_uploaded_tables", "render_master_scale", "render_method",
    "render_migration", "render_rankings", "render_report", "render_risk_table",
    "render_stress", "render_upload_source", "render_watchlist", "risk_return_figure",
    "riskiest_clients", "select_dates", "sheet_frame", "store_scorecard",
    "store_scorecard_or_reason", "upload_scorecard",
]
