"""The meeting brief: the profile as a printable one-page HTML document and as
Markdown.

Every value from the data and every translated text goes through
``html.escape`` in the HTML, and through a backslash escape of Markdown
punctuation in the Markdown. The HTML carries its own print CSS and refers to
no external resource (fonts, scripts, images), so it opens and prints offline.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

import pandas as pd

from pfcrm_core.i18n import catalogue, translate
from pfcrm_core.money import format_usd
from pfcrm_core.profile.assembly import ClientProfile
from pfcrm_core.profile.changes import Changes
from pfcrm_core.profile.tables import is_missing


BRIEF_DEALS = 8
BRIEF_COMMENTS = 3
# Changes listed in the brief; a long window lists the rest as a count.
BRIEF_CHANGES = 12

BRIEF_CSS = """
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC",
  "Microsoft YaHei", Arial, sans-serif; font-size: 10pt; color: #111;
  max-width: 180mm; margin: 12mm auto; line-height: 1.35; }
h1 { font-size: 16pt; margin: 0 0 2mm; }
h2 { font-size: 11pt; margin: 4mm 0 1mm; border-bottom: 1px solid #999; }
p.meta { color: #555; margin: 0 0 3mm; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.5mm 4mm;
  margin: 0; }
dt { color: #555; } dd { margin: 0; }
ul { margin: 1mm 0; padding-left: 5mm; }
p.gap { color: #666; font-style: italic; margin: 1mm 0; }
table { border-collapse: collapse; width: 100%; margin: 1mm 0; }
th, td { border-bottom: 1px solid #ddd; padding: 0.5mm 1.5mm; text-align: left;
  vertical-align: top; }
@page { size: A4; margin: 12mm; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; }
  section { break-inside: avoid; } }
"""


@dataclass
class BriefSection:
    """One heading of the brief: label–value facts, lines, a table, or a gap."""

    title: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    table: tuple[list[str], list[list[str]]] | None = None
    gaps: list[str] = field(default_factory=list)


def nps_key(responses: int) -> str:
    """Return the catalogue key of "NPS from N responses" for a count of
    ``responses``: the singular form when the count is 1."""
    return "profile.brief.nps.one" if responses == 1 else "profile.brief.nps"


def _date(value) -> str:
    return "–" if value is None or is_missing(value) else f"{pd.Timestamp(value):%Y-%m-%d}"


def _number(value, pattern: str = "{:,.2f}") -> str:
    return "–" if value is None or is_missing(value) else pattern.format(value)


def category_label(prefix: str, value, lang: str) -> str:
    """Translate a stored category value (``client_type.bank``) or return it as stored."""
    if value is None or is_missing(value):
        return "–"
    key = f"{prefix}.{value}"
    return translate(key, lang) if key in catalogue() else str(value)


def brief_sections(profile: ClientProfile, lang: str = "en") -> list[BriefSection]:
    """Return the brief's sections in ``lang`` as plain text, not yet escaped."""
    return [_facts_section(profile, lang), _deals_section(profile, lang),
            _value_section(profile, lang), _risk_section(profile, lang),
            _segment_section(profile, lang), _network_section(profile, lang),
            _voice_section(profile, lang), _outlook_section(profile, lang),
            _changes_section(profile, lang)]


def _text(lang: str):
    return lambda key, **values: translate(key, lang, **values)


def _gap_lines(profile: ClientProfile, lang: str, *sections: str) -> list[str]:
    return [profile.gaps[s].message(lang) for s in sections if s in profile.gaps]


def _facts_section(profile: ClientProfile, lang: str) -> BriefSection:
    t, facts = _text(lang), profile.facts
    return BriefSection(t("profile.section.facts"), facts=[
        (t("profile.fact.client_id"), profile.client_id),
        (t("profile.fact.client_type"),
         category_label("client_type", facts.get("client_type"), lang)),
        (t("profile.fact.sector"), category_label("sector", facts.get("sector"), lang)),
        (t("profile.fact.region"), category_label("region", facts.get("region"), lang)),
        (t("profile.fact.country"), str(facts.get("country") or "–")),
        (t("profile.fact.credit_rating"), str(facts.get("credit_rating") or "–")),
        (t("profile.fact.relationship_since"), _date(facts.get("relationship_since"))),
        (t("profile.fact.relationship_manager"),
         str(facts.get("relationship_manager") or "–")),
    ])


def _deals_section(profile: ClientProfile, lang: str) -> BriefSection:
    t, summary, revenue = _text(lang), profile.deal_summary, profile.revenue_summary
    section = BriefSection(t("profile.section.deals"), facts=[
        (t("profile.kpi.exposure"), format_usd(summary["exposure_usd"], lang)),
        (t("profile.kpi.live_deals"), f"{summary['live_deals']} / {summary['deals']}"),
        (t("profile.kpi.next_maturity"), _date(summary["next_maturity"])),
        (t("profile.kpi.revenue_12m"), format_usd(revenue["revenue_12m_usd"], lang)),
        (t("profile.kpi.revenue_prior_12m"),
         format_usd(revenue["revenue_prior_12m_usd"], lang)),
    ], gaps=_gap_lines(profile, lang, "deals", "revenue"))
    live = profile.deals[profile.deals["live"]].nlargest(BRIEF_DEALS, "amount_usd")
    if not live.empty:
        section.table = (
            [t("profile.col.project"), t("profile.col.role"),
             t("profile.col.amount_usd"), t("profile.col.maturity")],
            [[str(row.project_name if isinstance(row.project_name, str)
                  else row.project_id or "–"),
              category_label("role", row.role, lang),
              format_usd(row.amount_usd, lang), _date(row.maturity_date)]
             for row in live.itertuples()])
    return section


def _value_section(profile: ClientProfile, lang: str) -> BriefSection:
    t = _text(lang)
    section = BriefSection(t("profile.section.value"),
                           gaps=_gap_lines(profile, lang, "clv"))
    if profile.clv is not None:
        section.facts = [
            (t("profile.kpi.clv"), format_usd(profile.clv.get("clv"), lang)),
            (t("profile.kpi.p_alive"), _number(profile.clv.get("p_alive"), "{:.0%}")),
            (t("profile.kpi.stage"),
             category_label("clv.stage", profile.clv.get("stage"), lang))]
    return section


def _risk_section(profile: ClientProfile, lang: str) -> BriefSection:
    t, risk = _text(lang), profile.risk
    section = BriefSection(t("profile.section.risk"),
                           gaps=_gap_lines(profile, lang, "risk"))
    if risk is not None:
        section.facts = [
            (t("profile.kpi.rating"), str(risk.get("rating") or "–")),
            (t("profile.kpi.score"), _number(risk.get("score"), "{:,.0f}")),
            (t("profile.kpi.pd"), _number(risk.get("pd"), "{:.2%}")),
            (t("profile.kpi.el"), format_usd(risk.get("el"), lang)),
            (t("profile.kpi.raroc"), _number(risk.get("raroc"), "{:.1%}")),
            (t("profile.kpi.quadrant"),
             category_label("risk.quadrant", risk.get("quadrant"), lang))]
    if profile.ratings is not None and not profile.ratings.empty:
        path = " → ".join(f"{row.rating} ({row.as_of:%Y})"
                          for row in profile.ratings.tail(6).itertuples())
        section.lines.append(t("profile.brief.rating_path", path=path))
    return section


def _segment_section(profile: ClientProfile, lang: str) -> BriefSection:
    t, segment = _text(lang), profile.segment
    section = BriefSection(t("profile.section.segment"),
                           gaps=_gap_lines(profile, lang, "segment"))
    if segment is not None:
        section.facts = [
            (t("profile.kpi.segment"), str(segment[f"name_{lang}"]
                                           if f"name_{lang}" in segment
                                           else segment["name_en"])),
            (t("profile.kpi.offer"), str(segment.get(f"offer_{lang}") or "–"))]
    return section


def _network_section(profile: ClientProfile, lang: str) -> BriefSection:
    t, view = _text(lang), profile.network
    section = BriefSection(t("profile.section.network"),
                           gaps=_gap_lines(profile, lang, "network"))
    if view is None:
        return section
    measures = view.measures
    section.facts = [
        (t("profile.kpi.community"),
         t("profile.brief.community", number=int(measures["community"]) + 1,
           total=view.communities)),
        (t("profile.kpi.key_rank"), _number(measures.get("key_rank"), "{:,.0f}")),
        (t("profile.kpi.degree"), _number(measures.get("degree"), "{:,.0f}")),
        (t("profile.kpi.betweenness"), _number(measures.get("betweenness"), "{:.4f}")),
        (t("profile.kpi.pagerank"), _number(measures.get("pagerank"), "{:.4f}"))]
    for row in view.ties.itertuples():
        section.lines.append(t("profile.brief.tie", name=str(row.name),
                               strength=f"{row.strength:.0f}",
                               band=category_label("network.band", row.band, lang)))
    for row in view.staff.head(3).itertuples():
        section.lines.append(t("profile.brief.staff", staff=str(row.staff),
                               strength=f"{row.score:.0f}",
                               band=category_label("network.band", row.band, lang)))
    if view.warm_paths.empty:
        section.lines.append(t("profile.network.no_warm_path"))
    else:
        best = view.warm_paths.iloc[0]
        section.lines.append(t("profile.brief.warm_path",
                               path=" → ".join(str(n) for n in best["names"])))
    return section


def _voice_section(profile: ClientProfile, lang: str) -> BriefSection:
    t = _text(lang)
    section = BriefSection(t("profile.section.voice"),
                           gaps=_gap_lines(profile, lang, "feedback", "attrition"))
    summary = profile.satisfaction
    if summary is not None:
        section.facts = [
            (t("profile.kpi.nps"), t(nps_key(summary["nps"]["n"]),
                                     nps=f"{summary['nps']['nps']:+.0f}",
                                     n=summary["nps"]["n"])),
            (t("profile.kpi.latest_nps"),
             t("profile.brief.latest_nps", score=_number(summary["latest_nps"], "{}"),
               date=_date(summary["latest_date"]))),
            (t("profile.kpi.csat"), _number(summary["csat"]["csat"], "{:.0f}%"))]
        comments = profile.feedback.dropna(subset=["comment"]).tail(BRIEF_COMMENTS)
        for row in comments.iloc[::-1].itertuples():
            section.lines.append(t("profile.brief.comment", date=_date(row.date),
                                   comment=str(row.comment)))
    if profile.cases is not None and not profile.cases.empty:
        closed = int(profile.cases["status"].eq("closed").sum())
        section.lines.append(t("profile.brief.cases", open=len(profile.cases) - closed,
                               closed=closed))
    if profile.attrition is not None:
        section.facts.append((t("profile.kpi.attrition"),
                              _attrition_text(profile.attrition, lang)))
    return section


def _outlook_section(profile: ClientProfile, lang: str) -> BriefSection:
    t = _text(lang)
    section = BriefSection(t("profile.section.outlook"),
                           gaps=_gap_lines(profile, lang, "tasks", "next_deal"))
    if profile.next_deal is not None:
        section.facts.append((t("profile.kpi.next_deal"),
                              next_deal_text(profile.next_deal, lang)))
        for reason in profile.next_deal["reasons"]:
            section.lines.append(reason.text(lang))
    tasks = profile.tasks
    if tasks is not None and not tasks.empty:
        for row in tasks[tasks["status"] != "done"].itertuples():
            section.lines.append(t("profile.brief.task", title=str(row.title),
                                   due=_date(row.due_at), owner=str(row.owner or "–"),
                                   rule=str(row.rule_name or "–")))
    return section


def next_deal_text(view: dict, lang: str) -> str:
    """Return the next-deal probability with its horizon and rank in ``lang``."""
    return _text(lang)("profile.next_deal.value", value=f"{view['probability']:.0%}",
                       months=view["horizon_months"], rank=view["rank"],
                       clients=view["clients"])


def attrition_risk_text(view: dict, lang: str) -> str:
    """Return the risk as shown: a probability (logistic) or a rule score, and rank."""
    t = _text(lang)
    value = f"{view['risk']:.1%}" if view["method"] == "logistic" \
        else f"{view['risk']:.2f}"
    return t(f"profile.attrition.value_{view['method']}", value=value,
             rank=view["rank"], clients=view["clients"])


def _attrition_text(view: dict, lang: str) -> str:
    reasons = "; ".join(translate(f"satisfaction.reason.{name}", lang)
                        for name in view["reasons"])
    text = attrition_risk_text(view, lang)
    return f"{text} — {reasons}" if reasons else text


def _changes_section(profile: ClientProfile, lang: str) -> BriefSection:
    t, changes = _text(lang), profile.changes
    if changes is None:
        return BriefSection(t("profile.section.changes_plain"),
                            gaps=_gap_lines(profile, lang, "changes"))
    section = BriefSection(t("profile.section.changes", since=_date(changes.since)))
    lines = change_lines(changes, lang)
    section.lines = lines[:BRIEF_CHANGES]
    if len(lines) > BRIEF_CHANGES:
        section.lines.append(t("profile.brief.more_changes",
                               count=len(lines) - BRIEF_CHANGES))
    return section


def change_lines(changes: Changes, lang: str) -> list[str]:
    """Return one sentence per change, or one stating that nothing changed."""
    t, lines = _text(lang), []
    for row in changes.new_deals.itertuples():
        lines.append(t("profile.change.deal", deal=str(row.deal_id),
                       project=str(row.project_name if isinstance(row.project_name, str)
                                   else row.project_id or "–"),
                       amount=format_usd(row.amount_usd, lang),
                       date=_date(row.start_date)))
    for row in changes.rating_moves.itertuples():
        key = "profile.change.downgrade" if row.notch_change > 0 \
            else "profile.change.upgrade" if row.notch_change < 0 \
            else "profile.change.rating"
        lines.append(t(key, before=str(row.rating_before), after=str(row.rating),
                       date=_date(row.as_of)))
    for row in changes.new_feedback.itertuples():
        lines.append(t("profile.change.feedback", date=_date(row.date),
                       nps=_number(row.nps, "{:.0f}"), csat=_number(row.csat, "{:.0f}")))
    for row in changes.closed_cases.itertuples():
        lines.append(t("profile.change.case_closed", case=str(row.case_id),
                       date=_date(row.closed_at)))
    for row in changes.strength.itertuples():
        if abs(row.change) >= 1:
            lines.append(t("profile.change.strength", staff=str(row.staff),
                           before=f"{row.score_before:.0f}", after=f"{row.score:.0f}"))
    return lines or [t("profile.change.none")]


def brief_html(profile: ClientProfile, lang: str = "en") -> str:
    """Return the profile as a one-page printable HTML document.

    Every value from the data and every translated text is escaped with
    ``html.escape``, so a name such as ``<img src=x onerror=...>`` shows as text.
    The document has inline print CSS and loads nothing from elsewhere.
    """
    esc = html.escape
    t = _text(lang)
    title = t("profile.brief.title", name=profile.name)
    parts = ["<!DOCTYPE html>", f'<html lang="{"zh-CN" if lang == "zh" else "en"}">',
             "<head>", '<meta charset="utf-8">', f"<title>{esc(title)}</title>",
             f"<style>{BRIEF_CSS}</style>", "</head>", "<body>",
             f"<h1>{esc(title)}</h1>",
             f'<p class="meta">{esc(t("profile.brief.as_of", date=_date(profile.as_of)))}'
             "</p>"]
    for section in brief_sections(profile, lang):
        parts.append(_section_html(section))
    parts += ["</body>", "</html>"]
    return "\n".join(parts)


def _section_html(section: BriefSection) -> str:
    esc = html.escape
    parts = ["<section>", f"<h2>{esc(section.title)}</h2>"]
    parts += [f'<p class="gap">{esc(gap)}</p>' for gap in section.gaps]
    if section.facts:
        parts.append("<dl>")
        parts += [f"<dt>{esc(label)}</dt><dd>{esc(value)}</dd>"
                  for label, value in section.facts]
        parts.append("</dl>")
    if section.table is not None:
        headers, rows = section.table
        parts.append("<table><thead><tr>"
                     + "".join(f"<th>{esc(h)}</th>" for h in headers)
                     + "</tr></thead><tbody>")
        parts += ["<tr>" + "".join(f"<td>{esc(cell)}</td>" for cell in row) + "</tr>"
                  for row in rows]
        parts.append("</tbody></table>")
    if section.lines:
        parts.append("<ul>" + "".join(f"<li>{esc(line)}</li>" for line in section.lines)
                     + "</ul>")
    parts.append("</section>")
    return "\n".join(parts)


def brief_markdown(profile: ClientProfile, lang: str = "en") -> str:
    """Return the profile as Markdown, readable as plain text too.

    Markdown punctuation in data values (backslash, backtick, ``*``, ``_``,
    brackets, ``<``, ``>`` and ``|``) is escaped with a backslash, so a viewer
    shows names as written and renders no link or HTML from the data.
    """
    t = _text(lang)
    lines = [f"# {_md(t('profile.brief.title', name=profile.name))}", "",
             _md(t("profile.brief.as_of", date=_date(profile.as_of))), ""]
    for section in brief_sections(profile, lang):
        lines += [f"## {_md(section.title)}", ""]
        lines += [f"_{_md(gap)}_" for gap in section.gaps]
        lines += [f"- {_md(label)}: {_md(value)}" for label, value in section.facts]
        if section.table is not None:
            headers, rows = section.table
            lines += ["", "| " + " | ".join(_md(h) for h in headers) + " |",
                      "|" + "---|" * len(headers)]
            lines += ["| " + " | ".join(_md(c) for c in row) + " |" for row in rows]
            lines.append("")
        lines += [f"- {_md(line)}" for line in section.lines]
        lines.append("")
    return "\n".join(lines)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def _md(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text).replace("\n", " "))
