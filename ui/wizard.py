"""The mapping wizard: propose a profile for an unrecognised export, let the analyst correct it, preview
the rows as they would load, and save it as a new mapping profile (or download it).

Every choice is a labelled select box or button, so the wizard works by keyboard and screen reader (a grid
editor does not). Headings and answers come from the file, so they are escaped before they become labels.
"""

import datetime as dt
import io
import re

import pandas as pd
import streamlit as st

from data_pipeline import ingest, mapping, profiles, settings, vocab
from data_pipeline.fields import FIELDS
from data_pipeline.headings import fold
from data_pipeline.pseudonym import load_key
from data_pipeline.readers import ReadError, read_export
from data_pipeline.stage import Context, StageError, stage
from ui import text, widgets

NONE = "(not in this export)"
UNMAPPED = "(not mapped: its rows are rejected)"
NOT_AREA = "(not an area of practice)"
NOT_KEPT = "(not kept)"
OWN_WORDS = "(the question's own words)"
PREVIEW_ROWS = 2000
MOST_VALUES = 30  # a question read from a list has a few answers; more means the wrong heading was picked
KIND_LABELS = {
    "audit": "Case audit or learning episode",
    "supervision": "Supervision review",
    "child_voice": "Child's voice feedback",
    "focus_group": "Focus group notes",
    "action": "Action tracker",
    "pld": "PLD log",
    "roster": "Team roster",
}
YES_NO_FIELDS = ("child_safe", "worker_agrees")


class Clash(Exception):
    """Two questions were given one name; the page has said which."""


def wizard(name: str, content: bytes) -> dict | None:
    """Draw the wizard for one export; returns the saved profile document once saved."""
    raw = _read(name, content)
    if raw is None:
        return None
    kinds = list(FIELDS)
    kind = st.selectbox(
        "What kind of export is this?",
        kinds,
        index=kinds.index(mapping.guess_kind(raw)),
        format_func=lambda k: KIND_LABELS.get(k, k),
        key=f"kind-{name}",
    )
    scale = "ofsted"
    if kind == "audit":
        scale = st.radio("Grade scale", ["ofsted", "assurance"], horizontal=True, key=f"scale-{name}",
                         format_func=lambda s: vocab.SCALE_LABELS[s])  # fmt: skip
    key = f"{name}-{kind}-{scale}"
    areas = mapping.known_areas()
    proposals = mapping.propose(raw, kind, scale, areas)
    chosen = _field_editor(raw, kind, [p for p in proposals if ":" not in p.target], key)
    if kind == "audit":
        try:
            chosen |= _area_editor(raw, [p for p in proposals if p.target.startswith("area:")], chosen, areas, key)
            chosen |= _comment_editor(raw, [p for p in proposals if p.target.startswith("comment:")], key)
        except Clash:
            return None
    grades = _grade_editor(raw, chosen, scale, key) if kind == "audit" else {}
    answers = _answer_editor(raw, chosen, key)
    values = _value_editor(raw, kind, chosen, key)
    _left_out(raw, chosen)
    doc = _identity(name, kind, scale, chosen, grades, answers, values, list(raw.columns))
    if doc is None:
        return None
    try:
        profile = mapping.check(doc)
    except profiles.ProfileError as exc:
        st.error(text.md(exc), icon=":material/error:")
        return None
    if not _preview(raw, profile):
        return None
    return _save(doc, key)


def _read(name: str, content: bytes) -> pd.DataFrame | None:
    """The export as the command line reads it, or its one-line reason in the page."""
    try:
        ingest._check_size(content)  # the CLI's own size and empty-file checks, so the wording is the same
        return _export(name, content)
    except (ReadError, ingest.IngestError) as exc:
        st.error(text.md(f"{name}: {exc}"), icon=":material/error:")
        return None


@st.cache_data(max_entries=2, show_spinner=False)
def _export(name: str, content: bytes) -> pd.DataFrame:
    """Read once per file, not on every choice the analyst makes."""
    return read_export(io.BytesIO(content), name)


def _field_editor(raw: pd.DataFrame, kind: str, proposals: list[mapping.Proposal], key: str) -> dict[str, str]:
    """One labelled choice per field, the proposal's confidence and the picked column's answers beneath."""
    required = {f for f, spec in FIELDS[kind].items() if spec.required}
    options = [NONE, *raw.columns]
    st.subheader("Fields")
    st.markdown("Check each field; pick another heading where the proposal is wrong.")
    dated = mapping.MAIN_DATE.get(kind)
    sources = mapping.date_sources(raw)
    chosen = {}
    columns = st.columns(2)
    for number, proposal in enumerate(proposals):
        target = columns[number % 2]
        label = proposal.target + (" (required)" if proposal.target in required else "")
        picked = target.selectbox(
            label,
            options,
            index=options.index(proposal.heading) if proposal.heading else 0,
            key=f"map-{key}-{proposal.target}",
        )
        chosen[proposal.target] = "" if picked == NONE else picked
        sure = f"Proposed {proposal.confidence:.0%} sure: {proposal.why}." if proposal.heading else "No heading fits."
        if proposal.target == dated and sources:
            sure += f" Dates in this export: {', '.join(sources)}."
        target.caption(text.md(sure) + _samples(raw, chosen[proposal.target], mapping.person_headings(kind, chosen)))
    return chosen


def _samples(raw: pd.DataFrame, heading: str, names: set[str] = frozenset()) -> str:
    """A few of a column's answers, for checking a proposal; never a column of names or e-mail addresses."""
    if not heading:
        return ""
    if heading in names or fold(heading) in mapping.IGNORABLE:
        return " Answers are names or e-mail addresses, not shown."
    found = [text if len(text) <= 60 else text[:57] + "..." for text in mapping.samples(raw[heading])]
    return " Answers: " + text.md(" · ".join(found)) if found else " No answers."


def _area_editor(raw, proposals, chosen, areas, key) -> dict[str, str]:
    """Each grade-like column as a candidate area of practice: keep it under a known area's name, or drop it;
    add a question the wizard did not propose."""
    st.subheader("Areas of practice")
    st.markdown("Each graded question the wizard found. Choose the area of practice it grades, or leave it out.")
    added = st.session_state.setdefault(f"added-{key}", [])
    entries = [(p.heading, p.target.split(":", 1)[1], f"{p.confidence:.0%} of answers are grades") for p in proposals]
    entries += [(heading, area, "added by you") for heading, area in added]
    picked = {}
    for heading, proposed, why in entries:
        options = [NOT_AREA, *areas, *([proposed] if proposed not in areas else [])]
        area = st.selectbox(
            f"Area of practice graded by: {text.md(heading)}",
            options,
            index=options.index(proposed),
            key=f"area-{key}-{heading}",
        )
        st.caption(text.md(f"Proposed: {proposed} ({why}).") + _samples(raw, heading))
        if area != NOT_AREA:
            picked.setdefault(area, []).append(heading)
    listed = {heading for heading, _, _ in entries}
    free = [h for h in raw.columns if h not in listed and h not in chosen.values()]
    _area_adder(free, areas, key)
    return _one_each(picked, "area", "area of practice")


def _area_adder(free: list[str], areas: tuple[str, ...], key: str) -> None:
    left, middle, right = st.columns([3, 3, 1], vertical_alignment="bottom")
    left.selectbox(
        "Add another question as an area of practice",
        free,
        index=None,
        placeholder="Choose a question",
        key=f"add-heading-{key}",
    )
    middle.selectbox("The area of practice it grades", [OWN_WORDS, *areas], key=f"add-area-{key}")
    right.button("Add area", key=f"add-{key}", on_click=_add_area, args=(key,), icon=":material/add:")


def _add_area(key: str) -> None:
    heading = st.session_state.get(f"add-heading-{key}")
    if heading is None:
        return
    area = st.session_state.get(f"add-area-{key}")
    st.session_state[f"added-{key}"].append(
        (heading, mapping.area_name(heading, mapping.known_areas()) if area == OWN_WORDS else area)
    )
    st.session_state[f"add-heading-{key}"] = None


def _comment_editor(raw, proposals, key) -> dict[str, str]:
    """Each free-text column as a candidate comment, under a topic the themes pages know where one fits."""
    st.subheader("Comments")
    st.markdown("Each free-text question. Choose the topic its answers are kept under, or leave it out.")
    known = list(mapping.COMMENT_WORDS)
    picked = {}
    for proposal in proposals:
        proposed = proposal.target.split(":", 1)[1]
        options = [NOT_KEPT, *known, *([proposed] if proposed not in known else [])]
        topic = st.selectbox(
            f"Keep the answers to: {text.md(proposal.heading)}",
            options,
            index=options.index(proposed),
            key=f"comment-{key}-{proposal.heading}",
        )
        st.caption(text.md(f"Proposed {proposal.confidence:.0%} sure: {proposed}.") + _samples(raw, proposal.heading))
        if topic != NOT_KEPT:
            picked.setdefault(topic, []).append(proposal.heading)
    if not proposals:
        st.caption("No free-text question found.")
    return _one_each(picked, "comment", "comment topic")


def _one_each(picked: dict[str, list[str]], prefix: str, what: str) -> dict[str, str]:
    """Target -> heading. A name chosen for two questions is refused: one of the two would be lost."""
    for name, headings in picked.items():
        if len(headings) > 1:
            message = f"Two questions are kept as the {what} {name}: {headings[0]} and {headings[1]}."
            st.error(text.md(message + " Choose another for one of them."), icon=":material/error:")
            raise Clash
    return {f"{prefix}:{name}": headings[0] for name, headings in picked.items()}


def _grade_editor(raw: pd.DataFrame, chosen: dict[str, str], scale: str, key: str) -> dict[str, str]:
    grade_targets = ("overall_grade", "moderated_grade")
    headings = [h for t, h in chosen.items() if h and (t in grade_targets or t.startswith("area:"))]
    unplaced = mapping.unplaced_grades(raw, headings, scale)
    if not unplaced:
        return {}
    st.subheader("Grades in the form's own words")
    st.markdown("Say which grade each answer means, or leave it to reject those rows.")
    grades = [UNMAPPED, *vocab.SCALES[scale]]
    picked = {
        answer: st.selectbox(f"Grade meant by: {text.md(answer)}", grades, key=f"grade-{key}-{answer}")
        for answer in unplaced
    }
    return {answer: grade for answer, grade in picked.items() if grade != UNMAPPED}


def _answer_editor(raw: pd.DataFrame, chosen: dict[str, str], key: str) -> dict[str, str]:
    headings = [chosen[f] for f in YES_NO_FIELDS if chosen.get(f)]
    unplaced = mapping.unplaced_answers(raw, headings)
    if not unplaced:
        return {}
    st.subheader("Yes and no in the form's own words")
    st.markdown("Say what each answer means, or leave it to reject those rows.")
    meanings = [UNMAPPED, *mapping.ANSWERS]
    picked = {}
    for answer in unplaced:
        proposed = mapping.answer_meaning(answer) or UNMAPPED
        picked[answer] = st.selectbox(
            f"Answer meant by: {text.md(answer)}",
            meanings,
            index=meanings.index(proposed),
            key=f"answer-{key}-{answer}",
        )
    return {answer: meaning for answer, meaning in picked.items() if meaning != UNMAPPED}


def _value_editor(raw: pd.DataFrame, kind: str, chosen: dict[str, str], key: str) -> dict[str, dict[str, str]]:
    """Answers to a question read from a list (case type, status, respondent...) that no built-in spelling
    covers, for the analyst to say which item each means; nothing is proposed, since a wrong guess would
    load silently."""
    unplaced = mapping.unplaced_values(raw, kind, chosen)
    if not unplaced:
        return {}
    st.subheader("Other answers in the form's own words")
    st.markdown("Say what each answer means, or leave it to reject those rows.")
    values = {}
    for field, answers in unplaced.items():
        labels = [UNMAPPED, *vocab.VOCABULARIES[FIELDS[kind][field].normaliser].labels]
        what = field.replace("_", " ").capitalize()
        picked = {
            answer: st.selectbox(f"{what} meant by: {text.md(answer)}", labels, key=f"value-{key}-{field}-{answer}")
            for answer in answers[:MOST_VALUES]
        }
        if len(answers) > MOST_VALUES:
            more = f"{len(answers) - MOST_VALUES} more answers to {field} are in no list: is it the right question?"
            st.caption(text.md(more))
        values[field] = {answer: label for answer, label in picked.items() if label != UNMAPPED}
    return values


def _left_out(raw: pd.DataFrame, chosen: dict[str, str]) -> None:
    """Every question is accounted for: those no choice loads are named, as each load will name them."""
    used = set(chosen.values())
    unused = [h for h in raw.columns if h not in used and fold(h) not in mapping.IGNORABLE]
    if unused:
        st.caption(text.md(f"Not loaded, and reported as unknown headings at each load: {'; '.join(unused)}."))


def _identity(name, kind, scale, chosen, grades, answers, values, headings) -> dict | None:
    stem = re.sub(r"[^a-z0-9]+", "-", name.rsplit(".", 1)[0].lower()).strip("-")[:60] or "form"
    left, middle, right = st.columns([2, 3, 1])
    profile_id = left.text_input("Profile id", f"{stem}-v1", key=f"id-{name}")
    title = middle.text_input("Form title", name.rsplit(".", 1)[0], key=f"title-{name}")
    prefix = right.text_input("Key prefix", re.sub(r"[^A-Z0-9]", "", stem.upper())[:3] + "1", key=f"prefix-{name}")
    try:
        mapping.profile_path(profiles.user_dir(), profile_id)
    except profiles.ProfileError as exc:
        st.error(text.md(exc), icon=":material/error:")
        return None
    return mapping.build_profile(
        kind, profile_id, title, prefix, chosen, scale, grades, headings, answers, mapping.common_headings(), values
    )


def _preview(raw: pd.DataFrame, profile: profiles.Profile) -> bool:
    """The real staging on the export's first rows, with the draft profile: what loads, and why the rest not."""
    shown = raw.head(PREVIEW_ROWS)
    try:
        staged = stage(shown, Context(profile, dt.date.today(), load_key(settings.path("QA_KEY_FILE"))))
    except StageError as exc:
        st.error(text.md(exc), icon=":material/error:")
        return False
    st.subheader("Preview")
    first = f"the first {len(shown)} of {len(raw)} rows" if len(shown) < len(raw) else f"all {len(raw)} rows"
    st.markdown(f"Of {first}, **{len(staged.fields)} would load** and **{len(staged.rejects)} would be rejected**.")
    st.dataframe(staged.fields.drop(columns="content_hash").astype(str), hide_index=True, width="stretch", height=250)
    if len(staged.rejects):
        st.markdown("**Rows that would be rejected, and why**")
        rejects = staged.rejects[["source_row", "reason"]].rename(columns={"source_row": "row"})
        st.dataframe(rejects, hide_index=True, width="stretch")
    return True


def _save(doc: dict, key: str) -> dict | None:
    left, right, _ = st.columns([2, 2, 3])
    with right:
        toml = mapping.to_toml(doc)
        widgets.download(
            "Download this profile", toml.encode, f"{doc['id']}.toml", "application/toml", f"download-{key}"
        )
    if not left.button("Save this mapping profile", type="primary", key=f"save-{key}", icon=":material/save:"):
        return None
    try:
        mapping.save(doc, profiles.user_dir(), dt.date.today())
    except profiles.ProfileError as exc:
        st.error(text.md(exc), icon=":material/error:")
        return None
    return doc
