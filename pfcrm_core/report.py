"""The executive report: the Overview page's KPIs and tables as Excel and as HTML.

``executive_tables`` builds the tables with translated headers and category labels.
``report_xlsx`` writes them as one workbook through ``pfcrm_core.export``, which
stores text that a spreadsheet would run as a formula as plain text. ``report_html``
writes a self-contained printable page in which every value is HTML-escaped and
nothing is loaded from another address. Money is in USD at the reference rates of
``pfcrm_core.fx``.
"""

from __future__ import annotations

import html
import math
import numbers
import re

import pandas as pd

from . import overview
from .export import to_xlsx_bytes
from .i18n import LANGUAGES, catalogue, translate

TOP_CLIENTS = 15

# Excel rejects these characters in sheet names and caps a name at 31 characters.
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_SHEET_MAX = 31

_PRINT_CSS = """
body { font-family: "Helvetica Neue", Arial, "PingFang SC", "Microsoft YaHei",
       "Noto Sans CJK SC", sans-serif; color: #1a1a1a; margin: 2rem; font-size: 11pt; }
h1 { font-size: 18pt; margin-bottom: 0.2rem; }
h2 { font-size: 13pt; margin-top: 1.6rem; border-bottom: 1px solid #888; }
table { border-collapse: collapse; width: 100%; margin-top: 0.4rem; }
th, td { border: 1px solid #bbb; padding: 0.25rem 0.5rem; text-align: left; }
th { background: #eef1f5; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
p.footer { margin-top: 2rem; color: #555; font-size: 9pt; }
@page { size: A4; margin: 15mm; }
@media print {
  body { margin: 0; }
  section { break-inside: avoid; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
}
"""


def _check_language(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown report language {lang!r}: use one of "
                         f"{', '.join(LANGUAGES)}")


def _label(prefix: str, value: object, lang: str) -> str:
    """Translate a stored category value, or return it as stored when unknown."""
    key = f"{prefix}.{value}"
    return translate(key, lang) if key in catalogue() else str(value)


def _share_percent(values: pd.Series) -> pd.Series:
    total = values.sum()
    if total <= 0:
        return pd.Series(math.nan, index=values.index)
    return (values / total * 100.0).round(1)


def kpi_table(kpis: overview.Kpis, lang: str) -> pd.DataFrame:
    """Return the headline KPIs as rows of indicator, value and unit."""
    def tr(key: str) -> str:
        return translate(key, lang)

    usd, count = tr("report.unit.usd"), tr("report.unit.count")
    growth = kpis.revenue_growth
    rows = [
        (tr("report.kpi.as_of"), f"{kpis.as_of:%Y-%m-%d}", ""),
        (tr("report.kpi.clients"), kpis.clients, count),
        (tr("report.kpi.active_clients"), kpis.active_clients, count),
        (tr("report.kpi.exposure"), round(kpis.exposure_usd, 2), usd),
        (tr("report.kpi.live_deals"), kpis.live_deals, count),
        (tr("report.kpi.revenue_12m"), round(kpis.revenue_12m_usd, 2), usd),
        (tr("report.kpi.revenue_prior_12m"), round(kpis.revenue_prior_12m_usd, 2), usd),
        (tr("report.kpi.revenue_growth"),
         math.nan if growth is None else round(growth * 100.0, 1),
         tr("report.unit.percent")),
    ]
    if kpis.unknown_currencies:
        rows.append((tr("report.kpi.unknown_currencies"),
                     ", ".join(kpis.unknown_currencies), ""))

    columns = [tr("report.col.indicator"), tr("report.col.value"), tr("report.col.unit")]
    frame = pd.DataFrame(rows, columns=columns)
    frame[columns[1]] = frame[columns[1]].astype(object)
    return frame


def clients_by_type_table(clients: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Return the number and share of clients per client type, largest first."""
    mix = overview.clients_by_type(clients)
    return pd.DataFrame({
        translate("col.client_type", lang):
            mix["client_type"].map(lambda v: _label("client_type", v, lang)),
        translate("report.col.clients", lang): mix["clients"].astype(int),
        translate("report.col.share", lang): _share_percent(mix["clients"]),
    })


def exposure_by_type_table(deals: pd.DataFrame, clients: pd.DataFrame,
                           as_of: pd.Timestamp, lang: str) -> pd.DataFrame:
    """Return live exposure in USD and its share per client type, largest first."""
    exposure = overview.exposure_by(deals, clients, as_of, by="client_type")
    return pd.DataFrame({
        translate("col.client_type", lang):
            exposure["client_type"].map(lambda v: _label("client_type", v, lang)),
        translate("report.col.exposure_usd", lang): exposure["exposure_usd"].round(2),
        translate("report.col.share", lang): _share_percent(exposure["exposure_usd"]),
    })


def revenue_by_quarter_table(revenue: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Return revenue in USD per calendar quarter, one column per revenue kind."""
    quarter_column = translate("report.col.quarter", lang)
    total_column = translate("report.col.total_usd", lang)
    trend = overview.fee_income_trend(revenue)
    if trend.empty:
        return pd.DataFrame(columns=[quarter_column, total_column])

    # One row per quarter and one column per kind, so the sheet reads like a ledger.
    wide = trend.pivot_table(index="period", columns="kind", values="amount_usd",
                             aggfunc="sum", fill_value=0.0).sort_index()
    wide.columns = [_label("revenue_kind", kind, lang) for kind in wide.columns]
    wide = wide.round(2)
    wide[total_column] = wide.sum(axis=1).round(2)

    labels = [f"{period.year} Q{period.quarter}" for period in wide.index]
    wide.insert(0, quarter_column, labels)
    return wide.reset_index(drop=True)


def top_clients_table(clv_clients: pd.DataFrame, clients: pd.DataFrame,
                      lang: str, limit: int = TOP_CLIENTS) -> pd.DataFrame:
    """Return the ``limit`` clients with the highest finite CLV, with their labels.

    ``clv_clients`` is ``ClvResult.clients``: one row per client with ``client_id``,
    ``p_alive``, ``expected_transactions`` and ``clv`` in USD. Clients whose CLV is
    missing (the model could not value them) are left out.
    """
    finite = clv_clients[clv_clients["clv"].notna()]
    top = finite.nlargest(limit, "clv").merge(
        clients[["client_id", "name", "client_type", "sector", "region"]],
        on="client_id", how="left")
    for column in ("client_type", "sector", "region"):
        top[column] = top[column].map(lambda v, prefix=column: _label(prefix, v, lang))

    columns = ["client_id", "name", "client_type", "sector", "region", "p_alive",
               "expected_transactions", "clv"]
    top = top[columns].copy()
    top["p_alive"] = top["p_alive"].round(3)
    top["expected_transactions"] = top["expected_transactions"].round(2)
    top["clv"] = top["clv"].round(0)
    top.columns = [translate(f"col.{column}", lang) for column in columns]
    return top.reset_index(drop=True)


def executive_tables(clients: pd.DataFrame, deals: pd.DataFrame, revenue: pd.DataFrame,
                     clv_clients: pd.DataFrame | None = None,
                     as_of: pd.Timestamp | None = None,
                     lang: str = "en") -> dict[str, pd.DataFrame]:
    """Build the executive report's tables with translated sheet names and headers.

    Parameters
    ----------
    clients, deals, revenue : DataFrame
        The canonical tables, as ``Store.read_table`` returns them.
    clv_clients : DataFrame, optional
        ``ClvResult.clients``. Without it the report has no top-clients table.
    as_of : Timestamp, optional
        Date of the KPIs and live exposure; by default the latest revenue or deal
        start date (``overview.default_as_of``).
    lang : {"en", "zh"}
        Language of the sheet names, headers and category labels.

    Returns
    -------
    dict of str to DataFrame
        In this order: KPIs, clients by type, exposure by type, revenue by quarter
        and, with ``clv_clients``, top clients by CLV. Keys are the translated
        sheet names.

    Raises
    ------
    ValueError
        When ``lang`` is not a supported language.
    """
    _check_language(lang)
    if as_of is None:
        as_of = overview.default_as_of(revenue, deals)
    kpis = overview.compute_kpis(clients, deals, revenue, as_of)

    tables = {
        translate("report.sheet.kpis", lang): kpi_table(kpis, lang),
        translate("report.sheet.clients_by_type", lang):
            clients_by_type_table(clients, lang),
        translate("report.sheet.exposure_by_type", lang):
            exposure_by_type_table(deals, clients, as_of, lang),
        translate("report.sheet.revenue_by_quarter", lang):
            revenue_by_quarter_table(revenue, lang),
    }
    if clv_clients is not None:
        tables[translate("report.sheet.top_clients", lang)] = top_clients_table(
            clv_clients, clients, lang)
    return tables


def sheet_name(name: str) -> str:
    """Return ``name`` as a valid Excel sheet name (no ``[]:*?/\\``, 31 characters)."""
    cleaned = _SHEET_FORBIDDEN.sub(" ", name).strip().strip("'")
    return cleaned[:_SHEET_MAX] or "Sheet"


def report_xlsx(tables: dict[str, pd.DataFrame], lang: str = "en") -> bytes:
    """Write the report's tables as an XLSX workbook, one sheet per table.

    Every text cell and header that a spreadsheet would run as a formula gets a
    leading apostrophe (``export.neutralise_frame``). ``lang`` is checked only,
    because the tables already carry translated names and headers.

    Raises
    ------
    ValueError
        When ``lang`` is not supported, or two tables map to the same sheet name.
    """
    _check_language(lang)
    sheets: dict[str, pd.DataFrame] = {}
    for name, frame in tables.items():
        safe_name = sheet_name(name)
        if safe_name in sheets:
            raise ValueError(f"invalid table name {name!r}: another table also maps to "
                             f"the sheet name {safe_name!r}, so rename one of them")
        sheets[safe_name] = frame
    return to_xlsx_bytes(sheets)


def _cell_text(value: object) -> str:
    """Format one cell for the HTML report: thousands separators, no NaN."""
    if value is None or isinstance(value, bool):
        return "" if value is None else str(value)
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, numbers.Integral):
        return f"{value:,}"
    if isinstance(value, numbers.Real):
        if math.isnan(value):
            return "–"
        return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}"
    return str(value)


def _html_table(frame: pd.DataFrame, lang: str) -> str:
    if frame.empty:
        return f"<p>{html.escape(translate('report.empty_table', lang))}</p>"

    header = "".join(f"<th>{html.escape(str(column))}</th>" for column in frame.columns)
    rows = []
    for record in frame.itertuples(index=False):
        cells = []
        for value in record:
            numeric = isinstance(value, numbers.Real) and not isinstance(value, bool)
            css = ' class="number"' if numeric else ""
            cells.append(f"<td{css}>{html.escape(_cell_text(value))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (f"<table><thead><tr>{header}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def report_html(tables: dict[str, pd.DataFrame], lang: str = "en",
                title: str = "PF-CRM") -> str:
    """Write the report's tables as one printable, self-contained HTML page.

    Titles, headers and cell values are escaped with ``html.escape``. Styles are
    inline, and the page links no script, image, font or style sheet, so it opens
    offline and cannot call another address.

    Raises
    ------
    ValueError
        When ``lang`` is not a supported language.
    """
    _check_language(lang)
    sections = [f"<section><h2>{html.escape(str(name))}</h2>{_html_table(frame, lang)}"
                "</section>" for name, frame in tables.items()]
    html_lang = "zh-Hans" if lang == "zh" else "en"
    footer = html.escape(translate("report.footer", lang))
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html_lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_PRINT_CSS}</style>\n</head>\n"
        f"<body>\n<h1>{html.escape(title)}</h1>\n" + "\n".join(sections)
        + f'\n<p class="footer">{footer}</p>\n</body>\n</html>\n'
    )
