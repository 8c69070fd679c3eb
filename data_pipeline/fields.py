"""What each kind of export contributes: its fields, how each is normalised, which are required.

A profile maps headings to these field names; ``normaliser`` names a function in ``Context``.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    normaliser: str
    required: bool = False


_ID = {"response_id": Field("key", required=True)}
_FORMS = {"completion_time": Field("timestamp"), "modified_time": Field("timestamp")}

FIELDS = {
    "audit": {
        **_ID,
        **_FORMS,
        "auditor": Field("staff"),
        "audit_date": Field("date", required=True),
        "cycle": Field("cycle"),
        "service_area": Field("label", required=True),
        "team": Field("label"),
        "case_type": Field("case_type"),
        "worker": Field("staff"),
        "child": Field("child"),
        "overall_grade": Field("grade"),
        "child_safe": Field("yes_no"),
        "worker_agrees": Field("agrees"),
        "moderated_grade": Field("grade"),
        "oversight_date": Field("date"),
    },
    "supervision": {
        **_ID,
        **_FORMS,
        "review_date": Field("date", required=True),
        "cycle": Field("cycle"),
        "service_area": Field("label", required=True),
        "team": Field("label"),
        "supervisee": Field("staff"),
        "supervisor": Field("staff"),
        "relationship": Field("relationship"),
        "sessions_expected": Field("count"),
        "sessions_held": Field("count"),
        "quality_grade": Field("ofsted_grade"),
        "elements": Field("elements"),
    },
    "child_voice": {
        **_ID,
        **_FORMS,
        "audit_ref": Field("audit_ref"),
        "feedback_date": Field("date", required=True),
        "service_area": Field("label", required=True),
        "team": Field("label"),
        "respondent": Field("respondent", required=True),
        "listened_to": Field("agreement"),
        "understood_why": Field("agreement"),
        "things_better": Field("agreement"),
    },
    "focus_group": {
        **_ID,
        **_FORMS,
        "pld_date": Field("date"),
        "cycle": Field("cycle"),
        "service_area": Field("label", required=True),
        "pld_theme": Field("label"),
        "category": Field("category", required=True),
        "text": Field("text", required=True),
    },
    "action": {
        **_ID,
        "audit_ref": Field("audit_ref"),
        "service_area": Field("label", required=True),
        "team": Field("label"),
        "description": Field("text"),
        "owner_role": Field("owner_role"),
        "raised_date": Field("date", required=True),
        "due_date": Field("any_date"),
        "completed_date": Field("date"),
        "status": Field("status"),
    },
    "pld": {
        "service_area": Field("label", required=True),
        "cycle": Field("cycle", required=True),
        "theme": Field("label"),
        "planned_date": Field("any_date"),
        "held_date": Field("date"),
        "planning_meeting_date": Field("date"),
        "multi_agency": Field("yes_no"),
        "report_date": Field("date"),
    },
    # A Learning Episode followed from allocation to sign-off (the QA team's allocation tracker). Its key has
    # the Learning Episode form's prefix, so a signed-off episode shares its key with its row in audits.
    "episode": {
        **_ID,
        **_FORMS,
        "service_area": Field("label", required=True),
        "team": Field("label"),
        "practitioner": Field("staff"),
        "reviewer": Field("staff"),
        "child": Field("child"),
        "allocated_date": Field("date", required=True),
        "due_date": Field("any_date"),
        "reflection_date": Field("date"),
        "conversation_date": Field("date"),
        "observation_date": Field("date"),
        "assurance": Field("grade"),
        "evaluation": Field("ofsted_grade"),
        "evaluation_date": Field("date"),
        "concluding_date": Field("date"),
        "supervisor_date": Field("date"),
        "signed_off_date": Field("date"),
        "hos_moderated_date": Field("date"),
        "cslt_sampled": Field("yes_no"),
        "cslt_moderated_date": Field("date"),
    },
    "roster": {
        # The same "staff" normaliser as audits.worker, so a roster key matches the audits' worker_key.
        "person": Field("staff", required=True),
        "team": Field("label", required=True),
        "service_area": Field("label"),
        "role": Field("label"),
        "as_at": Field("date", required=True),
    },
    "caselist": {
        # Open cases for the audit sampling plan: used in the session, never loaded (data_pipeline.caselist).
        "case_id": Field("case_id", required=True),
        "child": Field("child"),  # the same "child" normaliser as audits.child, so recent audits can be excluded
        "worker": Field("staff", required=True),
        "team": Field("label"),
        "service_area": Field("label", required=True),
        "case_type": Field("case_type"),
        "start_date": Field("date"),
    },
}

PERSON_NORMALISERS = ("staff", "child")
DATE_NORMALISERS = ("date", "any_date", "timestamp")
TEXT_NORMALISERS = ("text",)
