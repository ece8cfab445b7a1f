"""A manager's view as chat messages: headlines first, then the details."""

from __future__ import annotations

from analytics.manager_view import ManagerView
from analytics.model import GroupResults, QuestionResult, ResponseRate, ThemeSummary
from analytics.trends import PulseTrends, TrendCell
from bot.commands import insights_text as text
from bot.commands import schedule_text
from bot.conversation.messages import Message, Notice, SummaryTable, Tone


def page_messages(view: ManagerView, trends: PulseTrends | None) -> list[Message]:
    """The summary: who it is about, three headlines, rates, standards, questions.

    A pulse's trends follow the questions.
    """
    opening = [text.where_from(view)]
    if view.shown.hidden is not None:
        opening.append(text.hidden_note(view.shown.hidden, view.min_group_size))
    messages: list[Message] = [
        Notice(
            "\n".join(opening),
            Tone.INFO,
            title=text.summary_title(view.asked, view.campaign),
        )
    ]
    if view.highlights:
        messages.append(
            Notice(
                "\n".join(f"• {text.headline(h, view)}" for h in view.highlights),
                Tone.INFO,
                title=text.HEADLINES,
            )
        )
    messages.append(rates_table(view.rates))
    if view.shown.hidden is not None:
        return messages
    comparators = list(view.comparators)
    messages.append(standards_table(comparators, since=view.previous))
    messages.append(questions_table(text.WEAKEST, view.shown.weakest(5), view))
    messages.append(questions_table(text.STRONGEST, view.shown.strongest(5), view))
    if trends is not None:
        messages.append(trends_table(trends))
    return messages


def themes_of(
    view: ManagerView, found: tuple[ThemeSummary, ...], *, quotes: bool
) -> list[Message]:
    """What people wrote about, for the group the view shows; never silent."""
    if view.shown.hidden is not None:
        return [Notice(text.hidden_note(view.shown.hidden, view.min_group_size))]
    if not found:
        return [Notice(text.no_themes(view.shown.label, view.min_group_size))]
    columns = ("Theme", "Comments", "Positive", "Neutral", "Negative")
    rows: list[tuple[str, ...]] = []
    for theme in found:
        row: tuple[str, ...] = (
            theme.label,
            str(theme.comments),
            str(theme.positive),
            str(theme.neutral),
            str(theme.negative),
        )
        if quotes:
            row = (*row, " / ".join(f"“{quote}”" for quote in theme.quotes) or "–")
        rows.append(row)
    table = SummaryTable(
        title=text.themes_title(view.shown.label),
        columns=(*columns, "Quotes (redacted)") if quotes else columns,
        rows=tuple(rows),
        note=text.THEMES_NOTE if quotes else None,
    )
    return [table]


def rates_table(rates: tuple[ResponseRate, ...]) -> SummaryTable:
    """Invited and responded per group; a hidden rate says it is not shown."""
    rows = []
    for rate in rates:
        if rate.rate is None or rate.invited is None:
            rows.append((rate.label, text.NOT_SHOWN, text.NOT_SHOWN))
        else:
            rows.append(
                (
                    rate.label,
                    f"{rate.responded} of {rate.invited}",
                    text.percent(rate.rate),
                )
            )
    return SummaryTable(
        title=text.RATES,
        columns=("Group", "Responses", "Response rate"),
        rows=tuple(rows),
    )


def standards_table(results: list[GroupResults], *, since: str | None) -> SummaryTable:
    """Each LGA standard's score per group, with the first group's change."""
    standards = {s.standard: s.name for r in results for s in r.standards}
    rows = []
    for number, name in sorted(standards.items()):
        cells = [f"{number}. {name}"]
        for index, result in enumerate(results):
            score = next((s for s in result.standards if s.standard == number), None)
            cells.append(text.standard_cell(score))
            if index == 0 and since is not None:
                change = score.change if score else None
                cells.append(text.change_words(change, since, unit=""))
        rows.append(tuple(cells))
    first = results[0].label
    heads = [f"Change since {since}"] if since is not None else []
    columns = [first, *heads, *(r.label for r in results[1:])]
    return SummaryTable(
        title=text.STANDARDS,
        columns=("Standard", *columns),
        rows=tuple(rows),
        note=text.BANDS_NOTE,
    )


def questions_table(
    title: str, questions: list[QuestionResult], view: ManagerView
) -> SummaryTable:
    """Questions with what favourable means, the change, and the organisation."""
    since = view.previous
    whole = view.organisation
    rows = []
    for question in questions:
        cells = [text.question_cell(question), text.percent(question.favourable)]
        if since is not None:
            cells.append(text.change_words(question.change, since))
        if whole is not None:
            cells.append(text.percent(view.organisation_figure(question.question_id)))
        rows.append(tuple(cells))
    columns = ["Question", view.shown.label]
    if since is not None:
        columns.append(f"Change since {since}")
    if whole is not None:
        columns.append(whole.label)
    return SummaryTable(
        title=title,
        columns=tuple(columns),
        rows=tuple(rows),
        note=text.FAVOURABLE_NOTE,
    )


def trends_table(trends: PulseTrends) -> SummaryTable:
    """The trends as one table: responses, questions, then standard scores."""
    heads = tuple(
        f"{label.opened_on.day} {label.opened_on:%b}"
        if label.opened_on
        else label.campaign
        for label in trends.rounds
    )
    rows = [
        (
            schedule_text.RESPONSES_ROW,
            *(
                str(label.respondents) if label.respondents is not None else "-"
                for label in trends.rounds
            ),
        )
    ]
    rows += [
        (f"{row.key} {row.label}", *(_cell(cell, "%") for cell in row.cells))
        for row in trends.questions
    ]
    rows += [
        (
            schedule_text.standard_row(row.key, row.label),
            *(_cell(cell, "") for cell in row.cells),
        )
        for row in trends.standards
    ]
    return SummaryTable(
        title=schedule_text.trends_title(trends.title),
        columns=(schedule_text.TRENDS_FIRST_COLUMN, *heads),
        rows=tuple(rows),
        note=schedule_text.trends_note(trends.min_group_size),
    )


def _cell(cell: TrendCell, unit: str) -> str:
    return "-" if cell.value is None else f"{cell.value:.0f}{unit}"
