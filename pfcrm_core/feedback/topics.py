"""Topics of survey comments in Chinese and English, and their impact on NPS.

Comments are turned into TF-IDF weights of character 2- to 4-grams within word
boundaries (``TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4))``), which
needs no word segmenter for Chinese, and factorised by non-negative matrix
factorisation (NMF) with a fixed ``random_state`` and the deterministic NNDSVDA
start, so the same comments give the same topics. A topic is labelled by its
strongest n-grams, preferring longer ones (weight times length among the
``CANDIDATES`` strongest) and skipping any n-gram that overlaps one already
chosen, because neighbouring character n-grams repeat one word. N-grams with
punctuation and Latin n-grams shorter than three letters are not listed.

A comment's dominant topic is the topic with the largest NMF weight. Comments
with no weight on any topic (no known n-gram) have topic -1.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import TfidfVectorizer

from pfcrm_core.satisfaction.errors import SatisfactionError, require_columns
from pfcrm_core.satisfaction.metrics import nps_summary

logger = logging.getLogger(__name__)

NO_TOPIC = -1
# Strongest n-grams of a topic considered for its term list and label.
CANDIDATES = 60


@dataclass
class TopicModel:
    """Fitted topics of a set of comments.

    Attributes
    ----------
    vectorizer : TfidfVectorizer
        The fitted character n-gram vectoriser.
    nmf : NMF
        The fitted factorisation; ``nmf.components_`` has one row per topic.
    terms : pandas.DataFrame
        ``topic``, ``rank`` (1 = strongest), ``term`` and ``weight``: the top
        n-grams of each topic, overlapping n-grams removed.
    labels : pandas.Series
        Label per topic: its top label n-grams joined by " / ".
    assignments : pandas.DataFrame
        Per comment in input order: ``position`` (index in the input),
        ``has_text`` (False for missing or blank comments), ``topic`` (dominant
        topic or -1) and ``weight`` (its NMF weight).
    """

    vectorizer: TfidfVectorizer
    nmf: NMF
    terms: pd.DataFrame
    labels: pd.Series
    assignments: pd.DataFrame


def fit_topics(comments, *, n_topics: int = 8, random_state: int = 0,
               max_features: int = 20_000, min_df: int = 2, top_terms: int = 10,
               label_terms: int = 3, max_iter: int = 300) -> TopicModel:
    """Fit NMF topics on character n-grams of ``comments``.

    Parameters
    ----------
    comments : sequence of str
        Comments; missing and blank ones get topic -1 and are not fitted.
    n_topics : int, default 8
        Number of topics.
    random_state : int, default 0
        Seed of the NMF.
    max_features : int, default 20000
        Most frequent n-grams kept.
    min_df : int, default 2
        Minimum number of comments an n-gram must appear in.
    top_terms, label_terms : int
        N-grams listed per topic, and of those used in the label.
    max_iter : int, default 300
        NMF iterations.

    Raises
    ------
    SatisfactionError
        When fewer non-blank comments than ``n_topics`` are given, or no n-gram
        appears ``min_df`` times.
    """
    texts = pd.Series(list(comments), dtype=object)
    present = texts.map(lambda t: isinstance(t, str) and bool(t.strip())).to_numpy()
    if present.sum() < max(n_topics, 2):
        raise SatisfactionError("feedback.error.too_few_comments",
                                n=int(present.sum()), n_topics=n_topics)

    # TF-IDF weights of character n-grams, then the factorisation.
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4),
                                 min_df=min_df, max_features=max_features,
                                 sublinear_tf=True, dtype=np.float32)
    try:
        X = vectorizer.fit_transform(texts[present].str.lower())
    except ValueError:
        raise SatisfactionError("feedback.error.no_terms", min_df=min_df) from None
    nmf = NMF(n_components=n_topics, init="nndsvda", random_state=random_state,
              max_iter=max_iter)
    # A perfect fit of a tiny corpus makes sklearn take the root of a rounding
    # error slightly below zero when it reports the reconstruction error.
    with np.errstate(invalid="ignore"):
        W = nmf.fit_transform(X)

    vocabulary = vectorizer.get_feature_names_out()
    terms = _topic_terms(nmf.components_, vocabulary, top_terms)
    labels = terms[terms["rank"] <= label_terms].groupby("topic")["term"].agg(
        " / ".join).reindex(range(n_topics), fill_value="")
    assignments = _assignments(W, present)
    logger.info("fitted %d topics on %d comments, %d n-grams", n_topics,
                int(present.sum()), len(vocabulary))
    return TopicModel(vectorizer=vectorizer, nmf=nmf, terms=terms, labels=labels,
                      assignments=assignments)


def _topic_terms(components: np.ndarray, vocabulary: np.ndarray,
                 top_terms: int) -> pd.DataFrame:
    # Candidates are the strongest n-grams of the topic, preferred by weight times
    # length, because a longer n-gram reads as a word where its pieces do not.
    lengths = np.array([len(term.strip()) for term in vocabulary])
    latin = np.array([term.strip().isascii() for term in vocabulary])
    wordlike = np.array([term.strip().isalnum() for term in vocabulary])
    readable = wordlike & (lengths >= 2) & ~(latin & (lengths < 3))
    rows = []
    for topic, weights in enumerate(components):
        candidates = np.argsort(-weights, kind="stable")[:CANDIDATES]
        candidates = candidates[readable[candidates] & (weights[candidates] > 0)]
        preference = weights[candidates] * lengths[candidates]
        chosen: list[str] = []
        for index in candidates[np.argsort(-preference, kind="stable")]:
            term = vocabulary[index].strip()
            if any(term in other or other in term for other in chosen):
                continue
            chosen.append(term)
            rows.append((topic, len(chosen), term, float(weights[index])))
            if len(chosen) == top_terms:
                break
    return pd.DataFrame(rows, columns=["topic", "rank", "term", "weight"])


def _assignments(W: np.ndarray, present: np.ndarray) -> pd.DataFrame:
    topic = np.full(len(present), NO_TOPIC)
    weight = np.zeros(len(present))
    best = W.argmax(axis=1)
    best_weight = W[np.arange(len(W)), best]
    topic[present] = np.where(best_weight > 0, best, NO_TOPIC)
    weight[present] = best_weight
    return pd.DataFrame({"position": np.arange(len(present)), "has_text": present,
                         "topic": topic, "weight": weight})


def topic_impact(model: TopicModel, scores, *, min_n: int = 30) -> pd.DataFrame:
    """Compare the NPS of comments by dominant topic with the NPS of all of them.

    Parameters
    ----------
    model : TopicModel
        Topics fitted on the comments whose 0..10 scores are ``scores``.
    scores : sequence of float
        NPS response of each comment, in the same order as the fitted comments.
    min_n : int, default 30
        Topics with fewer comments get ``small_n = True``.

    Returns
    -------
    pandas.DataFrame
        Per topic (and -1 for comments without a known n-gram, when there are
        any), over the comments with text:
        ``topic``, ``label``, ``n``, ``mean_score`` (mean 0..10 response),
        ``nps``, ``nps_ci_low``, ``nps_ci_high``, ``overall_mean_score``,
        ``overall_nps``, ``mean_difference`` and ``nps_difference`` (topic minus
        all responses with a comment), ``small_n``; sorted by ``nps_difference``, most
        negative first.
    """
    scores = pd.to_numeric(pd.Series(list(scores)), errors="coerce")
    topics = model.assignments["topic"]
    if len(scores) != len(topics):
        raise SatisfactionError("feedback.error.length_mismatch", scores=len(scores),
                                comments=len(topics))
    has_text = model.assignments["has_text"].to_numpy()
    overall = nps_summary(scores[has_text])
    overall_mean = float(scores[has_text].mean())
    rows = []
    for topic in sorted(topics[has_text].unique()):
        chosen = scores[(topics == topic).to_numpy() & has_text]
        summary = nps_summary(chosen, min_n=min_n)
        rows.append({
            "topic": int(topic),
            "label": model.labels.get(topic, ""),
            "n": summary["n"], "mean_score": float(chosen.mean()),
            "nps": summary["nps"], "nps_ci_low": summary["nps_ci_low"],
            "nps_ci_high": summary["nps_ci_high"],
            "overall_mean_score": overall_mean, "overall_nps": overall["nps"],
            "small_n": summary["small_n"],
        })
    table = pd.DataFrame(rows)
    table["mean_difference"] = table["mean_score"] - overall_mean
    table["nps_difference"] = table["nps"] - overall["nps"]
    return table.sort_values("nps_difference", kind="stable", ignore_index=True)


def comment_topics(feedback: pd.DataFrame, **options) -> tuple[TopicModel,
                                                               pd.DataFrame]:
    """Fit topics on the comments of a feedback table and measure their NPS impact.

    Responses without a comment are left out. ``options`` go to ``fit_topics``.
    Returns the model (assignments in the order of the commented responses) and
    ``topic_impact``.
    """
    require_columns(feedback, ["comment", "nps"], "feedback")
    commented = feedback[feedback["comment"].map(
        lambda t: isinstance(t, str) and bool(t.strip()))]
    model = fit_topics(commented["comment"], **options)
    model.assignments["response_id"] = (commented["response_id"].to_numpy()
                                        if "response_id" in commented else None)
    return model, topic_impact(model, commented["nps"])
