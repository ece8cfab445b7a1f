"""The survey core's exception hierarchy; every message is written for a person."""

from __future__ import annotations


class SurveyError(Exception):
    """A mistake a person can fix; ``str(error)`` is the message to show."""


class NotFoundError(SurveyError):
    """A named thing (campaign, template, person, team) does not exist."""


class QuestionBankError(SurveyError):
    """A question bank file is malformed; lists every problem found."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


class RosterImportError(SurveyError):
    """A roster file has problems; nothing was imported."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


class HistoricImportError(SurveyError):
    """An export of an earlier round has problems; nothing was imported."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


class AnswerError(SurveyError):
    """An answer does not fit its question (type, bounds, options, length)."""


class CampaignClosedError(SurveyError):
    """The campaign is not open for answers."""


class CampaignStateError(SurveyError):
    """A lifecycle step that does not fit the campaign's current state."""


class NotInvitedError(SurveyError):
    """The person is not in the campaign's audience."""


class AlreadySubmittedError(SurveyError):
    """The person has already submitted for this campaign."""


class SettingsError(SurveyError):
    """A setting is missing or wrong."""


class PersonalLinkError(SurveyError):
    """A personal link that cannot be used: unknown, expired or already used."""


class UnknownLinkError(PersonalLinkError):
    """The link's token matches no link we issued (mistyped, cut short or forged)."""


class ExpiredLinkError(PersonalLinkError):
    """The link was not used before it expired."""


class UsedLinkError(PersonalLinkError):
    """The link has already been used once."""


class ScheduleError(SurveyError):
    """A schedule that cannot work: a time in the past, out of order or unreadable."""


class RetentionError(SurveyError):
    """A retention period that cannot be used."""


class SealedResponseError(SurveyError):
    """A sealed response in the pool cannot be opened (the secret key changed?)."""
