"""The shapes of the Slack payload fields our listeners read, checked before they run.

Slack documents each field's type; a signed request whose fields have other
types (a ``user`` that is a string, an ``actions`` list of numbers) did not
come from Slack as documented, and Bolt itself raises (a 500) on several such
bodies before any listener runs. Such a request is acknowledged and dropped
with a warning. Only the fields our listeners and Bolt read are checked, and
only their types, except the few Bolt reads without looking (a
``block_actions`` payload's ``actions``, a ``view_submission``'s ``view``, an
``event_callback``'s ``event``), which must be there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from slack_bolt.request.internals import parse_body

Spec = type | tuple[type, ...] | dict[str, Any] | list[Any]
"""A type (or types); a dict of field specs (an object, or null, as our listeners
read ``field or {}``); a one-item list: a list of those."""

_TEXT = (str,)
_MAYBE_TEXT = (str, type(None))
_OPTION: dict[str, Spec] = {"value": _TEXT}
_STATE_ELEMENT: dict[str, Spec] = {
    "type": _TEXT,
    "value": _MAYBE_TEXT,
    "selected_option": _OPTION,
    "selected_options": [_OPTION],
}
_ACTION: dict[str, Spec] = {
    "action_id": _TEXT,
    "block_id": _TEXT,
    "type": _TEXT,
    "value": _TEXT,
    "selected_option": _OPTION,
    "selected_options": [_OPTION],
}
_VIEW: dict[str, Spec] = {
    "id": _TEXT,
    "callback_id": _TEXT,
    "private_metadata": _TEXT,
    "blocks": [dict],
    "state": {"values": dict},
}
_EVENT: dict[str, Spec] = {
    "type": _TEXT,
    "user": _TEXT,
    "channel": _TEXT,
    "channel_type": _TEXT,
    "text": _MAYBE_TEXT,
    "tab": _TEXT,
    "subtype": _TEXT,
    "bot_id": _MAYBE_TEXT,
    "ts": _TEXT,
    "thread_ts": _MAYBE_TEXT,
    "team": _MAYBE_TEXT,
    "user_team": _MAYBE_TEXT,
    "source_team": _MAYBE_TEXT,
    "message": {"user": _TEXT, "subtype": _TEXT, "bot_id": _MAYBE_TEXT},
    "previous_message": {"user": _TEXT, "subtype": _TEXT},
}
PAYLOAD: dict[str, Spec] = {
    "type": _TEXT,
    "team_id": _MAYBE_TEXT,
    "user_id": _TEXT,
    "channel_id": _TEXT,
    "text": _TEXT,
    "command": _TEXT,
    "response_url": _TEXT,
    "trigger_id": _TEXT,
    "event_id": _TEXT,
    "team": {"id": _TEXT},
    "user": {"id": _TEXT, "team_id": _MAYBE_TEXT},
    "channel": (str, dict),  # an object in interactions; Bolt reads either
    "container": {
        "type": _TEXT,
        "channel_id": _TEXT,
        "message_ts": _TEXT,
        "view_id": _TEXT,
        "is_ephemeral": (bool,),
    },
    "actions": [_ACTION],
    "view": _VIEW,
    "message": {"ts": _TEXT, "blocks": [dict]},
    "event": _EVENT,
    # Read by Bolt itself to build each request's context.
    "enterprise_id": _MAYBE_TEXT,
    "enterprise": {"id": _TEXT},
    "is_enterprise_install": (bool, str),
    "is_ext_shared_channel": (bool,),
    "context_team_id": _MAYBE_TEXT,
    "context_enterprise_id": _MAYBE_TEXT,
    "user_team": _MAYBE_TEXT,
    "authorizations": [
        {
            "team_id": _MAYBE_TEXT,
            "enterprise_id": _MAYBE_TEXT,
            "user_id": _MAYBE_TEXT,
            "is_bot": (bool,),
            "is_enterprise_install": (bool,),
        }
    ],
}
"""What the fields our listeners read must be, when present."""


@dataclass(frozen=True)
class PayloadProblem:
    """Why a signed request is not passed to Bolt, and the status to answer.

    Attributes:
        reason: What is wrong, naming the field (never its value).
        status: 400 for a body that cannot be read; 200 for one that can but
            does not fit (so Slack does not retry it).
    """

    reason: str
    status: int


def payload_problem(body: bytes, content_type: str | None) -> PayloadProblem | None:
    """Read a request body as Bolt will; why it cannot be handled, if it cannot."""
    try:
        payload = parse_body(body.decode("utf-8"), content_type)
    except (ValueError, RecursionError):
        return PayloadProblem("the body is not JSON or form data as Slack sends", 400)
    field = misshapen(payload)
    if field is not None:
        return PayloadProblem(f"its {field} is not as Slack documents", 200)
    return None


def misshapen(body: Any) -> str | None:
    """The first field of ``body`` whose type is not Slack's documented one.

    Returns:
        Its path (such as ``actions[0].value``), or ``None`` if all fit.
    """
    if not isinstance(body, dict):
        return "the payload"
    found = _misfit(body, PAYLOAD, "") or _missing(body)
    if found is None:
        found = _state_misfit(body.get("view"))
    if found is None and not _web_address(body.get("response_url", "https://x")):
        found = "response_url"
    return found


def _web_address(url: Any) -> bool:
    """An http(s) address with a host: all a response URL can be."""
    parts = urlsplit(str(url))
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _misfit(value: Any, spec: Spec, path: str) -> str | None:
    if isinstance(spec, dict):
        if value is None:
            return None
        if not isinstance(value, dict):
            return path or "the payload"
        for name, inner in spec.items():
            if name in value:
                found = _misfit(value[name], inner, f"{path}.{name}".lstrip("."))
                if found is not None:
                    return found
        return None
    if isinstance(spec, list):
        if not isinstance(value, list):
            return path
        for index, item in enumerate(value):
            found = _misfit(item, spec[0], f"{path}[{index}]")
            if found is not None:
                return found
        return None
    # bool is an int in Python; Slack's numbers are never our flags' bools.
    if isinstance(value, bool) and bool not in _types(spec):
        return path
    return None if isinstance(value, spec) else path


_REQUIRED = {
    "block_actions": "actions",
    "view_submission": "view",
    "view_closed": "view",
    "event_callback": "event",
}
"""Fields Bolt reads without checking, by payload type."""


def _missing(body: dict[str, Any]) -> str | None:
    needed = _REQUIRED.get(str(body.get("type")))
    if needed is not None and not body.get(needed):
        return needed
    for index, action in enumerate(body.get("actions") or []):
        if not isinstance(action, dict) or "action_id" not in action:
            return f"actions[{index}].action_id"
    return None


def _types(spec: type | tuple[type, ...]) -> tuple[type, ...]:
    return spec if isinstance(spec, tuple) else (spec,)


def _state_misfit(view: Any) -> str | None:
    """``view.state.values`` is blocks of elements of documented shape."""
    if not isinstance(view, dict) or not isinstance(view.get("state"), dict):
        return None
    for block_id, elements in (view["state"].get("values") or {}).items():
        path = f"view.state.values.{block_id}"
        if not isinstance(elements, dict):
            return path
        for action_id, element in elements.items():
            found = _misfit(element, _STATE_ELEMENT, f"{path}.{action_id}")
            if found is not None:
                return found
    return None
