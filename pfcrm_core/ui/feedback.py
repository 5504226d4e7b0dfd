"""The Feedback loop page's cached scores, case actions, loop numbers and figures.

Every change to a case goes through the ``Store`` case methods, so it is in the
database file and survives a restart. After a change the page clears the cached
reads, and ``Store.data_version`` changes with the file as well.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ..feedback import (ROOT_CAUSES, FollowUpRules, comment_topics, loop_summary,
                        nps_change_after_case, propose_cases, repeat_issues,
                        root_cause_pareto, score_sentiment)
from ..feedback.loop_metrics import CASE_COLUMNS, root_cause_name
from ..feedback.topics import TopicModel
from ..network import client_exposure, staff_client_strength
from ..network.strength import FAIR_SCORE
from ..satisfaction.metrics import nps_summary
from ..store import Store
from ..store.cases import CASE_STATUSES
from .cache import cached_table, clear_caches
from .context import label_of, language, t
from .satisfaction import cached_chinese_model

logger = logging.getLogger(__name__)

# A tie below the "fair" band of the network page is no working relationship, so
# such a client's case goes to its relationship manager instead.
MIN_OWNER_STRENGTH = FAIR_SCORE
DEFAULT_LOOKBACK_DAYS = 90
OPEN_STATUSES = CASE_STATUSES[:-1]


def today() -> pd.Timestamp:
    """Return today's date (UTC, as the store stamps events)."""
    return pd.Timestamp.now(tz="UTC").tz_localize(None).normalize()


# Scores and owners ---------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=8)
def _sentiment(path: str, version: tuple, threshold: float) -> pd.DataFrame:
    comments = Store(path).read_table("feedback", ["comment"])["comment"]
    return score_sentiment(comments, threshold=threshold)


def comment_sentiment(store: Store, threshold: float = 0.2) -> pd.DataFrame:
    """Return ``language``, ``score`` and ``label`` per stored response, in order.

    The Chinese model is trained once per server (``st.cache_resource``) before
    the comments are scored.
    """
    with st.spinner(t("feedback_page.sentiment_training")):
        cached_chinese_model()
    return _sentiment(str(store.path), store.data_version(), threshold)


@st.cache_data(show_spinner=False, max_entries=4)
def _owner_strength(path: str, version: tuple) -> pd.DataFrame:
    interactions = Store(path).read_table("interactions")
    columns = ["client_id", "staff", "strength"]
    if interactions.empty:
        return pd.DataFrame(columns=columns)
    table = staff_client_strength(interactions, pd.to_datetime(
        interactions["date"]).max())
    table = table[table["score"] >= MIN_OWNER_STRENGTH]
    return table.rename(columns={"score": "strength"})[columns].reset_index(drop=True)


def owner_strength(store: Store) -> pd.DataFrame:
    """Return staff–client ties in the fair or good band (score 40 or more)."""
    return _owner_strength(str(store.path), store.data_version())


# Rules and cases -----------------------------------------------------------------


def proposals(store: Store, rules: FollowUpRules, since) -> pd.DataFrame:
    """Return the cases the rules would open for responses dated on or after ``since``.

    Responses that already have a case are left out. The SLA runs from today.
    """
    feedback = cached_table(store, "feedback")
    if since is not None:
        feedback = feedback[pd.to_datetime(feedback["date"]) >= pd.Timestamp(since)]
    if feedback.empty:
        return pd.DataFrame()
    sentiment = comment_sentiment(store, rules.sentiment_threshold)
    sentiment = sentiment.loc[feedback.index] if rules.negative_comment else None
    return propose_cases(feedback, cached_table(store, "clients"), rules=rules,
                         strength=owner_strength(store), sentiment=sentiment,
                         existing_cases=case_table(store), opened_at=today())


def run_rules(store: Store, rules: FollowUpRules, since, author: str | None) -> int:
    """Open a case for every flagged response without one; return how many opened."""
    proposed = proposals(store, rules, since)
    if proposed.empty:
        return 0
    opened = store.open_cases(proposed, author=author or "rules")
    logger.info("follow-up rules opened %d cases in %s", opened, store.path)
    clear_caches()
    return opened


@st.cache_data(show_spinner=False, max_entries=8)
def _cases(path: str, version: tuple) -> pd.DataFrame:
    return Store(path).read_cases()


def case_table(store: Store) -> pd.DataFrame:
    """Return every stored case, newest first, with an ``overdue`` flag.

    A case is overdue when it is not closed, its client has not been contacted
    and the due date has passed.
    """
    cases = _cases(str(store.path), store.data_version()).copy()
    due = pd.to_datetime(cases["due_at"])
    cases["overdue"] = (cases["status"].ne("closed")
                        & cases["first_contact_at"].isna() & (due < today()))
    return cases


def escalate_overdue(store: Store, cases: pd.DataFrame, author: str | None) -> int:
    """Escalate each overdue case not escalated before; return how many."""
    chosen = cases[cases["overdue"] & cases["escalated_at"].isna()]
    for case_id in chosen["case_id"]:
        store.record_case_event(int(case_id), "escalated", author=author or None,
                                note=t("feedback_page.case.escalation_note"))
    if len(chosen):
        clear_caches()
    return len(chosen)


def loop_cases(cases: pd.DataFrame) -> pd.DataFrame:
    """Return the stored cases in the ``loop_metrics`` contract (text case ids)."""
    frame = cases[list(CASE_COLUMNS)].copy()
    frame["case_id"] = frame["case_id"].astype(str)
    frame["resolved"] = frame["resolved"].astype("boolean")
    return frame


def trigger_text(triggers: str | None) -> str:
    """Return the rules that fired ("nps;comment") in the session's language."""
    if not isinstance(triggers, str) or not triggers:
        return ""
    parts = [part for part in triggers.split(";") if part]
    return t("feedback_page.list_separator").join(
        label_of("feedback.trigger", part) for part in parts)


def case_rows(cases: pd.DataFrame, store: Store) -> pd.DataFrame:
    """Return the case list with client names, comments and translated labels."""
    clients = cached_table(store, "clients")[["client_id", "name"]]
    feedback = cached_table(store, "feedback")[["response_id", "date", "nps",
                                                "comment"]]
    table = cases.merge(clients, on="client_id", how="left").merge(
        feedback, on="response_id", how="left")
    table["status_label"] = [label_of("feedback_page.status", s)
                             for s in table["status"]]
    table["trigger_label"] = table["triggers"].map(trigger_text)
    table["root_cause_label"] = [
        label_of("feedback.root_cause", c) if isinstance(c, str) else ""
        for c in table["root_cause"]]
    return table


def case_label(row: pd.Series) -> str:
    """Return the text that names a case in the case picker."""
    status = label_of("feedback_page.status", row["status"])
    flag = f" · {t('feedback_page.case.overdue_flag')}" if row["overdue"] else ""
    name = row["name"] if isinstance(row["name"], str) else ""
    return f"#{row['case_id']} · {row['client_id']} {name} · {status}{flag}"


# Loop numbers --------------------------------------------------------------------


def loop_numbers(store: Store, cases: pd.DataFrame) -> dict:
    """Return ``loop_metrics.loop_summary`` on the stored cases, as of today."""
    feedback = cached_table(store, "feedback")
    return loop_summary(loop_cases(cases), feedback, as_of=today())


def pareto_table(store: Store, cases: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Return root causes of the analysed cases ranked by their clients' live
    exposure (USD); cases without a root cause yet are left out."""
    analysed = cases[cases["root_cause"].notna()]
    if analysed.empty:
        return pd.DataFrame()
    exposure = client_exposure(cached_table(store, "deals"), today())
    return root_cause_pareto(loop_cases(analysed), exposure, lang=lang)


def pareto_figure(table: pd.DataFrame) -> go.Figure:
    """Draw the exposure per root cause as bars and the cumulative share as a line."""
    figure = go.Figure()
    figure.add_trace(go.Bar(x=table["name"], y=table["weight"],
                            name=t("feedback_page.loop.exposure"),
                            customdata=table["n_cases"],
                            hovertemplate="%{x}: %{y:,.0f} USD (%{customdata})"
                                          "<extra></extra>"))
    figure.add_trace(go.Scatter(x=table["name"], y=table["cumulative_share"],
                                yaxis="y2", mode="lines+markers",
                                name=t("feedback_page.loop.cumulative")))
    figure.update_layout(
        yaxis={"title": t("feedback_page.loop.exposure")},
        yaxis2={"title": t("feedback_page.loop.cumulative"), "overlaying": "y",
                "side": "right", "tickformat": ".0%", "range": [0, 1.05]},
        height=400, legend={"orientation": "h", "y": -0.3})
    return figure


def repeat_table(cases: pd.DataFrame, window_days: int) -> tuple[pd.DataFrame, dict]:
    """Return the clients with the same root cause again within ``window_days``."""
    table, summary = repeat_issues(loop_cases(cases), window_days=window_days)
    table = table.assign(root_cause=[root_cause_name(c, language()) for c in
                                     table["root_cause"]])
    return table, summary


def nps_change_table(store: Store, cases: pd.DataFrame) -> pd.DataFrame:
    """Return the NPS change at each client's next survey, by resolution."""
    _, summary = nps_change_after_case(loop_cases(cases),
                                       cached_table(store, "feedback"))
    labels = {"all": t("feedback_page.loop.all_cases"),
              True: t("feedback_page.loop.resolved_yes"),
              False: t("feedback_page.loop.resolved_no")}
    return summary.assign(resolved=summary["resolved"].map(labels))


def you_said_we_did(store: Store, cases: pd.DataFrame) -> pd.DataFrame:
    """Return per closed case: the client's comment verbatim and the action taken."""
    closed = case_rows(cases[cases["status"] == "closed"], store)
    table = pd.DataFrame({
        "client_id": closed["client_id"], "name": closed["name"],
        "response_date": pd.to_datetime(closed["date"]).dt.date,
        "nps": closed["nps"], "you_said": closed["comment"],
        "we_did": closed["action_taken"], "root_cause": closed["root_cause_label"],
        "resolved": closed["resolved"].astype("boolean"),
        "client_informed": closed["client_informed"].astype("boolean"),
        "closed_at": pd.to_datetime(closed["closed_at"]).dt.date,
        "case_id": closed["case_id"],
    })
    return table.sort_values(["client_id", "closed_at"], ignore_index=True)


# Comments ------------------------------------------------------------------------


@st.cache_resource(show_spinner=False, max_entries=8)
def _topics(path: str, version: tuple, n_topics: int
            ) -> tuple[TopicModel, pd.DataFrame, pd.DataFrame]:
    feedback = Store(path).read_table("feedback")
    model, impact = comment_topics(feedback, n_topics=n_topics)
    commented = feedback[feedback["comment"].map(
        lambda text: isinstance(text, str) and bool(text.strip()))]
    examples = _topic_examples(model, commented["comment"].to_numpy())
    return model, impact, examples


def _topic_examples(model: TopicModel, comments: np.ndarray) -> pd.DataFrame:
    # The comment with the largest weight on each topic, shown as a readable name.
    assignments = model.assignments.assign(comment=comments)
    best = assignments[assignments["topic"] >= 0].sort_values(
        ["topic", "weight"], ascending=[True, False]).drop_duplicates("topic")
    return best[["topic", "comment"]].rename(columns={"comment": "example"})


def topic_table(store: Store, n_topics: int) -> pd.DataFrame:
    """Return per topic: top n-grams, an example comment, n and the NPS impact.

    Raises
    ------
    SatisfactionError
        When there are too few comments for ``n_topics``.
    """
    with st.spinner(t("feedback_page.comments.fitting")):
        _, impact, examples = _topics(str(store.path), store.data_version(), n_topics)
    table = impact.merge(examples, on="topic", how="left")
    table["label"] = np.where(table["topic"] < 0, t("feedback_page.comments.no_topic"),
                              table["label"])
    return table


def topic_figure(table: pd.DataFrame) -> go.Figure:
    """Draw each topic's NPS minus the NPS of all commented answers."""
    shown = table.iloc[::-1]
    colours = np.where(shown["nps_difference"] < 0, "#d62728", "#2ca02c")
    names = [f"{topic} · {_shorten(example if isinstance(example, str) else label)}"
             for topic, label, example in zip(shown["topic"], shown["label"],
                                              shown["example"])]
    figure = go.Figure(go.Bar(
        x=shown["nps_difference"], y=names, orientation="h", marker_color=colours,
        customdata=np.stack([shown["n"], shown["nps"]], axis=1),
        hovertemplate="%{y}: %{x:+.1f} (NPS %{customdata[1]:.1f}, "
                      "n = %{customdata[0]})<extra></extra>"))
    figure.add_vline(x=0, line_color="#444444")
    figure.update_layout(xaxis_title=t("feedback_page.comments.nps_difference"),
                         yaxis_title="", height=160 + 34 * len(shown))
    return figure


def _shorten(text: str, limit: int = 42) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def sentiment_impact(store: Store) -> pd.DataFrame:
    """Return NPS with its 95 % interval per comment language and sentiment label."""
    feedback = cached_table(store, "feedback")
    sentiment = comment_sentiment(store)
    frame = pd.DataFrame({"language": sentiment["language"].to_numpy(),
                          "label": sentiment["label"].to_numpy(),
                          "nps": feedback["nps"].to_numpy()})
    rows = []
    for (language, label), part in frame.groupby(["language", "label"], sort=True):
        summary = nps_summary(part["nps"])
        rows.append({"language": language, "label": label, "n": summary["n"],
                     "mean_score": float(part["nps"].mean()), "nps": summary["nps"],
                     "nps_ci_low": summary["nps_ci_low"],
                     "nps_ci_high": summary["nps_ci_high"],
                     "small_n": summary["small_n"]})
    table = pd.DataFrame(rows)
    table["language_label"] = [t(f"feedback_page.language.{v}")
                               for v in table["language"]]
    table["label_name"] = [t(f"feedback.sentiment.{v}") for v in table["label"]]
    return table


def sentiment_figure(table: pd.DataFrame) -> go.Figure:
    """Draw NPS per sentiment label, one bar group per language, with intervals."""
    figure = go.Figure()
    for language, part in table.groupby("language_label", sort=True):
        figure.add_trace(go.Bar(
            x=part["label_name"], y=part["nps"], name=language,
            error_y={"type": "data", "symmetric": False,
                     "array": part["nps_ci_high"] - part["nps"],
                     "arrayminus": part["nps"] - part["nps_ci_low"]},
            customdata=part["n"],
            hovertemplate="%{x}: %{y:+.1f} (n = %{customdata})<extra></extra>"))
    figure.update_layout(barmode="group", yaxis_title="NPS", height=380,
                         legend={"orientation": "h", "y": -0.2})
    return figure


def root_cause_options() -> list[str]:
    """Return the root-cause codes offered when a case is closed."""
    return list(ROOT_CAUSES)


# Method --------------------------------------------------------------------------

SLA = (r"\text{within SLA} = \frac{\#\{\text{detractor cases with first contact}"
       r" \le \text{due date}\}}{\#\{\text{detractor cases due or contacted}\}}")
DUE = r"\text{due date} = \text{opening date} + k \text{ working days (Mon–Fri)}"
NPS_CHANGE = (r"\Delta\mathrm{NPS} = 100\,\big(\bar s_{\text{next}} - "
              r"\bar s_{\text{opening}}\big),\qquad s \in \{+1, 0, -1\}")
PARETO = (r"w_c = \sum_{\text{cases with cause } c} \text{exposure}_{\text{client}},"
          r"\qquad \text{share}_c = w_c \Big/ \sum_{c'} w_{c'}")
TFIDF = (r"\mathrm{tfidf}(g, d) = (1 + \ln \mathrm{tf}_{g,d})\cdot\Big(\ln\frac{1+N}"
         r"{1+\mathrm{df}_g} + 1\Big),\qquad X \approx W H,\ W, H \ge 0")


def render_method(accuracy: float | None, n_test: int | None) -> None:
    """Show the rules, the loop formulas, the comment models and their validation."""
    st.subheader(t("feedback_page.method.rules_heading"))
    st.markdown(t("feedback_page.method.rules", strength=int(MIN_OWNER_STRENGTH)))
    st.latex(DUE)
    st.subheader(t("feedback_page.method.loop_heading"))
    st.markdown(t("feedback_page.method.loop"))
    st.latex(SLA)
    st.latex(PARETO)
    st.latex(NPS_CHANGE)
    st.subheader(t("feedback_page.method.comments_heading"))
    st.markdown(t("feedback_page.method.topics"))
    st.latex(TFIDF)
    st.markdown(t("feedback_page.method.sentiment"))
    if accuracy is not None:
        cols = st.columns(2)
        cols[0].metric(t("feedback_page.method.accuracy"), f"{accuracy:.1%}")
        cols[1].metric(t("feedback_page.method.n_test"), f"{n_test:,}")
    st.markdown(t("feedback_page.method.assumptions"))
