"""Every sentence the local web channel adds to the conversation, in one place."""

from __future__ import annotations

PERSONA_KINDS = {
    "social_worker": (
        "A social worker",
        "Answers the social work health check and the pulse check.",
    ),
    "wider_workforce": (
        "Wider workforce",
        "Answers the wider workforce health check and the pulse check.",
    ),
    "manager": (
        "A manager",
        "Answers surveys too, and can ask for their teams' summaries.",
    ),
    "psw": (
        "The Principal Social Worker",
        "Runs the surveys: opens and closes them, and sees who has access.",
    ),
}


def out_of_date() -> str:
    """A form drawn for someone else, or altered: nothing was changed."""
    return (
        "That page was out of date, so nothing was changed. Here is where you are now."
    )


def no_such_survey() -> str:
    """A survey id that is not one of this organisation's campaigns."""
    return "That survey could not be found. Your open surveys are listed on this page."


def hello(first_name: str) -> str:
    """The chat page's heading when no survey is on screen."""
    return f"Hello, {first_name}"


def picker_off() -> str:
    """In production there is no persona picker."""
    return (
        "Please use the personal link your Principal Social Worker sent you. "
        "If you do not have one, ask them for one."
    )


def not_on_roster() -> str:
    """A picker post naming nobody we know."""
    return "That person is not on the roster. Please choose someone from the list."


def progress(answered: int, total: int) -> str:
    """How far a person is through a survey, in words."""
    if answered == 0:
        return f"Started: 0 of {total} answered"
    if answered >= total:
        return f"All {total} answered: ready to check and send"
    return f"{answered} of {total} answered"


def link_title(kind: str) -> str:
    """The heading of the page for a link that cannot be used."""
    return {
        "used": "This link has already been used",
        "expired": "This link has expired",
    }.get(kind, "This link does not work")


def unavailable_heading() -> str:
    """The 503 page's heading."""
    return "Please try again in a moment"


def unavailable() -> str:
    """The 503 page's text: nothing from this request was stored."""
    return (
        "Health Check could not reach its database just now, so that last step "
        "was not saved. Everything you sent before it is safe. Please try again "
        "in a moment."
    )


def forged_post_heading() -> str:
    """The heading of the page for a post that did not come from our own page."""
    return "That did not come from a Health Check page"


def too_large_heading() -> str:
    """The heading of the page for a form or upload over the size we read."""
    return "That was too large to send"


def too_large(limit_mb: int) -> str:
    """Why a form or upload over the size limit was refused, and what to do."""
    return (
        f"Nothing was changed. A form or file sent here can be at most {limit_mb} "
        "MB. A roster file larger than that can be imported with "
        "'healthcheck roster import'."
    )


def forged_post() -> str:
    """Why a post without a valid CSRF token was refused, and what to do."""
    return (
        "Nothing was changed. The form was sent from another page or site, or from "
        "a page that was open before you signed in or out. Go back to the chat, "
        "reload it and try again."
    )


def link_continue_heading(*, switching: bool) -> str:
    """The heading of the page a personal link opens (nothing is used yet)."""
    if switching:
        return "Someone else is signed in on this browser"
    return "Sign in to Health Check"


def too_many_heading() -> str:
    """The heading of the 429 page for too many failed sign-ins."""
    return "Too many attempts"


def too_many(minutes: int) -> str:
    """Why sign-in is refused for a while, and when to try again."""
    when = "in a minute" if minutes <= 1 else f"in {minutes} minutes"
    return (
        "There have been too many sign-in attempts that did not work from this "
        f"network. Please try again {when}. If your personal link does not work, "
        "ask your Principal Social Worker for a new one."
    )


def sign_in_not_offered_heading() -> str:
    """The heading when a sign-in provider is not set up here."""
    return "That way of signing in is not set up"


def sign_in_not_offered() -> str:
    """What to do when a provider is not set up."""
    return "Please use another way to sign in, or the personal link you were sent."


def sign_in_refused_heading(reason: str) -> str:
    """The heading of a refused sign-in."""
    if reason == "not-on-roster":
        return "We could not find you on the roster"
    return "That sign-in did not work"


def sign_in_refused(reason: str) -> str:
    """Why a sign-in was refused, politely, without the technical detail."""
    if reason == "not-on-roster":
        return (
            "Your account signed in, but it does not match anyone on this "
            "organisation's Health Check roster. If you think it should, ask your "
            "Principal Social Worker to check the email on the roster."
        )
    if reason in ("other-tenant", "other-workspace"):
        return (
            "That account belongs to another organisation. Please sign in with "
            "your account at this organisation."
        )
    return "Nothing was changed. Please start again from the sign-in page."
