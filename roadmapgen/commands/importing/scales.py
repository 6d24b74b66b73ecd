"""What customers answer with -> a sentiment, or a survey score: NPS 0-10, CSAT 1-5, CES 1-7, or words.

A score is not a sentiment until someone says where the bands lie; this module is that
one place, and docs/feedback-loop.md prints the same table:

===========  ============  ==========  ==========
scale        positive      neutral     negative
===========  ============  ==========  ==========
NPS 0-10     9-10          7-8         0-6
CSAT 1-5     4-5           3           1-2
CES 1-7      5-7           4           1-3
===========  ============  ==========  ==========

Words ("Good", "Very dissatisfied", "Promoter", 👍) map through :data:`WORDS`; answers
that are no answer ("Offered", "n/a", blank) give none. Anything else is an error that
names what is known, never a guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Literal, get_args

from roadmapgen.kinds.front_matter import Sentiment
from roadmapgen.model.survey import SCALES

Scale = Literal["nps", "csat", "ces", "words"]
SCALE_NAMES: tuple[str, ...] = get_args(Scale)

BANDS: Mapping[str, tuple[tuple[int, Sentiment], ...]] = {
    "nps": ((9, "positive"), (7, "neutral"), (0, "negative")),
    "csat": ((4, "positive"), (3, "neutral"), (1, "negative")),
    "ces": ((5, "positive"), (4, "neutral"), (1, "negative")),
}
"""Each scale's lowest score of each band, highest band first."""

_WORD_LISTS: Mapping[Sentiment, tuple[str, ...]] = {
    "positive": ("good", "great", "excellent", "amazing", "awesome", "positive", "satisfied", "very satisfied",
                 "extremely satisfied", "happy", "very happy", "promoter", "easy", "very easy", "extremely easy",
                 "love it", "yes", "helpful", "thumbs up", "👍", "😀", "😊", "🙂"),
    "neutral": ("neutral", "ok", "okay", "fine", "average", "mixed", "passive", "neither",
                "neither satisfied nor dissatisfied", "neither easy nor difficult", "somewhat", "😐"),
    "negative": ("bad", "poor", "terrible", "awful", "negative", "dissatisfied", "very dissatisfied",
                 "extremely dissatisfied", "unhappy", "very unhappy", "detractor", "difficult", "very difficult",
                 "extremely difficult", "hard", "no", "not helpful", "thumbs down", "👎", "🙁", "😞", "😠"),
}
WORDS: Mapping[str, Sentiment] = {word: sentiment for sentiment, words in _WORD_LISTS.items() for word in words}
"""Answers in words, casefolded, -> their sentiment."""
NO_ANSWER = frozenset({"", "offered", "unoffered", "not offered", "n/a", "na", "-", "none", "no answer", "skipped"})
"""Cells that say the customer did not answer (Zendesk writes 'Offered' for a survey sent, unanswered)."""

SCORE_OF_SENTIMENT: Mapping[str, Mapping[Sentiment, int]] = {
    "nps": {"positive": 10, "neutral": 8, "negative": 0},
    "csat": {"positive": 5, "neutral": 3, "negative": 1},
}
"""A word as a survey score where the metric counts bands (NPS, CSAT): the band is all it needs. CES is a
mean of scores, so a word cannot stand for one."""

_NPS_WORDS = frozenset({"promoter", "passive", "detractor"})
_WORDS_FOR = {"nps": " or Promoter, Passive or Detractor", "csat": " or a word such as Good or Bad",
              "ces": " (a CES is a mean of scores: words cannot stand in for them)"}
_INTEGER = re.compile(r"[0-9]{1,2}")
_HINTS = (("nps", ("nps", "recommend", "likely")), ("csat", ("csat", "satisf")), ("ces", ("ces", "effort", "easy")))


def _words_of(cell: str) -> str:
    return " ".join(cell.casefold().replace("_", " ").split())


def guess_scale(column: str, cells: Iterable[str]) -> Scale:
    """The scale a column of answers is on: by its name (`NPS`, `How likely…recommend`, `CSAT`,
    `Effort`), else by its scores (a 0 or anything above 7: NPS; above 5: CES; else CSAT); words if
    any answer is not a whole number."""
    answers = [cell for cell in cells if _words_of(cell) not in NO_ANSWER]
    if any(not _INTEGER.fullmatch(cell) for cell in answers):
        return "words"
    name = column.casefold()
    for scale, hints in _HINTS:
        if any(hint in name for hint in hints):
            return scale  # type: ignore[return-value]  # one of the Literal's values
    scores = [int(cell) for cell in answers]
    if any(score == 0 or score > 7 for score in scores):
        return "nps"
    return "ces" if any(score > 5 for score in scores) else "csat"


def describe(scale: Scale) -> str:
    """'NPS 0-10 (9-10 positive, 7-8 neutral, 0-6 negative)', for the import's report."""
    if scale == "words":
        return "words (Good, Bad, Satisfied, Promoter… see docs/feedback-loop.md)"
    low, high = SCALES[scale]
    bands, parts, top = BANDS[scale], [], high
    for bottom, sentiment in bands:
        parts.append(f"{bottom}-{top} {sentiment}" if bottom != top else f"{bottom} {sentiment}")
        top = bottom - 1
    return f"{scale.upper()} {low}-{high} ({', '.join(parts)})"


def sentiment_of(cell: str, scale: Scale) -> Sentiment | None:
    """The sentiment an answer expresses on ``scale``; None for no answer.

    Raises:
        ValueError: with a sentence naming what the answer may be.
    """
    words = _words_of(cell)
    if words in NO_ANSWER:
        return None
    if _INTEGER.fullmatch(cell) and scale != "words":
        low, high = SCALES[scale]
        score = int(cell)
        if low <= score <= high:
            return next(sentiment for bottom, sentiment in BANDS[scale] if score >= bottom)
        raise ValueError(f"must be a score from {low} to {high} on the {scale.upper()} scale, not '{cell}'")
    if words in WORDS:
        return WORDS[words]
    if scale == "words":
        raise ValueError(f"is not an answer roadmapgen knows: '{cell}' (known: good, bad, satisfied, "
                         "dissatisfied, promoter, detractor, easy, difficult… see docs/feedback-loop.md)")
    low, high = SCALES[scale]
    raise ValueError(f"must be a whole score from {low} to {high} on the {scale.upper()} scale, or a word such as "
                     f"Good or Bad, not '{cell}'")


def score_of(cell: str, kind: str) -> int | None:
    """A survey answer as a score on the metric's scale (``kind``: nps, csat or ces); None for no answer.

    Raises:
        ValueError: with a sentence naming what the answer may be.
    """
    if _words_of(cell) in NO_ANSWER:
        return None
    low, high = SCALES[kind]
    if _INTEGER.fullmatch(cell):
        if low <= int(cell) <= high:
            return int(cell)
        raise ValueError(f"must be a whole score from {low} to {high} for {kind.upper()}, not '{cell}'")
    words = _words_of(cell)
    sentiment = WORDS.get(words) if kind != "nps" or words in _NPS_WORDS else None
    scores = SCORE_OF_SENTIMENT.get(kind)
    if sentiment is None or scores is None:
        raise ValueError(f"must be a whole score from {low} to {high} for {kind.upper()}{_WORDS_FOR[kind]}, "
                         f"not '{cell}'")
    return scores[sentiment]
