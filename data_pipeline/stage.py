"""Staging: a raw export frame and its profile in; normalised fields, row reasons and rejects out.

Staging renames, casts and normalises. It decides which rows are rejected and why, and nothing else:
what the rows mean for the warehouse is decided in ``tables``.
"""

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import pandas as pd

from data_pipeline import dates, settings, vocab
from data_pipeline import normalise as n
from data_pipeline.fields import DATE_NORMALISERS, FIELDS, PERSON_NORMALISERS, Field
from data_pipeline.headings import HeadingError, is_quiz
from data_pipeline.profiles import Profile, unknown_headings
from data_pipeline.pseudonym import pseudonymiser

ANONYMOUS = {"anonymous", ""}
NO_ORDER = dates.Order(None)


class StageError(ValueError):
    """The export as a whole cannot be staged with this profile."""


@dataclass(frozen=True)
class Context:
    profile: Profile
    today: dt.date
    key: bytes

    def normalise(
        self, normaliser: str, series: pd.Series, order: dates.Order = NO_ORDER, field: str = ""
    ) -> n.Normalised:
        """``field`` names the contract field, whose ``[values.<field>]`` the profile may fill."""
        simple = {"label": n.label, "text": n.text, "cycle": n.cycle, "count": n.count}
        if normaliser in simple:
            return simple[normaliser](series)
        if normaliser in vocab.VOCABULARIES:
            return n.choice(series, normaliser, self.profile.values.get(field), field)
        if normaliser == "timestamp":
            return n.timestamp(series, order.day_first)
        if normaliser == "date":
            return n.date(series, self.today, order.day_first)
        if normaliser == "any_date":
            return n.date(series, dt.date.max, order.day_first)
        if normaliser == "yes_no":
            return n.yes_no(series, self.profile.answers)
        if normaliser == "agrees":
            return n.agrees(series, self.profile.answers)
        if normaliser == "grade":
            return n.grade(series, self.profile.scale, self.profile.grades)
        if normaliser in PERSON_NORMALISERS:
            return n.by_distinct(series, self._people("S" if normaliser == "staff" else "C"))
        if normaliser == "key":
            return n.by_distinct(series, self._keys)
        if normaliser == "case_id":
            return n.by_distinct(series, lambda cells: (list(n.id_texts(cells)), [None] * len(cells)))
        if normaliser == "audit_ref":
            return n.by_value(series, self._audit_ref)
        raise KeyError(normaliser)

    def _people(self, prefix: str):
        key = pseudonymiser(self.key, prefix)

        def keys(cells):
            folded = n.folds([n.cell_text(cell) for cell in cells])
            return [None if name in ANONYMOUS else key(name) for name in folded], [None] * len(cells)

        return keys

    def _keys(self, cells):
        return [f"{self.profile.key_prefix}-{text}" for text in n.id_texts(cells)], [None] * len(cells)

    def _audit_ref(self, cell):
        text = n.id_text(cell).upper()
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
    quiz_headings: list[str]  # Forms quiz columns (points, feedback), never loaded
    date_orders: dict[str, dates.Order]  # each date column's heading -> the order it was read in


def stage(raw: pd.DataFrame, ctx: Context) -> Staged:
    mapping, used = _field_headings(raw, ctx.profile)
    orders = _date_orders(raw, mapping, ctx.profile)
    results, checked = {}, []
    for name, (heading, spec) in mapping.items():
        series = raw[heading] if heading is not None else pd.Series(None, index=raw.index, dtype=object)
        results[name] = ctx.normalise(spec.normaliser, series, orders.get(heading, NO_ORDER), name)
        checked.append((heading or name, results[name], spec.required))
    fields = pd.DataFrame({name: result.values for name, result in results.items()}, index=raw.index)
    fields["content_hash"] = content_hash(results, raw.index)
    fields["source_row"] = raw.index + 2  # the heading is row 1
    reason = _reasons(checked, raw)
    fields["record_key"] = _record_keys(fields, ctx.profile)
    reason = _reject_superseded(fields, reason)
    ok = reason.isna()
    rejects = _rejects(raw[~ok], fields[~ok], reason[~ok], mapping, ctx)
    headings = list(raw.columns)
    quiz = [h for h in headings if is_quiz(h) and h not in used]
    return Staged(fields[ok].reset_index(drop=True), rejects, unknown_headings(headings, used), quiz, orders)


def content_hash(results: dict[str, n.Normalised], index: pd.Index) -> pd.Series:
    """What a response says, less where it was read from: equal hashes mean an unchanged response. It is
    pandas' hash of each field's values as text (``astype(str)``), fields in name order."""
    columns = {name: _as_text(results[name]) for name in sorted(results)}
    hashed = pd.util.hash_pandas_object(pd.DataFrame(columns, index=index), index=False)
    text = hashed.to_numpy().astype(">u8").tobytes().hex()
    return pd.Series([text[i : i + 16] for i in range(0, len(text), 16)], index=index, dtype=object)


def _as_text(result: n.Normalised) -> pd.Categorical:
    """The values as text, written once per distinct value: a categorical of them hashes as the texts do."""
    missing = pd.isna(result.distinct)
    text_codes, texts = pd.factorize(_texts(result.distinct[~missing]))
    of_distinct = np.full(len(result.distinct) + 1, -1)  # the last, for code -1, stays missing
    of_distinct[np.flatnonzero(~missing)] = text_codes
    return pd.Categorical.from_codes(of_distinct[result.codes], categories=pd.Index(texts, dtype=object))


def _texts(cells: np.ndarray) -> np.ndarray:
    """``str`` of each cell. ``str`` of a datetime is slow, and a column of timestamps is nearly all distinct
    values, so whole-second naive timestamps are written by numpy, in the same ISO form."""
    kind = pd.api.types.infer_dtype(cells, skipna=False)
    if kind == "string":
        return cells
    if kind == "datetime" and all(type(c) is dt.datetime and c.tzinfo is None and not c.microsecond for c in cells):
        iso = np.datetime_as_string(pd.to_datetime(cells).to_numpy().astype("datetime64[s]"), unit="s")
        return np.array([t.replace("T", " ") for t in iso.tolist()], dtype=object)
    return np.array([str(cell) for cell in cells] + [""], dtype=object)[:-1]


def _field_headings(raw: pd.DataFrame, profile: Profile) -> tuple[dict[str, tuple[str | None, Field]], set[str]]:
    """Contract field -> (the export's own heading, spec), and every export heading the profile names.
    Practice areas and comments become fields too."""
    try:
        named = profile.resolve(list(raw.columns))
    except HeadingError as exc:
        raise StageError(str(exc)) from None
    wanted = {name: (heading, FIELDS[profile.kind][name]) for name, heading in profile.columns.items()}
    grade = Field("grade")
    wanted |= {f"area:{area}": (heading, grade) for area, heading in profile.practice_areas.items()}
    wanted |= {f"comment:{topic}": (heading, Field("text")) for topic, heading in profile.comments.items()}
    wanted |= {f"flag:{name}": (heading, Field("label")) for name, heading in profile.flags.items()}
    missing = [h for h, spec in wanted.values() if spec.required and named[h] is None]
    if missing:
        raise StageError(f"the export has no column {missing[0]!r}, which the {profile.title} form needs")
    mapping = {name: (named[h], spec) for name, (h, spec) in wanted.items()}
    for name, spec in FIELDS[profile.kind].items():
        mapping.setdefault(name, (None, spec))
    return mapping, {h for h in named.values() if h is not None}


def _date_orders(raw: pd.DataFrame, mapping, profile: Profile) -> dict[str, dates.Order]:
    """The order each date column is read in, decided once per heading even when it feeds two fields."""
    try:
        default = settings.date_order()
    except ValueError as exc:
        raise StageError(str(exc)) from None
    used = {h for h, spec in mapping.values() if h is not None and spec.normaliser in DATE_NORMALISERS}
    try:
        return {h: dates.decide(h, n.distinct(raw[h])[1], profile.date_order, default) for h in raw if h in used}
    except dates.DateOrderError as exc:
        raise StageError(str(exc)) from None


def _reasons(checked: list[tuple[str, n.Normalised, bool]], raw: pd.DataFrame) -> pd.Series:
    """One sentence per rejected row, its faults in field order. Most rows have none, so only the rows
    with a fault are visited one by one."""
    notes: dict[int, list[str]] = defaultdict(list)
    for label, result, required in checked:
        errors = result.errors.to_numpy()
        wrong = pd.notna(errors)
        for at in np.flatnonzero(wrong):
            notes[at].append(f"{label}: {errors[at]}")
        if required:
            for at in np.flatnonzero(result.values.isna().to_numpy() & ~wrong):
                notes[at].append(f"{label} is blank")
    joined = np.full(len(raw), None, dtype=object)
    for at, parts in notes.items():
        joined[at] = "; ".join(parts)
    if notes:
        bad = np.fromiter(notes, int, len(notes))
        joined[bad[raw.iloc[bad].map(n.blank).all(axis=1).to_numpy()]] = "the row is blank"
    return pd.Series(joined, index=raw.index, dtype=object)


def _record_keys(fields: pd.DataFrame, profile: Profile) -> pd.Series:
    if profile.kind == "pld":
        return (
            profile.key_prefix + "-" + fields["service_area"].fillna("?") + " " + fields["cycle"].fillna("?")
        ).astype(object)
    if profile.kind == "roster":  # one row per person per roster date; no key without both
        pairs = zip(fields["person"], fields["as_at"], strict=True)
        keys = [f"{profile.key_prefix}-{p} {d}" if pd.notna(p) and pd.notna(d) else None for p, d in pairs]
        return pd.Series(keys, index=fields.index, dtype=object)
    if profile.kind == "caselist":
        return fields["case_id"].astype(object)
    return fields["response_id"].astype(object)


def _reject_superseded(fields: pd.DataFrame, reason: pd.Series) -> pd.Series:
    """Within one file, a key seen twice keeps its last row; earlier rows are rejected as superseded."""
    keyed = fields.loc[fields["record_key"].notna() & reason.isna(), ["record_key", "source_row"]]
    later = keyed.duplicated("record_key", keep="last")
    if not later.any():
        return reason
    last_row = keyed[~later].set_index("record_key")["source_row"]
    notes = keyed.loc[later, "record_key"].map(lambda k: f"superseded by row {last_row[k]} of the same file")
    return reason.where(~reason.index.isin(notes.index), notes)


def _rejects(raw, fields, reason, mapping, ctx: Context) -> pd.DataFrame:
    """Rejected rows keep their raw answers for the user to fix, with people's names replaced by keys."""
    rows = zip(raw.to_dict("records"), fields.to_dict("records"), strict=True)
    raw_values = [json.dumps(_safe_row(raw_row, field_row, mapping), default=str) for raw_row, field_row in rows]
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


def _safe_row(raw_row: dict, field_row: dict, mapping) -> dict:
    out = {}
    for name, (heading, spec) in mapping.items():
        if heading is None or n.blank(raw_row[heading]):
            continue
        if spec.normaliser in PERSON_NORMALISERS:
            out[heading] = field_row[name] or "[removed]"
        elif spec.normaliser == "text":
            out[heading] = n.EMAIL.sub("[email removed]", str(raw_row[heading]))
        else:
            out[heading] = n.id_text(raw_row[heading])
    return out
