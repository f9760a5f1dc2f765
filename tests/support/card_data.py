"""What each card verb's card sends: well-formed data for the small network, verb by verb."""

from __future__ import annotations

MEETING = "kompakte-groenne-byer:1"
SLUG = MEETING.partition(":")[0]
# What each verb's card sends (the cards' own data), to be mutated one field at a time.
WELL_FORMED: dict[str, dict[str, str]] = {
    "rsvp": {"meeting": MEETING, "answer": "attending", "dietary": "", "note": ""},
    "attendees": {"meeting": MEETING},
    "refresh": {"meeting": MEETING},
    "apply": {"network": SLUG, "base": "", "replace": "true", "municipality": "odense"},
    "propose_selection": {"network": SLUG, "seats": "2", "fix_in": "", "fix_out": ""},
    "confirm_selection": {"network": SLUG, "chosen": "odense,koege"},
    "case_form": {"meeting": MEETING},
    "case_submit": {"meeting": MEETING, "case_title": "Titel", "case_meeting": "1"},
    "case_decide": {"meeting": MEETING, "case": "1", "decision": "accept", "note_1": ""},
    "case_notes": {"meeting": MEETING, "case": "1", "notes_1": "Noter"},
    "host_plan": {"meeting": MEETING, "host_programme": "Program"},
    "summary_save": {"meeting": MEETING, "key_points": "Punkter", "case_note_1": ""},
    "summary_post": {"meeting": MEETING},
    "evaluate": {"meeting": MEETING, "usefulness": "4", "comment": ""},
    "final_evaluate": {"network": SLUG, "usefulness": "4", "take_home": "", "recommend": "yes"},
    "pair_met": {"group": "1", "met": "yes"},
    "privacy_erase": {},
    "privacy_erase_confirm": {},
    "privacy_leave_confirm": {"network": SLUG, "municipality": "odense"},
    "question_helpful": {"question": SLUG + ":1", "helpful_answer": "1"},
    "question_ask": {"network": SLUG, "question_text": "Hvordan?", "question_themes": "0"},
    "material_meeting": {"material": "1,2", "materialMeeting": "2", "materialThemes": "0"},
}
