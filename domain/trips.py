"""The study trip: an optional journey at the municipalities' own cost, not a hosted meeting.

It carries a number in the network file like any meeting, but people never see that number:
cards and messages call it the study trip, and commands address it by a word instead.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from domain.material import split_meeting_number
from domain.model import Meeting, MeetingKind, MeetingStatus

# The words that name the study trip where a command takes a meeting number, in every language
# (the localized label, lower case, with or without a space or the definite form).
TRIP_WORDS = frozenset(
    {
        "trip",
        "study trip",
        "study-trip",
        "studytrip",
        "studietur",
        "studieturen",
        "studieresa",
        "studieresan",
    }
)

# Steps a hosted meeting has but a study trip does not, unless its network file asks for them.
HOSTED_ONLY_STEPS = ("host_prompt", "call_for_cases")


def is_trip_word(text: str) -> bool:
    """Whether a command's argument names the study trip ('trip', 'studietur', 'studieresa')."""
    return " ".join(text.casefold().split()) in TRIP_WORDS


def the_trip(
    meetings: tuple[Meeting, ...] | list[Meeting], zone: ZoneInfo, now: datetime
) -> Meeting | None:
    """The study trip a command means: the next one not over, else the latest one."""
    trips = [
        m
        for m in meetings
        if m.kind is MeetingKind.STUDY_TRIP and m.status is not MeetingStatus.CANCELLED
    ]
    coming = [m for m in trips if m.ends_at(zone) > now]
    if coming:
        return min(coming, key=lambda m: m.starts_at(zone))
    return max(trips, key=lambda m: m.starts_at(zone), default=None)


def trip_skips(kind: MeetingKind, asked: dict[str, bool | None]) -> frozenset[str]:
    """The steps a meeting skips by its kind: a study trip has no host prompt and no call for
    cases unless the file says `host_prompt: true` or `call_for_cases: true`; a meeting of
    either kind skips a step whose flag the file sets to false."""
    skipped = set()
    for step in HOSTED_ONLY_STEPS:
        wanted = asked.get(step)
        if wanted is False or (wanted is None and kind is MeetingKind.STUDY_TRIP):
            skipped.add(step)
    return frozenset(skipped)


def leading_trip(text: str) -> tuple[bool, str]:
    """Whether the study trip's word is written first ('studietur slides'), and the rest."""
    words = text.split()
    for size in (2, 1):  # 'study trip' before 'trip'
        if len(words) >= size and is_trip_word(" ".join(words[:size])):
            return True, " ".join(words[size:])
    return False, text


def leading_meeting(
    text: str, meetings: tuple[Meeting, ...] | list[Meeting], zone: ZoneInfo, now: datetime
) -> tuple[int | None, str]:
    """A meeting number ('2', '#2') or the study trip's word written first, and the rest."""
    trip_first, rest = leading_trip(text)
    if trip_first:
        trip = the_trip(meetings, zone, now)
        return (trip.number if trip else None), rest
    return split_meeting_number(text)
