"""Questions to the network: the question's rules, theme tags and whom to ask, in rotation."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from domain.errors import N_, InvalidInput, NotFound
from domain.numbers import small_number

MAX_QUESTION = 1000  # characters: a question, not an essay; the answers are the thread
MAX_ANSWER = 4000
MAX_MENTIONED = 5  # municipalities asked per question
THEME_TAG = re.compile(r"#(\S+)")


class QuestionStatus(enum.StrEnum):
    """Open until the asker marks an answer as helpful (or closes it)."""

    OPEN = "open"
    ANSWERED = "answered"


@dataclass(frozen=True, slots=True)
class Answer:
    """A reply in the question's thread, from someone the bot heard."""

    number: int
    text: str
    author: str  # a display name
    at: datetime
    author_key: str | None = None  # the network person, when known
    municipality: str | None = None


@dataclass(frozen=True, slots=True)
class Asked:
    """A municipality asked by a question, and who of its contacts was @mentioned."""

    municipality: str
    people: tuple[str, ...] = ()  # person keys mentioned; empty: named in text only


@dataclass(frozen=True, slots=True)
class Question:
    """A question to the network, tagged with its themes; its answers are the thread."""

    number: int
    text: str
    themes: tuple[str, ...]
    asker_key: str
    asker_name: str
    asked_at: datetime
    asker_municipality: str | None = None
    status: QuestionStatus = QuestionStatus.OPEN
    helpful: int | None = None  # the answer number the asker marked helpful
    answered_at: datetime | None = None
    asked: tuple[Asked, ...] = ()
    answers: tuple[Answer, ...] = ()


def clean_question(text: str) -> str:
    """The question as it will be posted, or a refusal when it is empty or too long."""
    cleaned = text.strip()
    if not cleaned:
        raise InvalidInput(
            N_("Write your question after ask, e.g. ask #2 How do you involve developers early?")
        )
    if len(cleaned) > MAX_QUESTION:
        raise InvalidInput(
            N_("The question is too long: {length} characters, at most {limit}."),
            length=len(cleaned),
            limit=MAX_QUESTION,
        )
    return cleaned


def split_tags(text: str) -> tuple[list[str], str]:
    """The leading #tags of `ask #2 #3 How ...?` and the question after them."""
    tags: list[str] = []
    rest = text.strip()
    while rest.startswith("#"):
        word, _, rest = rest.partition(" ")
        tags.append(word[1:])
        rest = rest.strip()
    return tags, rest


def pick_themes(tags: Iterable[str], themes: tuple[str, ...]) -> tuple[str, ...]:
    """The network's themes the tags name, by number (1-based); a refusal on any other tag."""
    picked: list[str] = []
    for tag in tags:
        number = small_number(tag, digits=3)
        if number is None or not 1 <= number <= len(themes):
            raise NotFound(
                N_("There is no theme '{tag}'. The network's themes are numbered 1 to {count}."),
                tag=tag[:40],
                count=len(themes),
            )
        theme = themes[int(tag) - 1]
        if theme not in picked:
            picked.append(theme)
    return tuple(picked)


def rotation(
    candidates: Iterable[str],
    last_asked: Mapping[str, datetime],
    *,
    limit: int = MAX_MENTIONED,
) -> list[str]:
    """Whom to ask: the least recently asked first, never-asked before all; ties by key."""

    def order(key: str) -> tuple[bool, float, str]:
        when = last_asked.get(key)  # aware datetimes
        return (when is not None, when.timestamp() if when else 0.0, key)

    return sorted(set(candidates), key=order)[:limit]


def interested(
    interests: Mapping[str, Iterable[str]], themes: tuple[str, ...], members: Iterable[str]
) -> list[str]:
    """Members whose listed interests share a theme with the question; all when none do."""
    keys = list(members)
    wanted = set(themes)
    matching = [k for k in keys if wanted & set(interests.get(k, ()))]
    return matching or keys
