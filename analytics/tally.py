"""A round's closed answers as arrays, and what any group's answers add up to.

Built once per round: one row per response and one column per question, each
cell an index into the round's vocabulary of answer codes. Every count for a
group, of every code of every question, then comes from one ``bincount`` over
the group's rows instead of a filter and a ``value_counts`` per question. The
figures are the ones :mod:`analytics.scoring` defines.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from analytics.data import Round
from analytics.model import Share
from analytics.scoring import FULL_TIME_HOURS, HOURS_EDGES, OPT_OUTS, points
from survey.questions.definitions import Option, Question, Scale

NO_ANSWER = -1
MULTI = Scale.MULTI_CHOICE


@dataclass(frozen=True)
class Tally:
    """What one group's answers add up to, for every question at once.

    Attributes:
        layout: where each question and code sits in the arrays.
        counts: how often each code was given to each question (rows as in
            ``layout.rows``); the last column counts empty multi-choice picks.
        answered: how many of the group answered each question.
        numbers: each number question's answers from the group.
        given: per row, how many codes were given.
        real: per row, how many were real answers (not opted out, not empty).
        liked: per row, how many real answers were favourable.
        points: per row, the sum of the answers' 0-100 points.
        scored: per row, how many answers carry points.
    """

    layout: Layout
    counts: np.ndarray
    answered: dict[str, int]
    numbers: dict[str, np.ndarray]
    given: list[int]
    real: list[int]
    liked: list[int]
    points: list[float]
    scored: list[int]

    @classmethod
    def of(
        cls,
        layout: Layout,
        counts: np.ndarray,
        answered: dict[str, int],
        numbers: dict[str, np.ndarray],
    ) -> Tally:
        """The tally of ``counts``, with its per-question sums worked out."""
        given = counts.sum(axis=1)
        opted_out = counts[:, layout.opt_outs].sum(axis=1)
        return cls(
            layout=layout,
            counts=counts,
            answered=answered,
            numbers=numbers,
            given=given.tolist(),
            real=(given - opted_out - counts[:, -1]).tolist(),
            liked=(counts * layout.favourable).sum(axis=1).tolist(),
            points=(counts * layout.points).sum(axis=1).tolist(),
            scored=(counts * layout.scored).sum(axis=1).tolist(),
        )

    def favourable_share(self, question: Question) -> float | None:
        """Percent favourable among real answers, as in ``scoring.favourable_share``."""
        if not question.reported_codes():
            return None
        row = self.layout.rows[question.id]
        real = self.real[row]
        if real == 0:
            return None
        return float(self.liked[row] / real * 100)

    def distribution(self, question: Question) -> tuple[Share, ...]:
        """Count and percent of each option, out of every code given."""
        row = self.layout.rows[question.id]
        total = self.given[row]
        if total == 0:
            return ()
        given = self.counts[row].tolist()
        shares = []
        for option, column in self.layout.options[question.id]:
            count = given[column] if column != NO_ANSWER else 0
            shares.append(Share(option.value, option.label, count, 100 * count / total))
        return tuple(shares)

    def points_of(self, question: Question) -> tuple[float, int]:
        """The sum of the question's 0-100 points, and how many answers scored."""
        row = self.layout.rows[question.id]
        return self.points[row], self.scored[row]


@dataclass(frozen=True)
class Layout:
    """Where each question and answer code sits in a round's arrays.

    Attributes:
        rows: each single-answer or multi-choice question's row in the counts.
        options: per question, each option with its code's column (or -1).
        opt_outs: the columns of the opt-out codes.
        favourable: per row, 1 in the columns of its favourable codes (opt-outs
            aside).
        points: per row, each code's 0-100 points (five-point scales only).
        scored: per row, 1 in the columns that carry points.
    """

    rows: dict[str, int]
    options: dict[str, list[tuple[Option, int]]]
    opt_outs: np.ndarray
    favourable: np.ndarray
    points: np.ndarray
    scored: np.ndarray

    @classmethod
    def of(cls, questions: list[Question], vocabulary: dict[str, int]) -> Layout:
        """The layout of ``questions`` (those with codes) over ``vocabulary``."""
        shape = (len(questions), len(vocabulary) + 1)
        favourable = np.zeros(shape, dtype=np.int64)
        scored = np.zeros(shape, dtype=np.int64)
        scale_points = np.zeros(shape)
        for row, question in enumerate(questions):
            for code in set(question.reported_codes()) - set(OPT_OUTS):
                if code in vocabulary:
                    favourable[row, vocabulary[code]] = 1
            for code, value in (points(question) or {}).items():
                if code in vocabulary:
                    scale_points[row, vocabulary[code]] = value
                    scored[row, vocabulary[code]] = 1
        return cls(
            rows={question.id: row for row, question in enumerate(questions)},
            options={
                question.id: [
                    (option, vocabulary.get(option.value, NO_ANSWER))
                    for option in question.choices()
                ]
                for question in questions
            },
            opt_outs=np.array(
                [vocabulary[code] for code in OPT_OUTS if code in vocabulary],
                dtype=np.int64,
            ),
            favourable=favourable,
            points=scale_points,
            scored=scored,
        )


@dataclass(frozen=True)
class HoursArrays:
    """Hours over contract per respondent who gave both figures."""

    given: np.ndarray
    extra: np.ndarray
    band: np.ndarray
    full_time: np.ndarray


class AnswerArrays:
    """One round's closed answers, one row per response (in the responses' order).

    Args:
        round: the round; ``round.answers`` may hold its ids and codes as
            categoricals (as :func:`analytics.data.load_round` reads them) or not.
    """

    def __init__(self, round: Round) -> None:
        questions = [q for q in round.definition.questions if q.scale != Scale.TEXT]
        size = len(round.responses)
        answers = round.answers
        position = _positions(answers["response_id"], round.responses["response_id"])
        key_codes, keys = _factorised(answers["question_key"])
        of_key = pd.Index([q.id for q in questions]).get_indexer(keys)
        question_at = np.where(key_codes >= 0, of_key[key_codes], NO_ANSWER)
        question_at[position < 0] = NO_ANSWER
        number = answers["number"].to_numpy(dtype=float, na_value=np.nan)
        book = _CodeBook(answers["option"], questions, question_at, number)
        single = [q for q in questions if q.scale not in (Scale.NUMBER, MULTI)]
        numeric = [q for q in questions if q.scale == Scale.NUMBER]
        multi = [q for q in questions if q.scale == MULTI]

        def spread(subset: list[Question], values: np.ndarray, empty: Any) -> Any:
            """The answer rows' ``values`` as a (responses, questions) grid."""
            column = _column_among(subset, questions, question_at)
            given = column != NO_ANSWER
            grid = np.full((size, len(subset)), empty, dtype=values.dtype)
            grid[position[given], column[given]] = values[given]
            return grid

        self._codes = spread(single, book.code.astype(np.int32), NO_ANSWER)
        self._numbers = spread(numeric, number, np.nan)
        self._numeric_ids = [q.id for q in numeric]
        lists = spread(multi, answers["choices"].to_numpy(dtype=object), None)
        picked = pd.DataFrame(lists).notna().to_numpy()
        self._picks = [book.picks(lists[:, n], picked[:, n]) for n in range(len(multi))]

        self.layout = Layout.of(single + multi, book.vocabulary)
        self._width = len(book.vocabulary) + 1
        for _, codes in self._picks:
            codes[codes == NO_ANSWER] = self._width - 1  # the empty-pick column
        self._multi_rows = [self.layout.rows[q.id] for q in multi]
        # Each cell's bin in a flat (question, code) count; no answer goes to
        # one extra bin at the end, dropped after counting.
        self._cells_count = len(self.layout.rows) * self._width
        bins = self._codes + np.arange(len(single)) * self._width
        self._cells = np.where(self._codes == NO_ANSWER, self._cells_count, bins)

        answered = dict(zip([q.id for q in multi], picked.T, strict=True))
        answered.update(zip(self._numeric_ids, ~np.isnan(self._numbers.T), strict=True))
        single_ids = [q.id for q in single]
        answered.update(zip(single_ids, self._codes.T != NO_ANSWER, strict=True))
        self._question_ids = [q.id for q in questions]
        self._answered = np.zeros((size, len(questions)), dtype=bool)
        for n, question_id in enumerate(self._question_ids):
            self._answered[:, n] = answered[question_id]
        self.answered = pd.DataFrame(
            self._answered, columns=self._question_ids, index=round.responses.index
        )

    def hours_over_contract(self, contract: str, actual: str) -> HoursArrays | None:
        """Hours worked over contract, from two number questions (if both exist)."""
        if contract not in self._numeric_ids or actual not in self._numeric_ids:
            return None
        hours = self._numbers[:, self._numeric_ids.index(contract)]
        worked = self._numbers[:, self._numeric_ids.index(actual)]
        extra = np.clip(worked - hours, 0, None)
        return HoursArrays(
            given=~np.isnan(hours) & ~np.isnan(worked),
            extra=extra,
            band=np.searchsorted(HOURS_EDGES, extra, side="left"),
            full_time=hours >= FULL_TIME_HOURS,
        )

    def tally(self, rows: np.ndarray) -> Tally:
        """What the answers of the ``rows`` (a boolean array) add up to."""
        members = np.flatnonzero(rows)
        cells = self._cells.take(members, axis=0).ravel()
        counts = np.bincount(cells, minlength=self._cells_count + 1)[:-1]
        counts = counts.reshape(len(self.layout.rows), self._width)
        for row, (respondents, picks) in zip(
            self._multi_rows, self._picks, strict=True
        ):
            counts[row] = np.bincount(picks[rows[respondents]], minlength=self._width)
        answered = np.count_nonzero(self._answered.take(members, axis=0), axis=0)
        numbers = self._numbers.take(members, axis=0)
        return Tally.of(
            layout=self.layout,
            counts=counts,
            answered=dict(zip(self._question_ids, answered.tolist(), strict=True)),
            numbers={
                question_id: numbers[:, n][~np.isnan(numbers[:, n])]
                for n, question_id in enumerate(self._numeric_ids)
            },
        )


def _column_among(
    subset: list[Question], questions: list[Question], question_at: np.ndarray
) -> np.ndarray:
    """Per answer row, its question's column among ``subset`` (-1 if not there)."""
    # One entry more than there are questions: NO_ANSWER (-1) reads the last.
    columns = np.full(len(questions) + 1, NO_ANSWER)
    at = {question.id: n for n, question in enumerate(questions)}
    for column, question in enumerate(subset):
        columns[at[question.id]] = column
    return np.asarray(columns[question_at])


class _CodeBook:
    """Each answer row's code as an index into one vocabulary for the round."""

    def __init__(
        self,
        option: pd.Series,
        questions: list[Question],
        question_at: np.ndarray,
        number: np.ndarray,
    ) -> None:
        option_codes, options = _factorised(option)
        self.vocabulary: dict[str, int] = {}
        of_option = np.array([self.add(str(o)) for o in options], dtype=np.int64)
        self.code = np.where(option_codes >= 0, of_option[option_codes], NO_ANSWER)
        # 0-10 answers are stored as numbers; their code is the number as text.
        zero_to_ten = [
            n for n, q in enumerate(questions) if q.scale == Scale.ZERO_TO_TEN
        ]
        by_number = (
            np.isin(question_at, zero_to_ten)
            & (self.code == NO_ANSWER)
            & ~np.isnan(number)
        )
        texts, where = np.unique(
            number[by_number].astype(np.int64).astype(str), return_inverse=True
        )
        of_text = np.array([self.add(str(text)) for text in texts], dtype=np.int64)
        self.code[by_number] = of_text[where]

    def add(self, code: str) -> int:
        """The code's index, adding it to the vocabulary if new."""
        return self.vocabulary.setdefault(code, len(self.vocabulary))

    def picks(
        self, lists: np.ndarray, answered: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """(respondent, code) for each pick; NO_ANSWER for an empty pick.

        Exploded as ``Series.explode`` does, so an empty list is one empty pick.
        """
        respondents = np.flatnonzero(answered)
        picks = pd.Series(lists[respondents], index=respondents).explode()
        missing = picks.isna().to_numpy()
        texts, where = np.unique(picks[~missing].astype(str), return_inverse=True)
        of_text = np.array([self.add(str(text)) for text in texts], dtype=np.int64)
        codes = np.full(len(picks), NO_ANSWER, dtype=np.int64)
        codes[~missing] = of_text[where]
        return picks.index.to_numpy(dtype=np.int64), codes


def _positions(ids: pd.Series, response_ids: pd.Series) -> np.ndarray:
    """Each answer's row in the responses frame (-1 if not there)."""
    if isinstance(ids.dtype, pd.CategoricalDtype) and ids.cat.categories.equals(
        pd.Index(response_ids)
    ):
        return np.asarray(ids.cat.codes, dtype=np.int64)
    return np.asarray(pd.Index(response_ids).get_indexer(ids), dtype=np.int64)


def _factorised(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Codes (-1 for missing) and the distinct values, free for categoricals."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return np.asarray(values.cat.codes, dtype=np.int64), pd.Index(
            values.cat.categories
        )
    codes, uniques = pd.factorize(values)
    return np.asarray(codes, dtype=np.int64), pd.Index(uniques)
