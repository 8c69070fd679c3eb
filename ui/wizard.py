"""The mapping wizard: propose a profile for an unrecognised export, let the analyst correct it,
preview the rows as they would load, and save it as a new mapping profile."""

import datetime as dt
import io
import re

import pandas as pd
import streamlit as st
import tomli_w

from data_pipeline import mapping, profiles, settings, vocab
from data_pipeline.fields import FIELDS
from data_pipeline.pseudonym import load_key
from data_pipeline.readers import read_export
from data_pipeline.stage import Context, StageError, stage
from ui import text

NONE = "(not in this export)"
KIND_LABELS = {
    "audit": "Case audit or learning episode",
    "supervision": "Supervision review",
    "child_voice": "Child's voice feedback",
    "focus_group": "Focus group notes",
    "action": "Action tracker",
    "pld": "PLD log",
    "roster": "Team roster",
}


def wizard(name: str, content: bytes) -> dict | None:
    """Draw the wizard for one export; returns the saved profile document once saved."""
    raw = read_export(io.BytesIO(content), name)
    kinds = list(FIELDS)
    guess = mapping.guess_kind(raw)
    kind = st.selectbox(
        "What kind of export is this?",
        kinds,
        index=kinds.index(guess),
        format_func=lambda k: KIND_LABELS.get(k, k),
        key=f"kind-{name}",
    )
    scale = "ofsted"
    if kind == "audit":
        scale = st.radio("Grade scale", ["ofsted", "assurance"], horizontal=True, key=f"scale-{name}",
                         format_func=lambda s: vocab.SCALE_LABELS[s])  # fmt: skip
    chosen = _mapping_editor(raw, kind, scale, name)
    grades = _grade_editor(raw, chosen, scale, name) if kind == "audit" else {}
    doc = _identity(name, kind, scale, chosen, grades, list(raw.columns))
    try:
        profile = mapping.check(doc)
    except profiles.ProfileError as exc:
        st.error(text.md(exc), icon=":material/error:")
        return None
    if not _preview(raw, profile):
        return None
    if st.button("Save this mapping profile", type="primary", key=f"save-{name}", icon=":material/save:"):
        return _save(doc)
    return None


def _mapping_editor(raw: pd.DataFrame, kind: str, scale: str, name: str) -> dict[str, str]:
    """One labelled choice per field, so the wizard works by keyboard and screen reader (a grid editor does not)."""
    required = {f for f, spec in FIELDS[kind].items() if spec.required}
    options = [NONE, *raw.columns]
    st.markdown("**Proposed mapping.** Check each field; pick another heading where the proposal is wrong.")
    chosen = {}
    columns = st.columns(2)
    for number, proposal in enumerate(mapping.propose(raw, kind, scale)):
        label = proposal.target + (" (required)" if proposal.target in required else "")
        confidence = f"{proposal.confidence:.0%} sure: {proposal.why}" if proposal.heading else proposal.why
        picked = columns[number % 2].selectbox(
            label,
            options,
            index=options.index(proposal.heading) if proposal.heading else 0,
            help=confidence,
            key=f"map-{name}-{kind}-{scale}-{proposal.target}",
        )
        chosen[proposal.target] = "" if picked == NONE else picked
    return chosen


def _grade_editor(raw: pd.DataFrame, chosen: dict[str, str], scale: str, name: str) -> dict[str, str]:
    grade_targets = ("overall_grade", "moderated_grade")
    headings = [h for t, h in chosen.items() if h and (t in grade_targets or t.startswith("area:"))]
    unplaced = mapping.unplaced_grades(raw, headings, scale)
    if not unplaced:
        return {}
    st.markdown("**Answers not on the scale.** Say which grade each means, or leave it to reject those rows.")
    grades = [NONE, *vocab.SCALES[scale]]
    picked = {
        answer: st.selectbox(text.md(answer), grades, key=f"grade-{name}-{scale}-{answer}") for answer in unplaced
    }
    return {answer: grade for answer, grade in picked.items() if grade != NONE}


def _identity(name, kind, scale, chosen, grades, headings) -> dict:
    stem = re.sub(r"[^a-z0-9]+", "-", name.rsplit(".", 1)[0].lower()).strip("-") or "form"
    left, middle, right = st.columns([2, 3, 1])
    profile_id = left.text_input("Profile id", f"{stem}-v1", key=f"id-{name}")
    title = middle.text_input("Form title", name.rsplit(".", 1)[0], key=f"title-{name}")
    prefix = right.text_input("Key prefix", re.sub(r"[^A-Z0-9]", "", stem.upper())[:3] + "1", key=f"prefix-{name}")
    return mapping.build_profile(kind, profile_id, title, prefix, chosen, scale, grades, headings)


def _preview(raw: pd.DataFrame, profile: profiles.Profile) -> bool:
    try:
        staged = stage(raw.head(200), Context(profile, dt.date.today(), load_key(settings.path("QA_KEY_FILE"))))
    except StageError as exc:
        st.error(text.md(exc), icon=":material/error:")
        return False
    shown = min(len(raw), 200)
    st.markdown(
        f"**Preview** of the first {shown} rows: {len(staged.fields)} would load, {len(staged.rejects)} rejected."
    )
    st.dataframe(staged.fields.head(10).astype(str), hide_index=True, width="stretch")
    if len(staged.rejects):
        st.dataframe(staged.rejects[["source_row", "reason"]].head(10), hide_index=True, width="stretch")
    return True


def _save(doc: dict) -> dict | None:
    folder = profiles.user_dir()
    target = folder / f"{doc['id']}.toml"
    known = {p.id for p in profiles.load_all()}
    if doc["id"] in known or target.exists():
        st.error(
            f"A profile called {text.md(doc['id'])} exists already; choose another profile id.", icon=":material/error:"
        )
        return None
    folder.mkdir(parents=True, exist_ok=True)
    target.write_text(f"# Made with the mapping wizard on {dt.date.today():%d %B %Y}.\n" + tomli_w.dumps(doc))
    return doc
