"""The interactive network picture: a self-contained pyvis HTML page.

Three views pick what to draw, each at most ``MAX_NODES`` nodes by default:
``view_top_clients`` (the most important clients), ``view_ego`` (one client and
its neighbours) and ``view_communities`` (one node per community).
``render_html`` lays the view out on the server: ``networkx.spring_layout`` with a
fixed seed places the largest component, and the other components are packed in
rows below it. Positions are passed as x/y with physics off, so the page is a
pure function of its inputs and can be cached.

Offline: pyvis 0.3.2 with ``cdn_resources="in_line"`` inlines vis-network 9.1.2
but still links Bootstrap from cdn.jsdelivr.net, so every ``<script>`` and
``<link>`` tag with an external address is removed and the result is checked.

Text safety: names reach the page in three places.

- Node and edge data are serialised by Jinja's ``tojson`` filter, which writes
  ``<``, ``>``, ``&`` and ``'`` as ``\\u003c`` and so on, so a name cannot close
  the ``<script>`` block.
- vis-network 9.1.2 draws labels on a canvas and shows a string ``title`` with
  ``innerText`` (``Popup.setText``), so labels and tooltips are plain text. They
  are passed unescaped, because ``html.escape`` would show ``AT&amp;T`` to
  the user.
- pyvis switches to its own tooltip, which sets ``innerHTML``, when any node title
  contains "href". That line is rewritten to ``innerText``.

The legend, the only HTML this module writes, is escaped with ``html.escape``.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import pandas as pd
from pyvis.edge import Edge
from pyvis.network import Network

from pfcrm_core.i18n import translate
from pfcrm_core.network.errors import NetworkError

MAX_NODES = 300
MAX_EDGES = 2000
SEED = 42
LABEL_CHARACTERS = 28
# Spacing in pixels of the small components packed below the largest one.
CELL = 60.0
# Smallest layout pull of a tie, as a share of the pull of a tie of strength 100.
LAYOUT_FLOOR = 0.2

PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
           "#b07aa1", "#ff9da7", "#9c755f", "#86bcb6", "#d37295", "#a0cbe8")
OTHER_COLOUR = "#bab0ac"
STAFF_COLOUR = "#2f3e4e"
EDGE_COLOUR = "#8c96a0"
SIZE_MEASURES = ("clv", "exposure", "pagerank", "clients")

_EXTERNAL_TAG = re.compile(
    r"<script\b[^>]*\bsrc\s*=\s*[\"']?\s*(?:https?:)?//[^>]*>\s*</script\s*>"
    r"|<link\b[^>]*\bhref\s*=\s*[\"']?\s*(?:https?:)?//[^>]*>", re.IGNORECASE)
_EXTERNAL_REFERENCE = re.compile(r"\b(?:src|href)\s*=\s*[\"']?\s*(?:https?:)?//",
                                 re.IGNORECASE)
_HTML_TOOLTIP = "popup.innerHTML = nodeData[0].title;"
# vis-network fits the view to the frame's size when it first draws. A frame that
# is sized later (Streamlit sets the iframe height after loading it) would show
# the nodes small and off-centre, so the view is fitted again on load and resize.
_REFIT_SCRIPT = """
<script>
  function refit() { if (typeof network !== "undefined") { network.fit(); } }
  window.addEventListener("load", refit);
  window.addEventListener("resize", refit);
</script>"""


@dataclass
class NetworkPicture:
    """A rendered network view.

    Attributes
    ----------
    html : str
        A complete HTML document with no external resources.
    legend : list of dict
        Entries with ``kind`` ("colour", "shape", "size" or "width"), ``label``
        and, for colours, ``colour``; the same legend is drawn in ``html``.
    nodes, edges : int
        Counts drawn.
    positions : dict
        Node id to (x, y) in pixels.
    """

    html: str
    legend: list[dict] = field(default_factory=list)
    nodes: int = 0
    edges: int = 0
    positions: dict = field(default_factory=dict)


def filter_graph(G: nx.Graph, *, min_strength: float = 0.0,
                 client_types=None, communities=None,
                 include_staff: bool = True) -> nx.Graph:
    """Return a read-only view of ``G`` without weak edges and unselected clients.

    Parameters
    ----------
    min_strength : float, default 0
        Edges with ``strength`` below this are hidden.
    client_types : collection of str, optional
        Client types to keep; staff nodes are kept whatever their type.
    communities : collection of int, optional
        Community numbers (node attribute ``community``) to keep.
    include_staff : bool, default True
        Whether staff nodes are kept.
    """
    def keep_node(node) -> bool:
        data = G.nodes[node]
        if data.get("node_type") == "staff":
            return include_staff
        if client_types is not None and data.get("client_type") not in client_types:
            return False
        return communities is None or data.get("community") in communities

    def keep_edge(u, v) -> bool:
        return G.edges[u, v].get("strength", 0.0) >= min_strength

    return nx.subgraph_view(G, filter_node=keep_node, filter_edge=keep_edge)


def view_top_clients(G: nx.Graph, *, by: str = "key_score",
                     max_nodes: int = MAX_NODES, include_staff: bool = False,
                     **filters) -> nx.Graph:
    """Return the ``max_nodes`` clients ranked highest by the node attribute ``by``.

    ``filters`` go to ``filter_graph`` (``min_strength``, ``client_types``,
    ``communities``). With ``include_staff`` the staff tied to the chosen clients
    are added and count towards ``max_nodes``.
    """
    _check_max_nodes(max_nodes)
    H = filter_graph(G, include_staff=include_staff, **filters)
    clients = [n for n, kind in H.nodes(data="node_type") if kind == "client"]
    ranked = sorted(clients, key=lambda n: (-_number(H.nodes[n].get(by)), str(n)))
    staff = sorted({m for n in ranked[:max_nodes] for m in H[n]
                    if H.nodes[m].get("node_type") == "staff"}, key=str)
    staff = staff[:max_nodes - 1]
    chosen = ranked[:max_nodes - len(staff)] + staff
    return nx.Graph(H.subgraph(chosen))


def view_ego(G: nx.Graph, client_id, *, radius: int = 1, by: str = "key_score",
             max_nodes: int = MAX_NODES, include_staff: bool = True,
             **filters) -> nx.Graph:
    """Return ``client_id`` and the nodes within ``radius`` hops of it.

    Above ``max_nodes`` the neighbours kept are the nearest, then those ranked
    highest by ``by``. The chosen client is kept even when the filters exclude it.

    Raises
    ------
    NetworkError
        When ``client_id`` is not a node of ``G``.
    """
    _check_max_nodes(max_nodes)
    if client_id not in G:
        raise NetworkError("network.error.unknown_client", value=client_id)
    H = filter_graph(G, include_staff=include_staff, **filters)
    if client_id not in H:
        return nx.Graph(G.subgraph([client_id]))
    hops = nx.single_source_shortest_path_length(H, client_id, cutoff=radius)
    ranked = sorted(hops, key=lambda n: (hops[n], -_number(H.nodes[n].get(by)),
                                         str(n)))
    return nx.Graph(H.subgraph(ranked[:max_nodes]))


def view_communities(G: nx.Graph, *, lang: str = "en") -> nx.Graph:
    """Return one node per community, joined by the summed strength between them.

    Reads the node attribute ``community``; clients without one and staff are
    left out. Node attributes: ``name``, ``community``, ``clients`` (count),
    ``clv`` and ``exposure`` (sums).
    """
    members: dict[int, list] = {}
    for node, data in G.nodes(data=True):
        if data.get("node_type") == "client" and data.get("community") is not None:
            members.setdefault(int(data["community"]), []).append(node)

    H = nx.Graph()
    for number in sorted(members):
        nodes = members[number]
        H.add_node(f"community:{number}", node_type="community", community=number,
                   name=translate("network.legend.community", lang,
                                  number=number + 1),
                   clients=len(nodes),
                   clv=_sum_attribute(G, nodes, "clv"),
                   exposure=_sum_attribute(G, nodes, "exposure"))
    totals: dict[tuple[int, int], float] = {}
    for u, v, s in G.edges(data="strength", default=0.0):
        cu, cv = G.nodes[u].get("community"), G.nodes[v].get("community")
        if cu is None or cv is None or cu == cv:
            continue
        key = (min(cu, cv), max(cu, cv))
        totals[key] = totals.get(key, 0.0) + s
    for (cu, cv), total in sorted(totals.items()):
        H.add_edge(f"community:{cu}", f"community:{cv}", strength=total,
                   edge_type="community")
    return H


def render_html(view: nx.Graph, *, color_by: str = "community",
                size_by: str | None = "clv", lang: str = "en", height_px: int = 650,
                seed: int = SEED, max_edges: int = MAX_EDGES) -> NetworkPicture:
    """Draw a view as an offline, interactive HTML page.

    Parameters
    ----------
    view : networkx.Graph
        A graph from one of the ``view_*`` functions.
    color_by : str, default "community"
        Node attribute whose values pick the colour (``community``,
        ``client_type``, ``region`` or a segment attribute); staff are dark
        squares.
    size_by : {"clv", "exposure", "pagerank", "clients"} or None, default "clv"
        Node attribute that sets the area of the node; None draws equal sizes.
    lang : {"en", "zh"}
        Language of the tooltips and legend.
    height_px : int, default 650
        Height of the drawing area in pixels.
    seed : int, default 42
        Seed of the spring layout.
    max_edges : int, default 2000
        Strongest edges drawn; more make the page slow to draw.

    Returns
    -------
    NetworkPicture
    """
    if size_by is not None and size_by not in SIZE_MEASURES:
        raise NetworkError("network.error.bad_size_by", value=size_by,
                           allowed=", ".join(SIZE_MEASURES))
    nodes = sorted(view.nodes, key=str)
    positions = _layout(view, nodes, seed)
    colours, colour_legend = _colours(view, nodes, color_by, lang)
    sizes = _sizes(view, nodes, size_by)
    edges = sorted(view.edges(data=True), key=lambda e: (-e[2].get("strength", 0.0),
                                                          str(e[0]), str(e[1])))
    edges = edges[:max_edges]
    max_strength = max((d.get("strength", 0.0) for _, _, d in edges), default=1.0)

    net = Network(height=f"{int(height_px)}px", width="100%", cdn_resources="in_line")
    for node in nodes:
        data = view.nodes[node]
        net.add_node(str(node), label=_label(data.get("name", node)),
                     title=_node_tooltip(data, lang),
                     color=colours[node], size=sizes[node],
                     shape="square" if data.get("node_type") == "staff" else "dot",
                     x=positions[node][0], y=positions[node][1], physics=False)
    # pyvis's add_edge scans every existing edge for a duplicate (quadratic);
    # a networkx Graph has none, so edges are appended directly.
    for u, v, data in edges:
        edge = Edge(str(u), str(v), False, title=_edge_tooltip(data, lang),
                    width=_edge_width(data.get("strength", 0.0), max_strength),
                    color=EDGE_COLOUR)
        net.edges.append(edge.options)
    net.toggle_physics(False)
    # Dynamic smooth edges add a hidden support node per edge. Straight lines draw
    # thousands of edges faster, and the fixed layout was computed for them.
    net.options.edges.smooth.enabled = False

    legend = colour_legend + _other_legend(view, size_by, lang)
    page = _offline(net.generate_html())
    page = page.replace("</body>", _legend_html(legend) + _REFIT_SCRIPT + "\n</body>",
                        1)
    return NetworkPicture(html=page, legend=legend, nodes=len(nodes),
                          edges=len(edges), positions=positions)


def external_references(page: str) -> list[str]:
    """Return the ``src``/``href`` attributes of ``page`` that point to a host."""
    return [match.group(0) for match in _EXTERNAL_REFERENCE.finditer(page)]


def _offline(page: str) -> str:
    page = _EXTERNAL_TAG.sub("", page)
    page = page.replace(_HTML_TOOLTIP, "popup.innerText = nodeData[0].title;")
    remaining = external_references(page)
    if remaining:
        raise RuntimeError(f"the network page still links {remaining[:3]}; "
                           f"the pyvis template changed, update render._offline")
    return page


def _layout(view: nx.Graph, nodes: list, seed: int) -> dict:
    if not nodes:
        return {}
    ordered = nx.Graph()
    ordered.add_nodes_from(nodes)
    # The layout pulls ends together in proportion to ``pull``. Its floor keeps a
    # node whose only tie is nearly 0 from drifting to the edge of the picture.
    ordered.add_edges_from(sorted(
        ((u, v, {"pull": LAYOUT_FLOOR + (1.0 - LAYOUT_FLOOR)
                 * min(max(_number(d.get("strength", 100.0)), 0.0), 100.0) / 100.0})
         for u, v, d in view.edges(data=True)),
        key=lambda e: (str(e[0]), str(e[1]))))

    # A spring layout of several components pushes the small ones far out, which
    # shrinks the largest to a dot once the picture is zoomed to fit. So the
    # largest component is laid out alone and the others are packed in rows of
    # cells below it.
    components = sorted((sorted(c, key=str) for c in nx.connected_components(ordered)),
                        key=lambda c: (-len(c), str(c[0])))
    main = components[0]
    scale = 120.0 * math.sqrt(len(main)) + 100.0
    found = _spring(ordered, main, seed, scale)
    if len(components) > 1:
        points = np.array(list(found.values()), dtype=float)
        found.update(_pack(ordered, components[1:], seed,
                           left=points[:, 0].min(), top=points[:, 1].max() + CELL,
                           width=points[:, 0].max() - points[:, 0].min()))
    return {n: (round(float(found[n][0]), 2), round(float(found[n][1]), 2))
            for n in nodes}


def _spring(G: nx.Graph, component: list, seed: int, scale: float) -> dict:
    if len(component) == 1:
        return {component[0]: np.zeros(2)}
    found = nx.spring_layout(G.subgraph(component), weight="pull", seed=seed,
                             scale=scale)
    return _pull_in_outliers(found, scale)


def _pull_in_outliers(found: dict, scale: float) -> dict:
    """Move nodes far beyond the 95th-percentile radius in to 1.25 times it.

    A leaf tied to a hub settles far out in the spring layout, and the zoom that
    fits it shrinks everything else.
    """
    nodes = list(found)
    points = np.array([found[n] for n in nodes], dtype=float)
    centre = np.median(points, axis=0)
    radius = np.linalg.norm(points - centre, axis=1)
    limit = 1.25 * np.quantile(radius, 0.95)
    if limit <= 0:
        return found
    factor = np.minimum(1.0, limit / np.maximum(radius, 1e-9))
    points = centre + (points - centre) * factor[:, None]
    points *= scale / max(np.abs(points).max(), 1e-9)
    return dict(zip(nodes, points))


def _pack(G: nx.Graph, components: list, seed: int, *, left: float, top: float,
          width: float) -> dict:
    """Place each component in its own cell, row by row, below ``top``.

    vis-network's y axis points down, so rows below have larger y.
    """
    found = {}
    x, y, row_height = left, top, 0.0
    for component in components:
        radius = 30.0 * math.sqrt(len(component)) if len(component) > 1 else 0.0
        size = 2 * radius + CELL
        if x > left and x + size > left + max(width, size):
            x, y, row_height = left, y + row_height, 0.0
        for node, (px, py) in _spring(G, component, seed, radius).items():
            found[node] = (x + radius + px, y + radius + py)
        x += size
        row_height = max(row_height, size)
    return found


def _colours(view: nx.Graph, nodes: list, color_by: str, lang: str
             ) -> tuple[dict, list[dict]]:
    values = {n: view.nodes[n].get(color_by) for n in nodes
              if view.nodes[n].get("node_type") != "staff"}
    categories = sorted({v for v in values.values() if _present(v)},
                        key=_category_order)
    palette = {value: PALETTE[i % len(PALETTE)] for i, value in enumerate(categories)}
    colours = {}
    for node in nodes:
        if view.nodes[node].get("node_type") == "staff":
            colours[node] = STAFF_COLOUR
        else:
            colours[node] = palette.get(values[node], OTHER_COLOUR)

    legend = [{"kind": "colour", "label": _category_label(color_by, value, lang),
               "colour": palette[value]} for value in categories]
    if any(not _present(v) for v in values.values()):
        legend.append({"kind": "colour", "colour": OTHER_COLOUR,
                       "label": translate("network.legend.unknown", lang)})
    return colours, legend


def _sizes(view: nx.Graph, nodes: list, size_by: str | None) -> dict:
    if size_by is None:
        return {n: 14.0 for n in nodes}
    values = np.array([max(_number(view.nodes[n].get(size_by)), 0.0) for n in nodes])
    top = values.max() if len(values) else 0.0
    relative = np.sqrt(values / top) if top > 0 else np.zeros(len(nodes))
    return {n: (12.0 if view.nodes[n].get("node_type") == "staff"
                else round(8.0 + 32.0 * float(r), 2))
            for n, r in zip(nodes, relative)}


def _edge_width(strength: float, max_strength: float) -> float:
    return round(1.0 + 7.0 * strength / max(max_strength, 1e-9), 2)


def _label(name) -> str:
    text = str(name)
    return text if len(text) <= LABEL_CHARACTERS else text[:LABEL_CHARACTERS - 1] + "…"


def _node_tooltip(data: dict, lang: str) -> str:
    lines = [str(data.get("name", ""))]
    if data.get("node_type") == "staff":
        lines.append(translate("network.legend.staff", lang))
        return "\n".join(lines)
    fields = (("client_type", "network.tooltip.client_type", str),
              ("community", "network.tooltip.community", lambda v: int(v) + 1),
              ("clients", "network.tooltip.clients", int),
              ("clv", "network.tooltip.clv", lambda v: f"{v:,.0f}"),
              ("exposure", "network.tooltip.exposure", lambda v: f"{v:,.0f}"),
              ("pagerank", "network.tooltip.pagerank", lambda v: f"{v:.4f}"),
              ("key_score", "network.tooltip.key_score", lambda v: f"{v:.0f}"))
    for attribute, key, formatter in fields:
        value = data.get(attribute)
        if _present(value):
            lines.append(translate(key, lang, value=formatter(value)))
    return "\n".join(lines)


def _edge_tooltip(data: dict, lang: str) -> str:
    strength = float(data.get("strength", 0.0))
    if data.get("edge_type") == "community":
        return translate("network.tooltip.community_ties", lang,
                         value=f"{strength:,.0f}")
    band = translate(f"network.band.{data.get('band', 'poor')}", lang)
    lines = [translate("network.tooltip.strength", lang, score=f"{strength:.0f}",
                       band=band)]
    counts: dict[str, int] = {}
    for kind, _, _ in data.get("evidence", []):
        counts[kind] = counts.get(kind, 0) + 1
    if counts:
        items = ", ".join(f"{kind} × {count}" for kind, count in sorted(counts.items()))
        lines.append(translate("network.tooltip.evidence", lang, items=items))
    if _present(data.get("trend")):
        lines.append(translate("network.tooltip.trend", lang,
                               value=f"{data['trend']:+.0f}"))
    return "\n".join(lines)


def _other_legend(view: nx.Graph, size_by: str | None, lang: str) -> list[dict]:
    legend = []
    if any(kind == "staff" for _, kind in view.nodes(data="node_type")):
        legend.append({"kind": "shape", "label": translate("network.legend.staff",
                                                           lang)})
    if size_by is not None:
        measure = translate(f"network.measure.{size_by}", lang)
        legend.append({"kind": "size",
                       "label": translate("network.legend.size", lang,
                                          measure=measure)})
    legend.append({"kind": "width", "label": translate("network.legend.width", lang)})
    return legend


def _legend_html(legend: list[dict]) -> str:
    items = []
    for entry in legend:
        label = html.escape(entry["label"])
        if entry["kind"] == "colour":
            colour = html.escape(entry["colour"])
            swatch = (f'<span style="display:inline-block;width:10px;height:10px;'
                      f'border-radius:5px;background:{colour};margin-right:4px">'
                      f'</span>')
        elif entry["kind"] == "shape":
            swatch = (f'<span style="display:inline-block;width:10px;height:10px;'
                      f'background:{STAFF_COLOUR};margin-right:4px"></span>')
        else:
            swatch = ""
        items.append(f'<span style="margin-right:12px">{swatch}{label}</span>')
    return ('<div id="legend" style="clear:both;font:12px sans-serif;padding:6px">'
            + "".join(items) + "</div>")


def _category_label(color_by: str, value, lang: str) -> str:
    if color_by == "community":
        return translate("network.legend.community", lang, number=int(value) + 1)
    return str(value)


def _category_order(value) -> tuple:
    # Community numbers sort as numbers (2 before 10), labels as text.
    if isinstance(value, (int, float, np.integer, np.floating)):
        return 0, float(value), ""
    return 1, 0.0, str(value)


def _sum_attribute(G: nx.Graph, nodes: list, attribute: str) -> float:
    return float(sum(_number(G.nodes[n].get(attribute)) for n in nodes))


def _number(value) -> float:
    return float(value) if _present(value) else 0.0


def _present(value) -> bool:
    if value is None:
        return False
    try:
        return not pd.isna(value)
    except (TypeError, ValueError):
        return True


def _check_max_nodes(max_nodes: int) -> None:
    if not (isinstance(max_nodes, int) and max_nodes >= 1):
        raise NetworkError("network.error.bad_max_nodes", value=max_nodes)
