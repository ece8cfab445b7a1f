"""Slack's documented Block Kit limits, checked as Slack checks them.

The fake Web API refuses a message or view that breaks one (``invalid_blocks``),
so a renderer mistake fails a test the way it would fail in Slack.
See docs.slack.dev/reference/block-kit.
"""

from __future__ import annotations

from typing import Any

Payload = dict[str, Any]


def message_problems(params: Payload) -> list[str]:
    blocks = params.get("blocks") or []
    problems = []
    if not params.get("text") and not blocks:
        problems.append("a message needs text or blocks")
    if len(str(params.get("text", ""))) > 40000:
        problems.append("text over 40,000 characters")
    if len(blocks) > 50:
        problems.append(f"{len(blocks)} blocks in a message (max 50)")
    problems += _blocks_problems(blocks, surface="message")
    return problems


def view_problems(view: Payload) -> list[str]:
    problems = []
    blocks = view.get("blocks") or []
    if len(blocks) > 100:
        problems.append(f"{len(blocks)} blocks in a view (max 100)")
    for part in ("title", "submit", "close"):
        text = (view.get(part) or {}).get("text", "")
        if len(text) > 24:
            problems.append(f"view {part} '{text}' over 24 characters")
    if view.get("type") == "modal" and not view.get("title"):
        problems.append("a modal needs a title")
    if len(view.get("private_metadata", "")) > 3000:
        problems.append("private_metadata over 3,000 characters")
    if len(view.get("callback_id", "")) > 255:
        problems.append("callback_id over 255 characters")
    has_input = any(block.get("type") == "input" for block in blocks)
    if has_input and view.get("type") == "modal" and not view.get("submit"):
        problems.append("a modal with inputs needs a submit button")
    problems += _blocks_problems(blocks, surface=view.get("type", "modal"))
    return problems


def _blocks_problems(blocks: list[Payload], *, surface: str) -> list[str]:
    problems: list[str] = []
    block_ids: set[str] = set()
    for block in blocks:
        # action_id must be unique within its block (Slack's docs), not wider.
        action_ids: set[str] = set()
        kind = block.get("type")
        block_id = block.get("block_id")
        if block_id is not None:
            if len(block_id) > 255:
                problems.append(f"block_id over 255 characters: {block_id[:40]}")
            if block_id in block_ids:
                problems.append(f"duplicate block_id {block_id}")
            block_ids.add(block_id)
        if kind == "section":
            text = (block.get("text") or {}).get("text", "")
            if len(text) > 3000:
                problems.append("section text over 3,000 characters")
            if len(block.get("fields") or []) > 10:
                problems.append("over 10 section fields")
            for item in block.get("fields") or []:
                if len(item.get("text", "")) > 2000:
                    problems.append("section field over 2,000 characters")
            if not text and not block.get("fields"):
                problems.append("a section needs text or fields")
            if block.get("accessory"):
                problems += _element_problems(block["accessory"], action_ids)
        elif kind == "header":
            text = (block.get("text") or {}).get("text", "")
            if (block.get("text") or {}).get("type") != "plain_text":
                problems.append("a header takes plain_text")
            if not text or len(text) > 150:
                problems.append(f"header text of {len(text)} characters (1-150)")
        elif kind == "context":
            elements = block.get("elements") or []
            if not 1 <= len(elements) <= 10:
                problems.append(f"context with {len(elements)} elements (1-10)")
        elif kind == "actions":
            elements = block.get("elements") or []
            if not 1 <= len(elements) <= 25:
                problems.append(f"actions with {len(elements)} elements (1-25)")
            for element in elements:
                problems += _element_problems(element, action_ids)
        elif kind == "input":
            if surface == "message":
                problems.append("input blocks are not allowed in messages")
            label = (block.get("label") or {}).get("text", "")
            if not label or len(label) > 2000:
                problems.append("input label missing or over 2,000 characters")
            problems += _element_problems(block.get("element") or {}, action_ids)
        elif kind == "divider":
            pass
        else:
            problems.append(f"unknown block type {kind}")
    return problems


def _element_problems(element: Payload, action_ids: set[str]) -> list[str]:
    problems = []
    kind = element.get("type")
    action_id = element.get("action_id")
    if action_id is not None:
        if len(action_id) > 255:
            problems.append("action_id over 255 characters")
        if action_id in action_ids:
            problems.append(f"duplicate action_id {action_id}")
        action_ids.add(action_id)
    if kind == "button":
        text = (element.get("text") or {}).get("text", "")
        if not text or len(text) > 75:
            problems.append(f"button text of {len(text)} characters (1-75)")
        if len(element.get("value", "")) > 2000:
            problems.append("button value over 2,000 characters")
    elif kind in ("radio_buttons", "checkboxes"):
        options = element.get("options") or []
        if not 1 <= len(options) <= 10:
            problems.append(f"{kind} with {len(options)} options (1-10)")
        problems += _options_problems(options)
    elif kind in ("static_select", "multi_static_select", "overflow"):
        options = element.get("options") or []
        most = 5 if kind == "overflow" else 100
        if not 1 <= len(options) <= most:
            problems.append(f"{kind} with {len(options)} options (1-{most})")
        problems += _options_problems(options)
    elif kind in ("plain_text_input", "number_input"):
        pass
    else:
        problems.append(f"unknown element type {kind}")
    return problems


def _options_problems(options: list[Payload]) -> list[str]:
    problems = []
    values = [option.get("value", "") for option in options]
    if len(set(values)) != len(values):
        problems.append("duplicate option values")
    for option in options:
        text = (option.get("text") or {}).get("text", "")
        if not text or len(text) > 75:
            problems.append(f"option text of {len(text)} characters (1-75)")
        if len(option.get("value", "")) > 150:
            problems.append("option value over 150 characters")
    return problems
