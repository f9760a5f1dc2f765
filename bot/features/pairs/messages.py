"""What the sparring pairs post, in the network's language: the group's prompt and question."""

from __future__ import annotations

from cards.pairs import PairMetView, pair_met_card
from domain.text import literal
from netpuls.i18n import translator
from services.pairs import GroupMessage
from services.ports import Mention, Outbound


def pair_prompt(message: GroupMessage) -> Outbound:
    """A channel post naming the group's contacts (@mentioned where Teams ids are known)."""
    t = translator(message.network.language)
    mentions: list[Mention] = []
    towns: list[str] = []
    for key in message.group.members:
        people = [p for p in message.contacts if p.municipality == key]
        named = []
        for person in people:
            if person.teams_user_id:
                mentions.append(Mention(person.teams_user_id, person.name))
                named.append(f"<at>{person.name}</at>")
            else:
                named.append(literal(person.name))
        town = literal(message.names.get(key, key))
        towns.append(f"{town} ({', '.join(named)})" if named else town)
    lines = [
        t(
            "Sparring pairs in {network}: {groups} meet for a 30-minute sparring call "
            "in the coming weeks.",
            network=literal(message.network.name),
            groups=" · ".join(towns),
        )
    ]
    if message.group.themes:
        lines.append(
            t(
                "You share an interest in: {themes}.",
                themes=literal(", ".join(message.group.themes)),
            )
        )
    lines.append(
        t(
            "One of you proposes a time. Bring one thing you are working on and one question "
            "for the other; afterwards I will ask whether you met."
        )
    )
    return Outbound(text="\n\n".join(lines), mentions=tuple(mentions))


def pair_question(message: GroupMessage) -> Outbound:
    """The "did you meet?" card, in the network's language."""
    t = translator(message.network.language)
    view = PairMetView(
        message.group.id,
        message.network.name,
        tuple(message.names.get(k, k) for k in message.group.members),
        message.group.themes,
    )
    return Outbound(card=pair_met_card(view, t))
