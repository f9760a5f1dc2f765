"""Verbs, data keys and input ids of the sparring cards: one place for the cards and the bot."""

from __future__ import annotations

from cards.ids import DATA_MEETING, DATA_VERB

VERB_CASE_FORM = "case_form"
VERB_CASE_SUBMIT = "case_submit"
VERB_CASE_DECIDE = "case_decide"
VERB_CASE_NOTES = "case_notes"
VERB_HOST_PLAN = "host_plan"
VERB_SUMMARY_SAVE = "summary_save"
VERB_SUMMARY_POST = "summary_post"
VERB_EVALUATE = "evaluate"
VERB_FINAL_EVALUATE = "final_evaluate"
VERBS = (
    VERB_CASE_FORM,
    VERB_CASE_SUBMIT,
    VERB_CASE_DECIDE,
    VERB_CASE_NOTES,
    VERB_HOST_PLAN,
    VERB_SUMMARY_SAVE,
    VERB_SUMMARY_POST,
    VERB_EVALUATE,
    VERB_FINAL_EVALUATE,
)

DATA_CASE = "case"
DATA_DECISION = "decision"
DECISIONS = ("accept", "decline", "edit")

# The case card.
INPUT_TITLE = "case_title"
INPUT_DESCRIPTION = "case_description"
INPUT_THEMES = "case_themes"
INPUT_MEETING = "case_meeting"
# Per case on the facilitator's list (suffixed with the case id: ids are unique per card).
INPUT_EDIT_TITLE = "title_"
INPUT_EDIT_DESCRIPTION = "description_"
INPUT_DECISION_NOTE = "note_"
INPUT_POSITION = "position_"
INPUT_SPARRING_NOTES = "notes_"
# The host card.
INPUT_PROGRAMME = "host_programme"
INPUT_ADDRESS = "host_address"
INPUT_WHAT_TO_SEE = "host_what_to_see"
# The summary card; per-case notes are suffixed with the case id.
SUMMARY_INPUTS = ("key_points", "good_advice", "experiences", "next_steps")
INPUT_CASE_NOTE = "case_note_"
# The evaluation card.
INPUT_USEFULNESS = "usefulness"
INPUT_COMMENT = "comment"
# The network's final evaluation (usefulness and comment as above); its data names the network.
DATA_NETWORK = "network"
INPUT_TAKE_HOME = "take_home"
INPUT_RECOMMEND = "recommend"


def sparring_data(verb: str, meeting_key: str, **extra: str) -> dict[str, str]:
    """An action's data with the verb inside (the Submit fallback's; Execute drops the verb)."""
    if verb not in VERBS:
        raise ValueError(f"unknown verb: {verb}")
    return {DATA_VERB: verb, DATA_MEETING: meeting_key, **extra}
