"""The Block Kit renderer: platform-neutral messages as Slack blocks.

Every piece of text in a message is plain text from people, the PSW or our own
wording; all of it goes through :mod:`bot.slack.escape` here, so nobody can make
the bot ping a channel (``<!channel>``, ``@here``), mention someone, or draw a
link. Layouts stay inside Slack's documented limits (50 blocks a message, 10
radio buttons, 100 select options, 3,000 characters a section, 75 a button)
whatever the question bank holds. A reply too long for one message is split
across several (:meth:`BlockKitRenderer.render_all`), never cut short.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.conversation.flow import REVIEW
from bot.conversation.messages import (
    Announcement,
    Choice,
    InputKind,
    Menu,
    Message,
    Notice,
    Prompt,
    QuestionSheet,
    Review,
    SummaryTable,
    Tone,
)
from bot.slack import ids, text
from bot.slack.blocks import (
    ICONS,
    MAX_BLOCKS,
    MAX_FALLBACK,
    MAX_OPTION,
    MAX_RADIO,
    MAX_SECTION,
    MAX_SELECT,
    Block,
    button,
    context,
    header,
    option,
    packed,
    plain_text,
    section,
)
from bot.slack.escape import mrkdwn, shorten
from bot.slack.modal import answer_modal, question_text
from bot.slack.posts import announcement_blocks, table_blocks
from bot.slack.sheet import sheet_blocks

SHORT_BUTTONS = 5
"""Up to this many short options show as buttons; more as radio buttons."""
SHORT_LABEL = 30


@dataclass(frozen=True)
class SlackMessage:
    """A message ready for ``chat.postMessage``: fallback text and blocks."""

    text: str
    blocks: list[Block]


@dataclass
class BlockKitRenderer:
    """Draws messages as one Slack message, and prompts as answer modals."""

    def render(self, messages: Sequence[Message]) -> SlackMessage:
        """Draw ``messages`` in order as one Slack message.

        For a survey screen (a question, the review, a notice), which always
        fits; a reply that may be long (a summary) goes through
        :meth:`render_all`.
        """
        parts = self.render_all(messages)
        if len(parts) > 1:
            raise ValueError("too long for one Slack message: use render_all")
        return parts[0]

    def render_all(self, messages: Sequence[Message]) -> list[SlackMessage]:
        """Draw ``messages`` in order as as few Slack messages as fit.

        Each message keeps within 50 blocks. A message's blocks stay together
        in one Slack message where they fit in one (a table stays whole); a
        table longer than that continues in the next, its heading repeated.
        """
        fallback = _fallback(messages)
        parts: list[list[Block]] = [[]]
        for message in messages:
            for piece in _pieces(message, self.blocks(message)):
                current = parts[-1]
                room = MAX_BLOCKS - len(current) - (1 if current else 0)
                if len(piece) > room:
                    parts.append([])
                    current = parts[-1]
                elif current:
                    current.append({"type": "divider"})
                current.extend(piece)
        count = len(parts)
        return [
            SlackMessage(
                text=fallback if count == 1 else text.part_of(fallback, n, count),
                blocks=blocks,
            )
            for n, blocks in enumerate(parts, start=1)
        ]

    def blocks(self, message: Message) -> list[Block]:
        """The blocks of one message."""
        match message:
            case Prompt():
                return _prompt(message)
            case Review():
                return _review(message)
            case QuestionSheet():
                return sheet_blocks(message)
            case Notice():
                return _notice(message)
            case Menu():
                return _menu(message)
            case SummaryTable():
                return table_blocks(message)
            case Announcement():
                return announcement_blocks(message)
        raise AssertionError(f"no Block Kit for {message!r}")

    def answer_modal(self, prompt: Prompt, origin: ids.ModalOrigin) -> Block:
        """The modal asking for free text, a number or several choices."""
        return answer_modal(prompt, origin)


def _pieces(message: Message, blocks: list[Block]) -> list[list[Block]]:
    """A message's blocks in pieces of at most 50, to keep together if they fit.

    A table too long for one message goes on in the next with its heading
    repeated and marked as continued.
    """
    if len(blocks) <= MAX_BLOCKS:
        return [blocks]
    heading = blocks[0] if blocks[0].get("type") == "header" else None
    body = blocks[1:] if heading is not None else blocks
    title = message.title if isinstance(message, SummaryTable) else ""
    pieces: list[list[Block]] = []
    size = MAX_BLOCKS - 1
    for start in range(0, len(body), size):
        top = heading
        if start and heading is not None:
            top = header(text.continued(title))
        pieces.append(([top] if top is not None else []) + body[start : start + size])
    return pieces


def _fallback(messages: Sequence[Message]) -> str:
    for message in messages:
        match message:
            case Prompt():
                words = message.text
            case Review():
                words = text.review_title(message.campaign_name)
            case QuestionSheet():
                words = message.campaign_name
            case Notice():
                words = message.text
            case Menu() | SummaryTable() | Announcement():
                words = message.title
            case _:
                continue
        return mrkdwn(shorten(words, MAX_FALLBACK))
    return " "


def _prompt(prompt: Prompt) -> list[Block]:
    blocks = [
        context(
            f"*{mrkdwn(prompt.campaign_name)}* · "
            + mrkdwn(text.progress(prompt.progress.position, prompt.progress.total))
        ),
        section(question_text(prompt)),
    ]
    if prompt.problem:
        blocks.append(section(f"{ICONS[Tone.WARNING]} {mrkdwn(prompt.problem)}"))
    if prompt.kind != InputKind.CHOICE and _shown_answer(prompt):
        blocks.append(context(mrkdwn(text.your_answer(_shown_answer(prompt)))))
    blocks.append(
        {
            "type": "actions",
            "block_id": ids.block_id(prompt.campaign_id, prompt.question_id, "answer"),
            "elements": _answer_elements(prompt),
        }
    )
    controls = []
    if prompt.controls.back:
        controls.append(button(text.BACK, ids.BACK, "back"))
    if prompt.controls.skip:
        controls.append(button(text.SKIP, ids.SKIP, "skip"))
    if prompt.controls.pause:
        controls.append(button(text.PAUSE, ids.PAUSE, "pause"))
    if prompt.controls.all_at_once:
        controls.append(button(text.ALL_AT_ONCE, ids.ALL_AT_ONCE, "all"))
    if controls:
        blocks.append(
            {
                "type": "actions",
                "block_id": ids.block_id(
                    prompt.campaign_id, prompt.question_id, "controls"
                ),
                "elements": controls,
            }
        )
    return blocks


def _answer_elements(prompt: Prompt) -> list[Block]:
    """Buttons, radio buttons or a select for choices; a modal button otherwise."""
    choices = prompt.choices
    if prompt.kind == InputKind.CHOICE:
        chosen = _current_codes(prompt)
        short = all(len(choice.label) <= SHORT_LABEL for choice in choices)
        if len(choices) <= SHORT_BUTTONS and short:
            return [
                button(
                    choice.label,
                    f"{ids.ANSWER}.{index}",
                    choice.value,
                    style="primary" if choice.value in chosen else None,
                )
                for index, choice in enumerate(choices)
            ]
        return [_single_choice(choices, chosen)]
    label = (
        text.CHOOSE_SEVERAL
        if prompt.kind == InputKind.MULTI_CHOICE
        else text.TYPE_ANSWER
    )
    elements = [button(label, ids.OPEN_MODAL, prompt.kind.value, style="primary")]
    if prompt.kind != InputKind.MULTI_CHOICE:
        # "Prefer not to say" and the like, offered beside the text box.
        elements += [
            button(choice.label, f"{ids.ANSWER}.{index}", choice.value)
            for index, choice in enumerate(choices[:20])
        ]
    return elements


def _single_choice(choices: tuple[Choice, ...], chosen: set[str]) -> Block:
    options = [option(choice) for choice in choices[:MAX_SELECT]]
    initial = [option for option in options if option["value"] in chosen]
    if len(choices) <= MAX_RADIO:
        element: Block = {
            "type": "radio_buttons",
            "action_id": ids.CHOOSE,
            "options": options,
        }
    else:
        element = {
            "type": "static_select",
            "action_id": ids.CHOOSE,
            "placeholder": plain_text(text.CHOOSE, MAX_OPTION),
            "options": options,
        }
    if initial:
        element["initial_option"] = initial[0]
    return element


def _shown_answer(prompt: Prompt) -> str:
    current = prompt.current
    labels = {choice.value: choice.label for choice in prompt.choices}
    if isinstance(current, list):
        return ", ".join(labels.get(code, code) for code in current)
    if current is None:
        return ""
    return labels.get(str(current), str(current))


def _current_codes(prompt: Prompt) -> set[str]:
    if prompt.current is None:
        return set()
    if isinstance(prompt.current, list):
        return {str(code) for code in prompt.current}
    return {str(prompt.current)}


def _review(review: Review) -> list[Block]:
    blocks: list[Block] = [header(text.review_title(review.campaign_name))]
    if review.problem:
        blocks.append(section(f"{ICONS[Tone.WARNING]} {mrkdwn(review.problem)}"))
    missing = set(review.missing)
    lines = []
    for number, row in enumerate(review.rows, start=1):
        answer = mrkdwn(row.answer)
        if row.question_id in missing:
            answer = f"{ICONS[Tone.WARNING]} _{text.MISSING}_"
        lines.append(f"*{number}. {mrkdwn(row.question)}*\n{answer}")
    # Rows are packed into as few sections as fit, so even the 41-question
    # health check stays far inside 50 blocks.
    blocks.extend(section(chunk) for chunk in packed(lines, MAX_SECTION))
    controls: list[Block] = []
    if review.rows:
        controls.append(
            {
                "type": "static_select",
                "action_id": ids.EDIT,
                "placeholder": plain_text(text.CHANGE, MAX_OPTION),
                "options": [
                    {
                        "text": plain_text(f"{number}. {row.question}", MAX_OPTION),
                        "value": row.question_id,
                    }
                    for number, row in enumerate(review.rows[:MAX_SELECT], start=1)
                ],
            }
        )
        controls.append(button(text.BACK, ids.BACK, "back"))
    controls.append(button(text.PAUSE, ids.PAUSE, "pause"))
    controls.append(
        button(
            text.SEND,
            ids.SUBMIT,
            "submit",
            style="primary",
            confirm={
                "title": plain_text(text.CONFIRM_TITLE, 100),
                "text": {"type": "plain_text", "text": text.CONFIRM_TEXT},
                "confirm": plain_text(text.CONFIRM_YES, 30),
                "deny": plain_text(text.CONFIRM_NO, 30),
            },
        )
    )
    blocks.append(
        {
            "type": "actions",
            "block_id": ids.block_id(review.campaign_id, REVIEW, "controls"),
            "elements": controls,
        }
    )
    return blocks


def _notice(notice: Notice) -> list[Block]:
    words = mrkdwn(notice.text)
    if notice.title:
        words = f"*{mrkdwn(notice.title)}*\n{words}"
    icon = ICONS[notice.tone]
    return [section(chunk) for chunk in packed([f"{icon} {words}"], MAX_SECTION)]


def _menu(menu: Menu) -> list[Block]:
    blocks = [section(f"*{mrkdwn(shorten(menu.title, 500))}*")]
    for index, item in enumerate(menu.items[:20]):
        words = f"*{mrkdwn(item.label)}*"
        if item.detail:
            words += f"\n{mrkdwn(item.detail)}"
        item_block = section(shorten(words, MAX_SECTION))
        item_block["accessory"] = button(
            text.START, f"{ids.COMMAND}.{index}", shorten(item.command, 2000)
        )
        blocks.append(item_block)
    return blocks
