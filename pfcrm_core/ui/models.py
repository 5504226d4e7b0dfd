"""Cached model fits for the pages, keyed on the database version and the settings."""

from __future__ import annotations

from datetime import date

import streamlit as st

from ..clv import DEFAULT_MARGIN, ClvDataError, ClvResult, fit_clv
from ..errors import PfcrmError
from ..fx import revenue_in_usd
from ..i18n import translate
from ..store import Store
from .cache import cached_table
from .context import language, show_error, t


@st.cache_resource(show_spinner=False, max_entries=8)
def _fit_clv_cached(path: str, version: tuple, unit: str, observation_end: date | None,
                    calibration_end: date | None, horizon_months: int,
                    discount_rate_monthly: float, margin: float) -> ClvResult:
    # The result is read-only once fitted, so sharing it between sessions is safe.
    revenue = Store(path).read_table("revenue", ["client_id", "date", "amount",
                                                 "currency"])
    return fit_clv(revenue_in_usd(revenue), observation_end=observation_end,
                   calibration_end=calibration_end, unit=unit,
                   horizon_months=horizon_months,
                   discount_rate_monthly=discount_rate_monthly, margin=margin)


def cached_clv(store: Store, *, unit: str = "weeks", observation_end: date | None = None,
               calibration_end: date | None = None, horizon_months: int = 12,
               discount_rate_monthly: float = 0.01,
               margin: float = DEFAULT_MARGIN) -> ClvResult:
    """Fit (or reuse) the CLV models on the store's revenue in USD."""
    with st.spinner(t("clv.fitting")):
        return _fit_clv_cached(str(store.path), store.data_version(), unit,
                               observation_end, calibration_end, horizon_months,
                               discount_rate_monthly, margin)


def clv_error_text(exc: ClvDataError) -> str:
    """Return the CLV data error in the session's language."""
    return translate(exc.key, language(), **exc.values)


def clv_or_warning(store: Store, **settings) -> ClvResult | None:
    """Return the CLV fit, or show why the data cannot support it and return None."""
    if cached_table(store, "revenue").empty:
        st.info(t("clv.no_revenue"))
        return None
    try:
        return cached_clv(store, **settings)
    except ClvDataError as exc:
        st.warning(clv_error_text(exc))
    except PfcrmError as exc:
        show_error(exc)
    return None
