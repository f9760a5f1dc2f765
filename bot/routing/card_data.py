"""Each card verb's data, as the cards send it, validated before the verb runs.

An Action.Execute invoke carries `value.action.data`; an Action.Submit fallback carries the same
data with the verb inside. Teams sends every input's value as a string, and the bot put every id
in the data itself, so anything else (another type, an id that is not the shape the card wrote,
a control character in an id, an over-long value) was not sent by one of our cards: the click
is refused with a 400 before any verb reads it, and nothing changes.

Ids are checked for their shape only (a network's key, '<network>:<number>' with a small
positive ASCII number, a small positive number); whether they name something the reader may
see is the verb's business. Typed text is only bounded here: the features check their own
lengths and clean what people typed, with their own messages.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from cards import sparring_ids
from cards.ids import ANSWERS, DATA_VERB, VERB_ATTENDEES, VERB_REFRESH, VERB_RSVP
from cards.material import VERB_MATERIAL_MEETING
from cards.membership import VERB_APPLY
from cards.pairs import VERB_PAIR_MET
from cards.privacy import (
    VERB_PRIVACY_ERASE,
    VERB_PRIVACY_ERASE_CONFIRM,
    VERB_PRIVACY_LEAVE_CONFIRM,
)
from cards.questions import VERB_ASK, VERB_HELPFUL
from cards.selection import VERB_CONFIRM, VERB_PROPOSE
from domain.numbers import small_number

# A network's key: the network file's pattern.
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{1,79}")
MAX_KEY = 100  # an input's id
MAX_TYPED = 20_000  # what a card's inputs allow, with room: features check their own limits
MAX_IDS = 20  # ids in one list ('7,8'): the items of one message
MEETING_DIGITS = 6


def _printable(value: str) -> str:
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in value):
        raise ValueError("control characters")
    return value


def _slug(value: str) -> str:
    if _SLUG.fullmatch(value) is None:
        raise ValueError("not a network's key")
    return value


def _number(value: str, digits: int) -> int:
    number = small_number(value, digits=digits)
    if number is None or number < 1 or value != value.strip():
        raise ValueError("not a small positive number")
    return number


def _small_id(value: str) -> str:
    _number(value, 9)
    return value


def _numbered(digits: int) -> AfterValidator:
    # '<network>:<number>': a meeting's or a question's key (a network's key has no colon).
    def check(value: str) -> str:
        slug, colon, number = value.partition(":")
        if not colon:
            raise ValueError("not '<network>:<number>'")
        _slug(slug)
        _number(number, digits)
        return value

    return AfterValidator(check)


def _one_of(allowed: tuple[str, ...]) -> AfterValidator:
    def check(value: str) -> str:
        if value not in allowed:
            raise ValueError("not one of the card's choices")
        return value

    return AfterValidator(check)


def _id_list(value: str) -> str:
    parts = value.split(",")
    if len(parts) > MAX_IDS:
        raise ValueError("too many ids")
    for part in parts:
        _small_id(part)
    return value


Slug = Annotated[str, AfterValidator(_slug)]
SmallId = Annotated[str, StringConstraints(max_length=9), AfterValidator(_small_id)]
Numbered = Annotated[str, StringConstraints(max_length=MAX_KEY), _numbered(MEETING_DIGITS)]
IdList = Annotated[str, StringConstraints(max_length=MAX_IDS * 10), AfterValidator(_id_list)]
Typed = Annotated[str, StringConstraints(max_length=MAX_TYPED)]
Short = Annotated[str, StringConstraints(max_length=MAX_KEY), AfterValidator(_printable)]


class CardData(BaseModel):
    """Data every verb shares: the Submit fallback's verb, and the inputs of the card.

    Inputs the data does not name (the application form's fields, per-case inputs suffixed with
    a case id) are strings with a short printable id.
    """

    model_config = ConfigDict(extra="allow", strict=True, populate_by_name=True)
    __pydantic_extra__: dict[Short, Typed] = Field(init=False)

    verb: Short | None = Field(default=None, alias=DATA_VERB)


class MeetingData(CardData):
    """A meeting's card: the agenda, the case form, the host and summary cards, evaluations."""

    meeting: Numbered


class RsvpData(MeetingData):
    """An answer on the agenda card."""

    answer: Annotated[str, _one_of(ANSWERS)] | None = None


class CaseData(MeetingData):
    """A case on the facilitator's list."""

    case: SmallId


class CaseDecisionData(CaseData):
    """A decision on a case."""

    decision: Annotated[str, _one_of(sparring_ids.DECISIONS)] | None = None


class NetworkData(CardData):
    """A card about one network: the application, the selection, the final evaluation, asking."""

    network: Slug


class ApplicationData(NetworkData):
    """The application form: the version it started from, and whether to replace it."""

    base: Short | None = None
    replace: Literal["true"] | None = None


class SelectionData(NetworkData):
    """Confirming a selection: the chosen municipalities' keys, comma-separated."""

    chosen: Typed | None = None


class LeavingData(NetworkData):
    """Erasing a leaving municipality's people: the network and the municipality's key."""

    municipality: Slug


class PairData(CardData):
    """The "did you meet?" card."""

    group: SmallId
    met: Literal["yes", "no"]


class QuestionData(CardData):
    """A question's card: its key."""

    question: Annotated[str, StringConstraints(max_length=MAX_KEY), _numbered(9)]


class MaterialData(CardData):
    """The 'which meeting?' card: the items of one message and the meeting's number."""

    material: IdList
    meeting_number: SmallId | None = Field(default=None, alias="materialMeeting")


# Every verb the cards send, with its data's model. CardActions refuses to register a verb
# without one, so a new card cannot skip the check.
MODELS: Mapping[str, type[CardData]] = {
    VERB_RSVP: RsvpData,
    VERB_REFRESH: MeetingData,
    VERB_ATTENDEES: MeetingData,
    VERB_APPLY: ApplicationData,
    VERB_PROPOSE: NetworkData,
    VERB_CONFIRM: SelectionData,
    sparring_ids.VERB_CASE_FORM: MeetingData,
    sparring_ids.VERB_CASE_SUBMIT: MeetingData,
    sparring_ids.VERB_CASE_DECIDE: CaseDecisionData,
    sparring_ids.VERB_CASE_NOTES: CaseData,
    sparring_ids.VERB_HOST_PLAN: MeetingData,
    sparring_ids.VERB_SUMMARY_SAVE: MeetingData,
    sparring_ids.VERB_SUMMARY_POST: MeetingData,
    sparring_ids.VERB_EVALUATE: MeetingData,
    sparring_ids.VERB_FINAL_EVALUATE: NetworkData,
    VERB_PAIR_MET: PairData,
    VERB_PRIVACY_ERASE: CardData,
    VERB_PRIVACY_ERASE_CONFIRM: CardData,
    VERB_PRIVACY_LEAVE_CONFIRM: LeavingData,
    VERB_HELPFUL: QuestionData,
    VERB_ASK: NetworkData,
    VERB_MATERIAL_MEETING: MaterialData,
}


def valid(verb: str, data: Mapping[str, Any]) -> bool:
    """Whether `data` is what a card of `verb` sends."""
    model = MODELS.get(verb)
    if model is None:
        return False
    try:
        model.model_validate(data)
    except ValueError:  # pydantic's ValidationError
        return False
    return True
