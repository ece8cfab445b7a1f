"""Redacting names, contact details and case references from comments."""

from __future__ import annotations

import pytest

from analytics.comments import redact

ROSTER = ["Priya Shah", "Will Black", "Hope Mensah", "Siobhan O'Neill", "Tom Ashworth"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Priya Shah was brilliant.", "[name] was brilliant."),
        ("priya shah was brilliant.", "[name] was brilliant."),
        ("Ask Priya, she knows.", "Ask [name], she knows."),
        ("Shah's team is great.", "[name]'s team is great."),
        ("Siobhan O'Neill helped.", "[name] helped."),
        ("O'Neill helped.", "[name] helped."),
        ("Will Black covered duty.", "[name] covered duty."),
        ("Mr Black covered duty.", "[name] covered duty."),
        ("Tom  Ashworth and Tom.", "[name] and [name]."),
    ],
)
def test_roster_names(text: str, expected: str) -> None:
    assert redact(text, names=ROSTER) == expected


def test_names_that_are_everyday_words_are_left_in_ordinary_use() -> None:
    text = "I will say Black staff face racism; I hope it improves. Will it?"

    assert redact(text, names=ROSTER) == text


@pytest.mark.parametrize(
    "email",
    ["priya.shah@westmere.gov.uk", "t.ashworth+duty@council.org", "a_b@x-y.co.uk"],
)
def test_emails(email: str) -> None:
    assert redact(f"Write to {email} today.") == "Write to [email] today."


@pytest.mark.parametrize(
    "phone",
    [
        "07700 900123",
        "07700900123",
        "07700-900-123",
        "+44 7700 900123",
        "+447700900123",
        "+44 (0)7700 900123",
        "01902 553209",
        "(01902) 553209",
        "0121 496 0000",
        "020 7946 0000",
        "+44 1902 553209",
    ],
)
def test_uk_phone_numbers(phone: str) -> None:
    assert redact(f"Call {phone} now.") == "Call [phone] now."


@pytest.mark.parametrize("postcode", ["WV1 1AA", "SW1A 1AA", "B1 1BB", "wv10 6ab"])
def test_postcodes(postcode: str) -> None:
    assert redact(f"The family lives at {postcode}.") == (
        "The family lives at [postcode]."
    )


@pytest.mark.parametrize(
    "reference",
    [
        "case 12345",
        "Case no. 12345",
        "case number 987654",
        "ref AB123456",
        "Reference: AB123456",
        "LAS/2024/123",
        "AB123456",
        "NHS number 943 476 5919",
        "943 476 5919",
        "Mosaic ID 1234567",
        "client ID 4521",
        "1234567",
    ],
)
def test_case_and_reference_numbers(reference: str) -> None:
    assert redact(f"See {reference} for details.") == "See [case ref] for details."


@pytest.mark.parametrize(
    "text",
    [
        "I have 5 cases and 3 visits today.",
        "Case 2 was hard, in case 3 people call.",
        "We saw 25 families in 2024 and 120 referrals in March.",
        "Pay is £32,000 and mileage is 45p; 100% of visits were done.",
        "Meeting at 09:30 on 01/02/2024, back by 5pm.",
        "We were stuck on the M6 at the 5th junction.",
        "It is 10000 steps a day, ID 42 and Record 100 visits.",
        "The team is great and Hope is what keeps us going.",
    ],
)
def test_ordinary_words_and_numbers_are_kept(text: str) -> None:
    assert redact(text, names=ROSTER) == text


def test_everything_at_once() -> None:
    text = (
        "Tom Ashworth (tom@council.gov.uk, 07700 900123) moved case 12345 "
        "for the family at WV1 1AA."
    )

    assert redact(text, names=ROSTER) == (
        "[name] ([email], [phone]) moved [case ref] for the family at [postcode]."
    )
