"""Staging: a raw export frame and its profile in; normalised fields, row reasons and rejects out.

Staging renames, casts and normalises. It decides which rows are rejected and why, and nothing else:
what the rows mean for the warehouse is decided in ``tables``.
"""

import datetime as dt
import json
import re
from dataclasses import dataclass

import pandas as pd

from data_pipeline import normalise as n
from data_pipeline.fields import FIELDS, PERSON_NORMALISERS, Field
from data_pipeline.profiles import Profile, unknown_headings
from data_pipeline.pseudonym import pseudonymise
from data_pipeline.vocab import fold

ANONYMOUS = {"anonymous", ""}


class StageError(ValueError):
    """The export as a whole cannot be staged with this profile."""


@dataclass(frozen=True)
class Context:
    profile: Profile
    today: dt.date
    key: bytes

    def normalise(self, normaliser: str, series: pd.Series) -> n.Normalised:
        simple = {
            "label": n.label, "text": n.text, "timestamp": n.timestamp, "cycle": n.cycle, "count": n.count,
            "case_type": n.case_type, "yes_no": n.yes_no, "respondent": n.respondent, "category": n.category,
            "status": n.status, "owner_role": n.owner_role, "relationship": n.relationship,
            "agreement": n.agreement, "elements": n.elements,
        }  # fmt: skip
        if normaliser in simple:
            return simple[normaliser](series)
        if normaliser == "date":
            return n.date(series, self.today)
        if normaliser == "any_date":
            return n.date(series, dt.date.max)
        if normaliser == "grade":
            return n.grade(series, self.profile.scale, self.profile.grades)
        if normaliser == "ofsted_grade":
            return n.grade(series, "ofsted")
        if normaliser in PERSON_NORMALISERS:
            return n.by_value(series, self._person("S" if normaliser == "staff" else "C"))
        if normaliser == "key":
            return n.by_value(series, lambda cell: f"{self.profile.key_prefix}-{_id_text(cell)}")
        if normaliser == "audit_ref":
            return n.by_value(series, self._audit_ref)
        raise KeyError(normaliser)

    def _person(self, prefix: str):
        def key(cell):
            text = n.cell_text(cell)
            return None if fold(text) in ANONYMOUS else pseudonymise(text, self.key, prefix)

        return key

    def _audit_ref(self, cell):
        text = _id_text(cell).upper()
        if "-" in text:
            return text
        if text.isdigit() and self.profile.audit_prefix:
            return f"{self.profile.audit_prefix}-{int(text)}"
        raise n.Bad(f"{text!r} is not an audit ID like CA1-123")


@dataclass
class Staged:
    fields: pd.DataFrame  # one column per field, canonical values, only rows that load
    rejects: pd.DataFrame  # record_key, source_row, reason, raw_values
    unknown_headings: list[str]


def _id_text(cell) -> str:
    """IDs as typed: Excel's 17.0 and a CSV's "17.0" are response 17."""
    text = n.cell_text(cell)
    return text.split(".")[0] if re.fullmatch(r"\d+\.0+", text) else text


def stage(raw: pd.DataFrame, ctx: Context) -> Staged:
    mapping = _field_headings(raw, ctx.profile)
    values, reasons = {}, []
    for name, (heading, spec) in mapping.items():
        series = raw[heading] if heading is not None else pd.Series([None] * len(raw), index=raw.index, dtype=object)
        result = ctx.normalise(spec.normaliser, series)
        values[name] = result.values
        label = heading or name
        reasons.append(result.errors.map(lambda e, h=label: None if e is None else f"{h}: {e}"))
        if spec.required:
            missing = result.values.isna() & result.errors.isna()
            reasons.append(missing.map({True: f"{label} is blank", False: None}))
    fields = pd.DataFrame(values, index=raw.index)
    fields["source_row"] = raw.index + 2  # the heading is row 1
    reason = _join(reasons, raw)
    fields["record_key"] = _record_keys(fields, ctx.profile)
    reason = _reject_superseded(fields, reason)
    ok = reason.isna()
    rejects = _rejects(raw[~ok], fields[~ok], reason[~ok], mapping, ctx)
    return Staged(fields[ok].reset_index(drop=True), rejects, unknown_headings(list(raw.columns), ctx.profile))


def _field_headings(raw: pd.DataFrame, profile: Profile) -> dict[str, tuple[str | None, Field]]:
    """Contract field -> (the export's own heading, spec). Practice areas and comments become fields too."""
    by_fold = {fold(h): h for h in raw.columns}
    wanted = {name: (heading, FIELDS[profile.kind][name]) for name, heading in profile.columns.items()}
    grade = Field("grade")
    wanted |= {f"area:{area}": (heading, grade) for area, heading in profile.practice_areas.items()}
    wanted |= {f"comment:{topic}": (heading, Field("text")) for topic, heading in profile.comments.items()}
    missing = [h for h, spec in wanted.values() if spec.required and fold(h) not in by_fold]
    if missing:
        raise StageError(f"the export has no column {missing[0]!r}, which the {profile.title} form needs")
    mapping = {name: (by_fold.get(fold(h)), spec) for name, (h, spec) in wanted.items()}
    for name, spec in FIELDS[profile.kind].items():
        mapping.setdefault(name, (None, spec))
    return mapping


def _join(reasons: list[pd.Series], raw: pd.DataFrame) -> pd.Series:
    """One sentence per rejected row. Only rows with a problem are visited: most rows have none."""
    frame = pd.concat(reasons, axis=1)
    bad = frame.notna().any(axis=1)
    joined = pd.Series(None, index=raw.index, dtype=object)
    if bad.any():
        rows = frame[bad].itertuples(index=False)
        joined[bad] = ["; ".join(r for r in row if isinstance(r, str)) for row in rows]
        empty = raw[bad].map(n.blank).all(axis=1)
        joined[empty[empty].index] = "the row is blank"
    return joined


def _record_keys(fields: pd.DataFrame, profile: Profile) -> pd.Series:
    if profile.kind == "pld":
        return (
            profile.key_prefix + "-" + fields["service_area"].fillna("?") + " " + fields["cycle"].fillna("?")
        ).astype(object)
    if profile.kind == "roster":  # one row per person per roster date; no key without both
        pairs = zip(fields["person"], fields["as_at"], strict=True)
        keys = [f"{profile.key_prefix}-{p} {d}" if pd.notna(p) and pd.notna(d) else None for p, d in pairs]
        return pd.Series(keys, index=fields.index, dtype=object)
    return fields["response_id"].astype(object)


def _reject_superseded(fields: pd.DataFrame, reason: pd.Series) -> pd.Series:
    """Within one file, a key seen twice keeps its last row; earlier rows are rejected as superseded."""
    keyed = fields["record_key"].notna() & reason.isna()
    later = fields[keyed].duplicated("record_key", keep="last")
    if not later.any():
        return reason
    last_row = fields[keyed].drop_duplicates("record_key", keep="last").set_index("record_key")["source_row"]
    superseded = later[later].index
    notes = fields.loc[superseded, "record_key"].map(lambda k: f"superseded by row {last_row[k]} of the same file")
    return reason.where(~reason.index.isin(superseded), notes)


def _rejects(raw, fields, reason, mapping, ctx: Context) -> pd.DataFrame:
    """Rejected rows keep their raw answers for the user to fix, with people's names replaced by keys."""
    raw_values = [json.dumps(_safe_row(raw.loc[i], fields.loc[i], mapping), default=str) for i in raw.index]
    return pd.DataFrame(
        {
            "record_key": [
                k if isinstance(k, str) else f"{ctx.profile.key_prefix}-row-{r}"
                for k, r in zip(fields["record_key"], fields["source_row"], strict=True)
            ],
            "source_row": fields["source_row"].astype(int).tolist(),
            "reason": reason.tolist(),
            "raw_values": raw_values,
        }
    )


def _safe_row(raw_row: pd.Series, field_row: pd.Series, mapping) -> dict:
    out = {}
    for name, (heading, spec) in mapping.items():
        if heading is None or n.blank(raw_row[heading]):
            continue
        if spec.normaliser in PERSON_NORMALISERS:
            out[heading] = field_row[name] or "[removed]"
        elif spec.normaliser == "text":
            out[heading] = n.EMAIL.sub("[email removed]", str(raw_row[heading]))
        else:
            out[heading] = _id_text(raw_row[heading])
    return out
