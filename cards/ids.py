"""Verbs, data keys and input ids the cards send and the bot dispatches on: one place for both."""

from __future__ import annotations

VERB_RSVP = "rsvp"
VERB_ATTENDEES = "attendees"
VERB_REFRESH = "refresh"
VERBS = (VERB_RSVP, VERB_ATTENDEES, VERB_REFRESH)

INPUT_DIETARY = "dietary"
INPUT_NOTE = "note"
DIETARY_MAX_LENGTH = 200
NOTE_MAX_LENGTH = 500

# The reader's notice (the outcome of their last click) is the card's first element, with this id.
NOTICE_ID = "notice"

ANSWER_ATTENDING = "attending"
ANSWER_NOT_ATTENDING = "not_attending"
ANSWER_MAYBE = "maybe"
ANSWER_ONLINE = "online"  # offered only where the meeting may be attended online
ANSWERS = (ANSWER_ATTENDING, ANSWER_NOT_ATTENDING, ANSWER_MAYBE)

# Keys inside an action's data. An Action.Execute carries its verb beside the data; the
# Action.Submit fallback has no such field, so its data carries the verb under DATA_VERB.
DATA_VERB = "verb"
DATA_MEETING = "meeting"
DATA_ANSWER = "answer"


def action_data(verb: str, meeting_key: str, **extra: str) -> dict[str, str]:
    """An action's data, verb inside: the Submit fallback's as is, Execute's minus the verb."""
    if verb not in VERBS:
        raise ValueError(f"unknown verb: {verb}")
    return {DATA_VERB: verb, DATA_MEETING: meeting_key, **extra}


def execute_data(data: dict[str, str]) -> dict[str, str]:
    """The data of an Action.Execute: `action_data` without the verb, which travels as `verb`."""
    return {key: value for key, value in data.items() if key != DATA_VERB}
