"""The security log: one warning per refused request, saying who, what and where.

Every refusal that could be an attack (a forged or replayed Slack request, a
bad Teams token, a reused form or personal link, a command above someone's
access) is written to the ``healthcheck.security`` logger, so an operator can
alert on it apart from the application log. Records carry only identifiers and
the kind of refusal: never an answer, a comment, a token or a request body.
Each record also has ``refusal`` (the kind) and ``facts`` (the fields) as
attributes for handlers that ship structured logs.
"""

from __future__ import annotations

import logging
import uuid

log = logging.getLogger("healthcheck.security")

_LONGEST = 80


def _clean(value: object) -> str:
    """One printable, bounded word: control characters cannot forge log lines."""
    words = "".join(ch if ch.isprintable() else "?" for ch in str(value))
    if len(words) > _LONGEST:
        words = words[: _LONGEST - 1] + "…"
    return words.replace(" ", "_") or "-"


def _refused(kind: str, **facts: object) -> None:
    cleaned = {name: _clean(value) for name, value in facts.items()}
    details = " ".join(f"{name}={value}" for name, value in cleaned.items())
    log.warning(
        "refused %s %s", kind, details, extra={"refusal": kind, "facts": cleaned}
    )


def slack_request_refused(*, reason: str, client: str | None) -> None:
    """A request to ``/slack/events`` failed signature checks.

    Args:
        reason: ``unsigned``, ``malformed``, ``forged`` (the signature does not
            match the body) or ``replayed`` (it matches, but the timestamp is
            more than five minutes away: an old request sent again).
        client: The address the request came from.
    """
    _refused("slack-signature", reason=reason, client=client)


def slack_install_refused(*, reason: str, client: str | None) -> None:
    """An attempt to install the Slack app without a valid install link.

    Args:
        reason: Why (no link, an altered or expired one, a workspace that
            belongs to another organisation).
        client: The address the request came from, if known.
    """
    _refused("slack-install", reason=reason, client=client)


def teams_token_refused(*, reason: str, client: str | None) -> None:
    """A request to ``/api/messages`` had no valid Bot Framework token.

    Args:
        reason: ``missing``, ``malformed``, ``expired`` or ``invalid``.
        client: The address the request came from.
    """
    _refused("teams-token", reason=reason, client=client)


def form_token_refused(
    *, reason: str, person_id: uuid.UUID, campaign_id: uuid.UUID
) -> None:
    """A local-channel answer form came back with a spent or foreign token.

    Args:
        reason: ``used`` (a resubmitted or replayed form) or ``foreign`` (drawn
            for someone else, or not signed by this server).
        person_id: Who posted it.
        campaign_id: The survey the form was for.
    """
    _refused("form-token", reason=reason, person=person_id, campaign=campaign_id)


def personal_link_refused(*, reason: str, client: str | None) -> None:
    """A personal sign-in link was refused.

    Args:
        reason: ``used``, ``expired`` or ``unknown``.
        client: The address the request came from (never the link itself).
    """
    _refused("personal-link", reason=reason, client=client)


def forged_post_refused(*, reason: str, path: str, client: str | None) -> None:
    """A form post without this browser's CSRF token, or from another origin.

    Args:
        reason: ``missing`` (no token), ``no-cookie`` (no session or browser
            cookie to check it against), ``wrong`` (a token for another
            session), ``other-origin`` (the ``Origin`` header names another
            site or port) or ``too-large``.
        path: Where it was posted.
        client: The address the request came from.
    """
    _refused("forged-post", reason=reason, path=path, client=client)


def sign_in_refused(*, provider: str, reason: str, client: str | None) -> None:
    """A Microsoft or Slack sign-in was refused.

    Args:
        provider: ``microsoft`` or ``slack``.
        reason: e.g. ``state``, ``id-token-invalid_claim``, ``other-tenant``,
            ``not-on-roster`` (never a token or a claim's value).
        client: The address the request came from.
    """
    _refused("sign-in", provider=provider, reason=reason, client=client)


def sign_in_limited(*, path: str, client: str | None) -> None:
    """An address failed to sign in too often and was given a 429.

    Args:
        path: The sign-in route it asked for (never a personal link's token).
        client: The address the request came from.
    """
    shown = "/s/…" if path.startswith("/s/") else path
    _refused("sign-in-rate", path=shown, client=client)


def page_refused(*, person_id: uuid.UUID, page: str, held: str, needed: str) -> None:
    """Someone opened a page their roster access does not allow.

    Args:
        person_id: Who asked for it.
        page: The page's path (without its query).
        held: The access the roster gives them.
        needed: The access the page needs.
    """
    _refused("page", person=person_id, page=page, held=held, needed=needed)


def command_refused(
    *, person_id: uuid.UUID, command: str, held: str, needed: str
) -> None:
    """Someone ran a command their roster access does not allow.

    Args:
        person_id: Who typed it.
        command: The command's name (not its arguments).
        held: The access the roster gives them.
        needed: The access the command needs.
    """
    _refused("command", person=person_id, command=command, held=held, needed=needed)


def team_refused(*, person_id: uuid.UUID, team: str) -> None:
    """A manager asked for a team they do not manage.

    Args:
        person_id: Who asked.
        team: The team they named, as typed.
    """
    _refused("team", person=person_id, team=team)
