"""From staged fields to the rows of warehouse tables: one builder per kind of export.

This is where fields gain meaning: the cycle falls back to the date's financial-year quarter, a
multi-select answer becomes one flag per element, practice-area grades become rows of their own.
"""

import numpy as np
import pandas as pd

from data_pipeline import normalise as n
from data_pipeline import vocab
from data_pipeline.profiles import Profile
from data_pipeline.vocab import SCALE_LABELS, SUPERVISION_ELEMENTS

MAIN_TABLE = {
    "audit": ("audits", "audit_id"),
    "supervision": ("supervision_reviews", "review_id"),
    "child_voice": ("child_voice", "response_id"),
    "focus_group": ("focus_group_notes", "note_id"),
    "action": ("actions", "action_id"),
    "pld": ("pld_events", "pld_id"),
    "roster": ("team_roster", "roster_id"),
    "episode": ("learning_episodes", "episode_id"),
}
CHILD_TABLES = {"audit": ("audit_grades", "audit_comments")}


def build(profile: Profile, fields: pd.DataFrame, source_file: str) -> dict[str, pd.DataFrame]:
    """The main table's frame comes first; child tables follow, keyed by the main table's key."""
    table, key = MAIN_TABLE[profile.kind]
    main = _BUILDERS[profile.kind](profile, fields)
    main.insert(0, key, fields["record_key"])
    main["source_file"] = source_file
    main["source_row"] = fields["source_row"].astype("int32")
    main["content_hash"] = fields["content_hash"]
    frames = {table: main}
    if profile.kind == "audit":
        frames |= _audit_children(fields)
    return frames


def _cycle(fields: pd.DataFrame, date_field: str) -> pd.Series:
    derived = n.by_value(fields[date_field], vocab.cycle_of).values
    given = fields["cycle"] if "cycle" in fields else pd.Series(None, index=fields.index, dtype=object)
    return given.where(given.notna(), derived)


def _modified(fields: pd.DataFrame) -> pd.Series:
    return fields["modified_time"].where(fields["modified_time"].notna(), fields["completion_time"])


def _audit(profile: Profile, f: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "form_id": profile.id,
            "instrument": profile.instrument or profile.title,
            "scale": SCALE_LABELS[profile.scale],
            "cycle": _cycle(f, "audit_date"),
            "audit_date": f["audit_date"],
            "service_area": f["service_area"],
            "team": f["team"],
            "case_type": f["case_type"],
            "worker_key": f["worker"],
            "auditor_key": f["auditor"],
            "child_key": f["child"],
            "overall_grade": f["overall_grade"],
            "child_safe": f["child_safe"],
            "worker_agrees": f["worker_agrees"],
            "moderated_grade": f["moderated_grade"],
            "oversight_date": f["oversight_date"],
            "completed_at": f["completion_time"],
            "modified_at": _modified(f),
        },
        index=f.index,
    )


def _audit_children(f: pd.DataFrame) -> dict[str, pd.DataFrame]:
    return {
        "audit_grades": _stack(f, "area:", "practice_area", "grade"),
        "audit_comments": _stack(f, "comment:", "topic", "text"),
    }


def _stack(f: pd.DataFrame, prefix: str, name: str, value: str) -> pd.DataFrame:
    """One row per answered ``prefix`` column of each record, column by column, as ``melt`` would give.
    The columns are categoricals (codes into the keys, headings and answers): 700,000 rows then cost
    integer arrays, not 700,000 string copies, and load hands them to DuckDB dictionary-encoded."""
    columns = [c for c in f.columns if c.startswith(prefix)]
    rows, headings, answers = [np.empty(0, dtype=np.intp)], [np.empty(0, dtype=np.intp)], [np.empty(0, dtype=object)]
    for number, column in enumerate(columns):
        cells = f[column].to_numpy()
        given = np.flatnonzero(pd.notna(cells))
        rows.append(given)
        headings.append(np.full(len(given), number))
        answers.append(cells[given])
    key_codes, keys = pd.factorize(f["record_key"].to_numpy())
    answer_codes, texts = pd.factorize(np.concatenate(answers))
    return pd.DataFrame(
        {
            "audit_id": _categorical(key_codes[np.concatenate(rows)], keys),
            name: _categorical(np.concatenate(headings), [c.removeprefix(prefix) for c in columns]),
            value: _categorical(answer_codes, texts),
        }
    )


def _categorical(codes: np.ndarray, categories) -> pd.Categorical:
    return pd.Categorical.from_codes(codes, categories=pd.Index(categories, dtype=object))


def _supervision(profile: Profile, f: pd.DataFrame) -> pd.DataFrame:
    present = f["elements"].map(lambda e: set(e) if isinstance(e, tuple) else set())
    frame = pd.DataFrame(
        {
            "cycle": _cycle(f, "review_date"),
            "review_date": f["review_date"],
            "service_area": f["service_area"],
            "team": f["team"],
            "supervisee_key": f["supervisee"],
            "supervisor_key": f["supervisor"],
            "relationship": f["relationship"],
            "sessions_expected": f["sessions_expected"],
            "sessions_held": f["sessions_held"],
            "quality_grade": f["quality_grade"],
        },
        index=f.index,
    )
    for element in SUPERVISION_ELEMENTS:
        frame[element] = present.map(lambda s, e=element: e in s)
    frame["comment"] = f.get("comment:comment")
    frame["modified_at"] = _modified(f)
    return frame


def _child_voice(profile: Profile, f: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "audit_id": f["audit_ref"],
            "cycle": _cycle(f, "feedback_date"),
            "feedback_date": f["feedback_date"],
            "service_area": f["service_area"],
            "team": f["team"],
            "respondent": f["respondent"],
            "listened_to": f["listened_to"],
            "understood_why": f["understood_why"],
            "things_better": f["things_better"],
            "comment": f.get("comment:comment"),
            "modified_at": _modified(f),
        },
        index=f.index,
    )


def _focus_group(profile: Profile, f: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "cycle": _cycle(f, "pld_date"),
            "pld_date": f["pld_date"],
            "service_area": f["service_area"],
            "pld_theme": f["pld_theme"],
            "category": f["category"],
            "text": f["text"],
            "modified_at": _modified(f),
        },
        index=f.index,
    )


def _action(profile: Profile, f: pd.DataFrame) -> pd.DataFrame:
    derived = f["completed_date"].notna().map({True: "Completed", False: "Open"})
    return pd.DataFrame(
        {
            "audit_id": f["audit_ref"],
            "service_area": f["service_area"],
            "team": f["team"],
            "owner_role": f["owner_role"],
            "description": f["description"],
            "raised_date": f["raised_date"],
            "due_date": f["due_date"],
            "completed_date": f["completed_date"],
            "status": f["status"].where(f["status"].notna(), derived),
        },
        index=f.index,
    )


def _pld(profile: Profile, f: pd.DataFrame) -> pd.DataFrame:
    columns = ["service_area", "cycle", "theme", "planned_date", "held_date", "planning_meeting_date"]
    return f[[*columns, "multi_agency", "report_date"]].copy()


def _roster(profile: Profile, f: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "person_key": f["person"],
            "as_at": f["as_at"],
            "team": f["team"],
            "service_area": f["service_area"],
            "role": f["role"],
        },
        index=f.index,
    )


EPISODE_DATES = (
    "allocated_date", "due_date", "reflection_date", "conversation_date", "observation_date", "evaluation_date",
    "concluding_date", "supervisor_date", "signed_off_date", "hos_moderated_date", "cslt_moderated_date",
)  # fmt: skip


def _episode(profile: Profile, f: pd.DataFrame) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "cycle": _cycle(f, "allocated_date"),
            "service_area": f["service_area"],
            "team": f["team"],
            "practitioner_key": f["practitioner"],
            "reviewer_key": f["reviewer"],
            "child_key": f["child"],
            "assurance": f["assurance"],
            "evaluation": f["evaluation"],
            "cslt_sampled": f["cslt_sampled"],
        },
        index=f.index,
    )
    for column in EPISODE_DATES:
        frame[column] = f[column]
    frame["modified_at"] = _modified(f)
    return frame


_BUILDERS = {
    "audit": _audit,
    "supervision": _supervision,
    "child_voice": _child_voice,
    "focus_group": _focus_group,
    "action": _action,
    "pld": _pld,
    "roster": _roster,
    "episode": _episode,
}
