"""The channel notice for someone the bot could not open a personal chat with."""

from __future__ import annotations

from domain.model import Network, Person
from domain.text import literal
from netpuls.i18n import translator
from services.ports import Mention, Outbound


def reach_notice(person: Person, network: Network) -> Outbound:
    """An @mention that a message waits, saying nothing of what it is about: it may be
    personal, and the whole channel reads this."""
    t = translator(network.language)
    text = t(
        "<at>{name}</at>, I have a personal message for you from {network}. Open a chat with "
        "me to read it: select my name and choose Chat.",
        name=person.name,
        network=literal(network.name),
    )
    return Outbound(text=text, mentions=(Mention(str(person.teams_user_id), person.name),))
