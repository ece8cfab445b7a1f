"""Comment sentiment: the rule method against TextBlob and VADER, dev and held out.

Every labelled set is split into a development half and a held-out half before the
method is run on it, by a fixed rule kept in the repository:

- NHS FFT comments, /work/shared/eval/nhs_fft_comments.csv (override with
  HEALTHCHECK_FFT_EVAL): The-Strategy-Unit/pxtextmining, MIT, (c) 2021 NHS England;
  figures printed here come from that file and carry that attribution. Development:
  NEAS rows whose comment id hashes even (CRC-32). Held out: the other NEAS rows and
  every NHFT row.
- tests/analytics/data/staff_pros_cons.csv: 140 invented employee-review style
  "pros" (positive) and "cons" (negative), two classes; a neutral answer is wrong.
- tests/analytics/data/staff_informal.csv: 90 invented short informal staff posts,
  three classes.
  Both were written and labelled by hand before the method first ran on them and
  split by the ``split`` column (stratified, seed 19).
- tests/analytics/data/staff_comments.csv: 66 invented staff comments, used in
  development (reported as development only).

Rules are changed only after reading development errors (``--errors SET`` prints
development rows only); held-out rows are scored, never read.

The comment model (all-MiniLM-L6-v2 int8 ONNX + a logistic-regression head with rule
and VADER scores as features, analytics/comments/model.py) is trained by
tools/train_comment_model.py on the development halves of these same sets,
so its development figures are fitted figures; only held-out columns measure it.
Its rows appear when the model extra is installed. "model + rules" is what reports
show: the model's sentiment, except for answers the rules find say nothing ("n/a",
"Nothing."), which only the question can read and which themes leave out anyway. On
development rows the model alone scores a little higher on the FFT file (whose
"Nothing." answers it was fitted to), but those are fitted figures; the rules keep
them because the model never sees the question.

Run: .venv/bin/python benchmarks/comments.py [--errors fft|pros_cons|informal]
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from textblob import TextBlob
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analytics.comments import (  # noqa: E402
    agreement,
    analyse_comment,
    frame_for_question,
    score_sentiment,
)
from analytics.comments.model import load_sentiment_model  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "tests/analytics/data"
FFT_FILE = Path(
    os.environ.get("HEALTHCHECK_FFT_EVAL", "/work/shared/eval/nhs_fft_comments.csv")
)
BASELINE_THRESHOLD = 0.05
REPEATS = 3
DEV, HELD_OUT = "dev", "held_out"
TWO_CLASSES = ("positive", "negative")
THREE_CLASSES = ("positive", "neutral", "negative")

Row = dict[str, str]


@dataclass(frozen=True)
class LabelledSet:
    """One labelled set: its rows, each with a ``split``, and its label set."""

    key: str
    title: str
    rows: list[Row]
    labels: tuple[str, ...]


def load(path: Path) -> list[Row]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle) if row["text"].strip()]


def fft_split(row: Row) -> str:
    """NEAS rows split in two by a hash of their id; NHFT is held out whole."""
    if row["trust"] != "NEAS":
        return HELD_OUT
    return DEV if zlib.crc32(row["comment_id"].encode()) % 2 == 0 else HELD_OUT


def labelled_sets() -> list[LabelledSet]:
    sets = []
    if FFT_FILE.exists():
        rows = [{**row, "split": fft_split(row)} for row in load(FFT_FILE)]
        sets.append(LabelledSet("fft", "NHS FFT (patients)", rows, THREE_CLASSES))
    pros_cons = load(DATA / "staff_pros_cons.csv")
    sets.append(
        LabelledSet("pros_cons", "Pros/cons, 2 classes", pros_cons, TWO_CLASSES)
    )
    informal = load(DATA / "staff_informal.csv")
    sets.append(LabelledSet("informal", "Informal posts", informal, THREE_CLASSES))
    staff = [{**row, "split": DEV} for row in load(DATA / "staff_comments.csv")]
    sets.append(LabelledSet("staff", "Staff comments", staff, THREE_CLASSES))
    return sets


def label(polarity: float) -> str:
    if polarity >= BASELINE_THRESHOLD:
        return "positive"
    if polarity <= -BASELINE_THRESHOLD:
        return "negative"
    return "neutral"


VADER = SentimentIntensityAnalyzer()


def textblob_labels(rows: Sequence[Row]) -> list[str]:
    return [label(TextBlob(row["text"]).sentiment.polarity) for row in rows]


def vader_labels(rows: Sequence[Row]) -> list[str]:
    return [label(VADER.polarity_scores(row["text"])["compound"]) for row in rows]


def rules_only(rows: Sequence[Row]) -> list[str]:
    return [score_sentiment(row["text"]).sentiment.value for row in rows]


def rules_and_themes(rows: Sequence[Row]) -> list[str]:
    """The full analysis (sentiment, themes, per-theme sentiment), no question."""
    return [analyse_comment(row["text"]).sentiment.value for row in rows]


def rules_with_question(rows: Sequence[Row]) -> list[str]:
    """The full analysis, each comment read against its question where it has one."""
    return [
        analyse_comment(
            row["text"], question=frame_for_question(row.get("question"))
        ).sentiment.value
        for row in rows
    ]


MODEL = load_sentiment_model()


def model_only(rows: Sequence[Row]) -> list[str]:
    """The comment model's sentiment, no question."""
    assert MODEL is not None
    return [r.sentiment.value for r in MODEL.read([row["text"] for row in rows])]


def model_and_rules(rows: Sequence[Row], *, question: bool = False) -> list[str]:
    """As reports show it: the model's stored reading, passed to the full analysis
    (the rules keep answers that say nothing, read against the question if given)."""
    assert MODEL is not None
    readings = MODEL.read([row["text"] for row in rows])
    return [
        analyse_comment(
            row["text"],
            question=frame_for_question(row.get("question")) if question else None,
            overall=reading.sentiment,
        ).sentiment.value
        for row, reading in zip(rows, readings, strict=True)
    ]


def model_and_rules_with_question(rows: Sequence[Row]) -> list[str]:
    return model_and_rules(rows, question=True)


METHODS: dict[str, Callable[[Sequence[Row]], list[str]]] = {
    "TextBlob polarity (+-0.05)": textblob_labels,
    "VADER compound (+-0.05)": vader_labels,
    "rules, no question": rules_only,
    "rules + themes, no question": rules_and_themes,
    "rules + themes, with question": rules_with_question,
}
if MODEL is not None:
    METHODS["model, no question"] = model_only
    METHODS["model + rules + themes, no question"] = model_and_rules
    METHODS["model + rules + themes, with question"] = model_and_rules_with_question
SLOW_METHODS = (
    "model, no question",
    "model + rules + themes, no question",
    "model + rules + themes, with question",
)
SLOW_SAMPLE = 1_000
SPEED_BASELINES = ("TextBlob polarity (+-0.05)", "VADER compound (+-0.05)")


def rate(method: Callable[[Sequence[Row]], list[str]], rows: Sequence[Row]) -> float:
    """Comments per second of CPU time (the process is pinned to one core)."""
    method(rows[:50])
    best = float("inf")
    for _ in range(REPEATS):
        started = time.process_time()
        method(rows)
        best = min(best, time.process_time() - started)
    return len(rows) / best


def score_table(sets: list[LabelledSet]) -> None:
    columns = [
        (labelled, split)
        for labelled in sets
        for split in (DEV, HELD_OUT)
        if any(row["split"] == split for row in labelled.rows)
    ]
    print("Macro-F1 (development / held out halves; held-out rows are never read)\n")
    heads = [f"{s.title} {split} ({_count(s, split)})" for s, split in columns]
    print("| method | " + " | ".join(heads) + " |")
    print("|---" * (len(heads) + 1) + "|")
    for name, method in METHODS.items():
        cells = []
        for labelled, split in columns:
            rows = [row for row in labelled.rows if row["split"] == split]
            human = [row["sentiment"] for row in rows]
            scores = agreement(human, method(rows), labels=labelled.labels)
            cells.append(f"{scores.macro_f1:.3f}")
        print(f"| {name} | " + " | ".join(cells) + " |")


def _count(labelled: LabelledSet, split: str) -> int:
    return sum(row["split"] == split for row in labelled.rows)


def speed_table(rows: Sequence[Row]) -> None:
    print(
        f"\nSpeed on {len(rows):,} comments, one core (CPU time, best of {REPEATS})\n"
    )
    rates = {
        name: rate(method, rows[:SLOW_SAMPLE] if name in SLOW_METHODS else rows)
        for name, method in METHODS.items()
    }
    textblob, vader = (rates[name] for name in SPEED_BASELINES)
    if MODEL is not None:
        print(f"(model rows timed on the first {SLOW_SAMPLE:,} comments)\n")
    print("| method | comments/s | vs TextBlob | vs VADER |")
    print("|---|---|---|---|")
    for name, value in rates.items():
        versus = f"{value / textblob:.2f}x | {value / vader:.2f}x"
        print(f"| {name} | {value:,.0f} | {versus} |")


def show_errors(labelled: LabelledSet) -> None:
    """Print the rule method's mistakes on the development half only."""
    rows = [row for row in labelled.rows if row["split"] == DEV]
    for row, guess in zip(rows, rules_and_themes(rows), strict=True):
        if guess != row["sentiment"]:
            print(f"{row['sentiment']:>8} -> {guess:<8} {row['text'][:160]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--errors", help="print development errors of one set")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    sets = labelled_sets()
    if args.errors:
        show_errors(next(s for s in sets if s.key == args.errors))
        return
    print(
        "NHS FFT figures: pxtextmining, MIT, (c) 2021 NHS England. Staff sets are"
        " invented and labelled by hand in this repository.\n"
    )
    if MODEL is None:
        print("The model extra is not installed: rule rows only.\n")
    else:
        print(f"Model: {MODEL.name}; its development columns are fitted figures.\n")
    score_table(sets)
    speed_rows = sets[0].rows if sets[0].key == "fft" else sets[0].rows * 20
    speed_table(speed_rows)


if __name__ == "__main__":
    main()
