"""The demo's persona switch: one person in the Agents Playground acts as each of the demo
network's people in turn (facilitator, secretariat, participant, applicant).

Only with NETPULS_DEMO_PERSONAS=true, which the settings refuse together with an app id: the
switch exists only for the anonymous bot on loopback that `make run` starts. `demo <role>`
makes the writer's later activities come from that person (by e-mail, as the roster would
say); `demo me` ends it. The choice lives in this process only.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from botbuilder.core import MessageFactory, TurnContext
from botbuilder.schema import ActivityTypes, ChannelAccount

from domain.errors import N_
from netpuls.i18n import Translator

# The demo network's people (examples/demo.yaml), by the role each one shows.
PERSONAS: Mapping[str, str] = {
    "facilitator": "demo.facilitator@example.org",
    "secretariat": "secretariat@example.org",
    "participant": "planner.odense@example.org",
    "applicant": "planner.vejle@example.org",
}
ROLE_WORDS = {
    "facilitator": "facilitator",
    "processledare": "facilitator",
    "secretariat": "secretariat",
    "sekretariat": "secretariat",
    "participant": "participant",
    "deltager": "participant",
    "deltagare": "participant",
    "applicant": "applicant",
    "ansøger": "applicant",
    "sökande": "applicant",
}
SELF_WORDS = ("me", "mig")
ACTING = {
    "facilitator": N_("Demo: you now act as the facilitator ({email})."),
    "secretariat": N_("Demo: you now act as the secretariat ({email})."),
    "participant": N_("Demo: you now act as a participant from Odense ({email})."),
    "applicant": N_("Demo: you now act as an applicant from Vejle, without a seat yet ({email})."),
}
HOW = N_(
    "Demo: write demo facilitator, demo secretariat, demo participant or demo applicant to act "
    "as that person, and demo me to be yourself again."
)
PERSONA = "netpuls.demo.persona"  # turn state: (Teams user id, e-mail) of the persona worn


def persona_email(turn_context: TurnContext, teams_user_id: str) -> str | None:
    """The e-mail of the persona this turn's sender wears, if `teams_user_id` is its id."""
    worn = turn_context.turn_state.get(PERSONA)
    return worn[1] if worn and worn[0] == teams_user_id else None


class DemoPersonas:
    """Who each Playground user acts as, and the `demo` command that changes it."""

    def __init__(self, personas: Mapping[str, str] = PERSONAS) -> None:
        self._personas = personas
        self._chosen: dict[str, str] = {}

    async def turn(
        self, turn_context: TurnContext, translator: Callable[[TurnContext], Awaitable[Translator]]
    ) -> bool:
        """Answer a `demo` message (True: the turn is done); else wear the chosen persona."""
        activity = turn_context.activity
        user = activity.from_property
        if user is None or not user.id:
            return False
        if activity.type == ActivityTypes.message:
            text = (TurnContext.remove_recipient_mention(activity) or "").strip().lower()
            word, _, rest = text.partition(" ")
            if word == "demo":
                answer = self._choose(user.id, rest.strip())
                t = await translator(turn_context)
                await turn_context.send_activity(MessageFactory.text(t(answer[0], **answer[1])))
                return True
        role = self._chosen.get(user.id)
        if role is not None:
            persona_id = f"demo-persona-{role}"
            activity.from_property = ChannelAccount(id=persona_id, name=user.name)
            turn_context.turn_state[PERSONA] = (persona_id, self._personas[role])
        return False

    def _choose(self, user_id: str, word: str) -> tuple[str, dict[str, str]]:
        if word in SELF_WORDS:
            self._chosen.pop(user_id, None)
            return N_("Demo: you are yourself again."), {}
        role = ROLE_WORDS.get(word)
        if role is None or role not in self._personas:
            return HOW, {}
        self._chosen[user_id] = role
        return ACTING[role], {"email": self._personas[role]}
