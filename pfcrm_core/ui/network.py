"""The Network page's cached analysis, the picture, and the tables beside it.

The analysis and each rendered picture are cached with ``st.cache_resource`` on
the database file, its ``data_version`` and the settings. Both are read-only once
built (views are copies), so sessions can share them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

import networkx as nx
import pandas as pd
import streamlit as st

from ..clv import ClvResult
from ..errors import ModelError
from ..i18n import translate
from ..network import (CADENCE_DAYS, CHANNEL_WEIGHTS, NetworkAnalysis, NetworkPicture,
                       analyse_network, edge_table, filter_graph, render_html,
                       view_communities, view_ego, view_top_clients)
from ..network.key_clients import KEY_CLIENT_WEIGHTS
from ..network.render import STAFF_COLOUR
from ..network.strength import HALF_LIFE_DAYS, band_of
from ..store import Store
from .cache import cached_table
from .client_table import client_table
from .context import error_text, label_of, t
from .models import cached_clv

logger = logging.getLogger(__name__)

SEED = 42
PICTURE_HEIGHT_PX = 650
# The legend that render_html appends below the drawing needs about this much.
IFRAME_EXTRA_PX = 60
VIEWS = ("top", "ego", "communities")
COLOUR_BY = ("community", "segment", "client_type")

# Column -> (catalogue key, number format or None for text).
COLUMNS = {
    "client_id": ("col.client_id", None),
    "name": ("col.name", None),
    "client_type_label": ("col.client_type", None),
    "community_number": ("network_page.col.community", "%d"),
    "degree": ("network_page.col.degree", "%d"),
    "weighted_degree": ("network_page.col.weighted_degree", "%,.0f"),
    "betweenness": ("network_page.col.betweenness", "%.4f"),
    "eigenvector": ("network_page.col.eigenvector", "%.4f"),
    "pagerank": ("network_page.col.pagerank", "%.4f"),
    "closeness": ("network_page.col.closeness", "%.2f"),
    "constraint": ("network_page.col.constraint", "%.3f"),
    "effective_size": ("network_page.col.effective_size", "%.1f"),
    "core_number": ("network_page.col.core_number", "%d"),
    "key_rank": ("network_page.col.key_rank", "%d"),
    "key_score": ("network_page.col.key_score", "%.1f"),
    "network_pct": ("network_page.col.network_pct", "%.1f"),
    "clv_pct": ("network_page.col.clv_pct", "%.1f"),
    "exposure_pct": ("network_page.col.exposure_pct", "%.1f"),
    "clv": ("col.clv", "%,.0f"),
    "exposure": ("network_page.col.exposure", "%,.0f"),
    "tier": ("network_page.col.tier", None),
    "good_ties": ("network_page.col.good_ties", "%d"),
    "staff_ties": ("network_page.col.staff_ties", "%d"),
    "best_staff": ("network_page.col.best_staff", None),
    "best_strength": ("network_page.col.best_strength", "%.0f"),
    "sole_good_staff": ("network_page.col.sole_good_staff", None),
    "source_name": ("network_page.col.source", None),
    "target_name": ("network_page.col.target", None),
    "edge_type_label": ("network_page.col.edge_type", None),
    "strength": ("network_page.col.strength", "%.0f"),
    "band_label": ("network_page.col.band", None),
    "trend": ("network_page.col.trend", "%+.0f"),
    "evidence_count": ("network_page.col.evidence_count", "%d"),
    "evidence_summary": ("network_page.col.evidence", None),
    "staff": ("network_page.col.staff", None),
    "interactions": ("network_page.col.interactions", "%d"),
    "last_date": ("network_page.col.last_date", None),
    "score": ("network_page.col.strength", "%.0f"),
    "clients": ("network_page.col.clients", "%d"),
    "sole_good_ties": ("network_page.col.sole_good_ties", "%d"),
    "sole_good_names": ("network_page.col.sole_good_names", None),
    "top_clients": ("network_page.col.top_clients", None),
    "node_type_label": ("network_page.col.node_type", None),
    "last_interaction": ("network_page.col.last_interaction", None),
    "days_since": ("network_page.col.days_since", "%.0f"),
    "cadence_days": ("network_page.col.cadence_days", "%.0f"),
    "days_overdue": ("network_page.col.days_overdue", "%.0f"),
    "value_score": ("network_page.col.value_score", "%.0f"),
    "date": ("network_page.col.date", None),
    "channel_label": ("network_page.col.channel", None),
    "age_days": ("network_page.col.age_days", "%.0f"),
    "channel_weight": ("network_page.col.channel_weight", "%.1f"),
    "contribution": ("network_page.col.contribution", "%.3f"),
    "share": ("network_page.col.share", "percent"),
    "notes": ("network_page.col.notes", None),
}

NODE_COLUMNS = ["name", "client_type_label", "community_number", "degree",
                "weighted_degree", "betweenness", "eigenvector", "pagerank",
                "closeness", "constraint", "effective_size", "core_number",
                "key_score", "client_id"]
EDGE_COLUMNS = ["source_name", "target_name", "edge_type_label", "strength",
                "band_label", "trend", "evidence_count", "evidence_summary"]


# Settings ---------------------------------------------------------------------


@dataclass(frozen=True)
class NetworkSettings:
    """Everything ``analyse_network`` is called with; hashable for the cache.

    Dictionaries are stored as sorted ``(name, value)`` tuples.
    """

    as_of: date | None = None
    half_life_days: float = HALF_LIFE_DAYS
    channel_weights: tuple = tuple(sorted(CHANNEL_WEIGHTS.items()))
    key_weights: tuple = tuple(sorted(KEY_CLIENT_WEIGHTS.items()))
    cadence_days: tuple = tuple(sorted(CADENCE_DAYS.items()))
    seed: int = SEED

    def arguments(self) -> dict:
        """Return the keyword arguments of ``analyse_network`` (without ``clv``)."""
        return {"as_of": self.as_of, "half_life_days": self.half_life_days,
                "channel_weights": dict(self.channel_weights),
                "key_weights": dict(self.key_weights),
                "cadence_days": dict(self.cadence_days), "seed": self.seed}


@dataclass(frozen=True)
class ViewSpec:
    """The picture's view, colours, sizes and filters; hashable for the cache."""

    view: str = "top"
    client: str | None = None
    colour_by: str = "community"
    size_by: str = "exposure"
    max_nodes: int = 300
    include_staff: bool = True
    min_strength: float = 0.0
    client_types: tuple | None = None
    communities: tuple | None = None


def interaction_dates(store: Store) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """Return the first and the latest interaction date, None without interactions."""
    dates = pd.to_datetime(cached_table(store, "interactions")["date"]).dropna()
    if dates.empty:
        return None
    return dates.min().normalize(), dates.max().normalize()


# Cached analysis --------------------------------------------------------------


def clv_for_network(store: Store) -> tuple[ClvResult | None, str | None]:
    """Return the CLV page's default fit, or None and the reason it is unavailable."""
    if cached_table(store, "revenue").empty:
        return None, t("network_page.clv.no_revenue")
    try:
        return cached_clv(store), None
    except ModelError as exc:
        logger.info("network without CLV: %s", exc)
        return None, error_text(exc)


@st.cache_resource(show_spinner=False, max_entries=8)
def _analyse_cached(path: str, version: tuple, settings: NetworkSettings,
                    with_clv: bool, _clv: ClvResult | None) -> NetworkAnalysis:
    # The CLV fit is fixed by (path, version), so it is not hashed.
    return analyse_network(Store(path), clv=_clv if with_clv else None,
                           **settings.arguments())


def network_analysis(store: Store, settings: NetworkSettings,
                     clv: ClvResult | None) -> NetworkAnalysis:
    """Analyse the book's network (or reuse the result) with the page's settings.

    Raises
    ------
    NetworkError
        When the data or settings cannot support the analysis.
    """
    with st.spinner(t("network_page.computing")):
        return _analyse_cached(str(store.path), store.data_version(), settings,
                               clv is not None, clv)


def segment_labels(store: Store, lang: str) -> tuple[dict | None, str | None]:
    """Return client id -> segment label of the Segments page's default fit.

    The fit (k-means, k chosen automatically, the book's latest date, latest NPS)
    is shared with the Segments page's cache. Returns None and the reason when the
    data cannot support it.
    """
    # Imported here because the Segments helpers import scikit-learn, which only
    # this colouring needs.
    from . import segments as seg

    latest = seg.book_as_of(store)
    if latest is None:
        return None, t("segments.no_dates")
    clv, _ = seg.clv_for_segments(store, latest.date())
    try:
        result = seg.segment_result(store, method="kmeans", k=None,
                                    as_of=latest.date(), nps="latest", clv=clv)
    except ModelError as exc:
        return None, error_text(exc)
    names = seg.segment_labels(result.profiles, "kmeans", lang)
    return {client: names[segment] for client, segment in result.labels.items()}, None


# The picture ------------------------------------------------------------------


def build_view(analysis: NetworkAnalysis, spec: ViewSpec, lang: str,
               segments: dict | None) -> tuple[nx.Graph, str]:
    """Return the graph to draw and the node attribute that picks its colours.

    The view is a copy, so the labels added here leave the cached graph as it was.
    """
    filters = {"min_strength": spec.min_strength,
               "client_types": None if spec.client_types is None
               else set(spec.client_types),
               "communities": None if spec.communities is None
               else set(spec.communities)}
    if spec.view == "communities":
        filtered = filter_graph(analysis.graph, include_staff=False, **filters)
        return view_communities(filtered, lang=lang), "community"
    if spec.view == "ego":
        view = view_ego(analysis.graph, spec.client, max_nodes=spec.max_nodes,
                        include_staff=spec.include_staff, **filters)
    else:
        view = view_top_clients(analysis.graph, max_nodes=spec.max_nodes,
                                include_staff=spec.include_staff, **filters)

    if spec.colour_by == "community":
        return view, "community"
    attribute = f"{spec.colour_by}_label"
    for node, data in view.nodes(data=True):
        if data.get("node_type") != "client":
            continue
        if spec.colour_by == "segment":
            data[attribute] = (segments or {}).get(node)
        elif data.get("client_type") is not None:
            data[attribute] = translate_category("client_type", data["client_type"],
                                                 lang)
    return view, attribute


@st.cache_resource(show_spinner=False, max_entries=32)
def _picture_cached(path: str, version: tuple, settings: NetworkSettings,
                    with_clv: bool, spec: ViewSpec, lang: str,
                    _analysis: NetworkAnalysis, _segments: dict | None
                    ) -> tuple[NetworkPicture, nx.Graph]:
    # The analysis and segments are fixed by the hashed arguments.
    view, colour_attribute = build_view(_analysis, spec, lang, _segments)
    picture = render_html(view, color_by=colour_attribute, size_by=spec.size_by,
                          lang=lang,
                          height_px=PICTURE_HEIGHT_PX, seed=settings.seed)
    return picture, view


def network_picture(store: Store, settings: NetworkSettings, clv: ClvResult | None,
                    analysis: NetworkAnalysis, spec: ViewSpec, lang: str,
                    segments: dict | None) -> tuple[NetworkPicture, nx.Graph]:
    """Return the rendered picture of ``spec`` and the graph it draws."""
    with st.spinner(t("network_page.drawing")):
        return _picture_cached(str(store.path), store.data_version(), settings,
                               clv is not None, spec, lang, analysis, segments)


def show_picture(picture: NetworkPicture) -> None:
    """Embed the picture's offline HTML page."""
    st.iframe(picture.html, height=PICTURE_HEIGHT_PX + IFRAME_EXTRA_PX,
              alt=t("network_page.picture.alt"))


def legend_table(picture: NetworkPicture):
    """Return the colour legend as a styled table: a swatch cell and the label.

    Labels are plain cell text, so Streamlit shows them escaped.
    """
    colours, labels = [], []
    for entry in picture.legend:
        if entry["kind"] == "colour":
            colours.append(entry["colour"])
            labels.append(entry["label"])
        elif entry["kind"] == "shape":
            colours.append(STAFF_COLOUR)
            labels.append(entry["label"])
    frame = pd.DataFrame({"swatch": [""] * len(labels), "label": labels})

    def paint(column: pd.Series) -> list[str]:
        if column.name != "swatch":
            return [""] * len(column)
        return [f"background-color: {colour}" for colour in colours]

    return frame.style.apply(paint, axis=0)


def legend_notes(picture: NetworkPicture) -> list[str]:
    """Return the legend entries without a swatch (what size and width mean)."""
    return [entry["label"] for entry in picture.legend
            if entry["kind"] not in ("colour", "shape")]


# Tables -----------------------------------------------------------------------


def translate_category(prefix: str, value, lang: str) -> str:
    """Translate ``prefix.value`` when the catalogue has it, else show the value."""
    try:
        return translate(f"{prefix}.{value}", lang)
    except KeyError:
        return str(value)


def client_labels(analysis: NetworkAnalysis) -> dict:
    """Return client id -> "name (id)", the text of client pickers."""
    return {client: f"{name} ({client})"
            for client, name in analysis.nodes["name"].items()}


def with_labels(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Add the translated label columns that the tables show."""
    frame = frame.copy()
    if "client_type" in frame:
        frame["client_type_label"] = [
            "" if pd.isna(v) else translate_category("client_type", v, lang)
            for v in frame["client_type"]]
    if "community" in frame:
        frame["community_number"] = frame["community"] + 1
    if "band" in frame:
        frame["band_label"] = [translate(f"network.band.{band}", lang)
                               for band in frame["band"]]
    if "edge_type" in frame:
        frame["edge_type_label"] = [translate(f"network_page.edge_type.{kind}", lang)
                                    for kind in frame["edge_type"]]
    if "evidence" in frame:
        frame["evidence_summary"] = [evidence_text(items, lang)
                                     for items in frame["evidence"]]
    if "channel" in frame:
        frame["channel_label"] = [translate_category("network_page.channel", v, lang)
                                  for v in frame["channel"]]
    return frame


def evidence_text(evidence: list, lang: str) -> str:
    """Return "shared project × 2, syndicate × 1" for a list of evidence tuples."""
    counts: dict[str, int] = {}
    for kind, _, _ in evidence:
        counts[kind] = counts.get(kind, 0) + 1
    return ", ".join(f"{translate_category('network_page.evidence', kind, lang)} × {n}"
                     for kind, n in sorted(counts.items()))


def view_node_table(analysis: NetworkAnalysis, view: nx.Graph,
                    lang: str) -> pd.DataFrame:
    """Return the measures of the clients drawn in ``view``, by key-client rank."""
    drawn = [n for n, kind in view.nodes(data="node_type") if kind == "client"]
    table = analysis.nodes.loc[analysis.nodes.index.isin(drawn)]
    return with_labels(table.reset_index(), lang)


def view_edge_table(view: nx.Graph, drawn: int, lang: str) -> pd.DataFrame:
    """Return the ``drawn`` strongest edges of ``view``, the ones the picture shows.

    ``render_html`` draws edges in the order of ``edge_table`` (strength, then
    ends), so its first ``drawn`` rows are the lines on the picture.
    """
    table = edge_table(view)
    if table.empty:
        return pd.DataFrame(columns=EDGE_COLUMNS)
    return with_labels(table.head(drawn), lang)


def community_table(analysis: NetworkAnalysis, lang: str) -> pd.DataFrame:
    """Return one row per community: size, CLV and exposure sums, top clients."""
    nodes = analysis.nodes
    rows = []
    for number, members in enumerate(analysis.communities.communities):
        part = nodes.loc[nodes.index.isin(members)].sort_values("key_rank")
        rows.append({
            "community_number": number + 1, "clients": len(part),
            "clv": part["clv"].sum(min_count=1), "exposure": part["exposure"].sum(),
            "top_clients": ", ".join(part["name"].head(3).astype(str))})
    return pd.DataFrame(rows, columns=["community_number", "clients", "clv",
                                       "exposure", "top_clients"])


def column_config(columns: list[str]) -> dict:
    """Return translated column labels and number formats for ``st.dataframe``."""
    config = {}
    for column in columns:
        key, number_format = COLUMNS.get(column, (None, None))
        label = t(key) if key else column
        if number_format is None:
            config[column] = st.column_config.TextColumn(label)
        else:
            config[column] = st.column_config.NumberColumn(label, format=number_format)
    return config


def show_table(frame: pd.DataFrame, columns: list[str], *, key: str,
               height: int | str = "auto", clients: bool = False) -> None:
    """Show ``columns`` of ``frame`` with translated headers; short tables fit.

    With ``clients=True`` the rows are clients (``frame`` has ``client_id``) and
    selecting one opens that client's profile (``client_table``).
    """
    present = [c for c in columns if c in frame]
    if len(frame) <= 10:
        height = "auto"
    if clients:
        shown = frame[present + ([] if "client_id" in present else ["client_id"])]
        client_table(shown, key=key, column_order=present, hide_index=True,
                     width="stretch", height=height,
                     column_config=column_config(present))
        return
    st.dataframe(frame[present], hide_index=True, width="stretch", height=height,
                 column_config=column_config(present), key=key)


def note_texts(analysis: NetworkAnalysis, lang: str) -> list[str]:
    """Return the analysis notes in ``lang``, with part names translated."""
    texts = []
    for note in analysis.notes:
        values = dict(note.values)
        if "part" in values:
            values["part"] = translate(f"network_page.part.{values['part']}", lang)
        texts.append(translate(note.key, lang, **values))
    return texts


def key_parts(table: pd.DataFrame, weights: dict, lang: str) -> pd.DataFrame:
    """Return each client's key-client score split into its weighted parts.

    As in ``key_clients.key_client_table``, the weights are rescaled to sum to 1
    over the parts that have data, so the parts of a row add up to its score.
    """
    used = {part: weight for part, weight in weights.items()
            if weight > 0 and table[f"{part}_pct"].notna().any()}
    total = sum(used.values()) or 1.0
    rows = []
    for part, weight in used.items():
        rows.append(pd.DataFrame({
            "name": table["name"].astype(str),
            "part": translate(f"network_page.part.{part}", lang),
            "points": table[f"{part}_pct"].fillna(0.0) * weight / total}))
    if not rows:
        return pd.DataFrame(columns=["name", "part", "points"])
    return pd.concat(rows, ignore_index=True)


def hop_table(path, lang: str) -> pd.DataFrame:
    """Return one row per hop of a warm-introduction chain, as display text."""
    rows = []
    for number, (source, target, strength) in enumerate(
            zip(path.names, path.names[1:], path.hop_strengths), start=1):
        rows.append({
            translate("network_page.warm.hop", lang): str(number),
            translate("network_page.col.source", lang): str(source),
            translate("network_page.col.target", lang): str(target),
            translate("network_page.col.strength", lang): f"{strength:.0f}",
            translate("network_page.col.band", lang):
                translate(f"network.band.{band_of(strength)}", lang)})
    return pd.DataFrame(rows)


def problem_table(analysis: NetworkAnalysis, lang: str) -> pd.DataFrame:
    """Return the rows left out of the graph with the problem in ``lang``."""
    problems = analysis.problems.copy()
    problems["problem"] = [translate(key, lang) for key in problems["problem"]]
    problems["value"] = problems["value"].astype(str)
    return problems
