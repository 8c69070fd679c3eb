"""A case list read for the audit sampling plan: in the session only, never loaded or archived.

The export is read and staged like any other (a ``caselist`` mapping profile, the same normalisers, every row
kept or rejected with a reason), and the staged cases gain keyed hashes: ``case_key`` of the council's case
ID, ``child_key`` and ``worker_key`` exactly as an audit's child and worker are keyed, so a plan drawn from
the list can be stored, and matched with audits, without a case ID or a name.
"""

import dataclasses
import datetime as dt
import hashlib
import io
from dataclasses import dataclass

import pandas as pd

from data_pipeline import normalise as n
from data_pipeline import profiles, stage
from data_pipeline.pseudonym import pseudonymiser
from data_pipeline.readers import read_export

CASE_PREFIX = "K"  # keyed hash of a case ID, as S- is a member of staff and C- a child
COLUMNS = ["case_id", "case_key", "child_key", "worker", "worker_key", "team", "service_area", "case_type",
           "start_date", "source_row"]  # fmt: skip


class CaseListError(ValueError):
    """The file cannot be used as a case list; the message is one line."""


@dataclass(frozen=True)
class CaseList:
    cases: pd.DataFrame  # COLUMNS, then one "flag:<name>" column per flag the profile maps
    rejects: pd.DataFrame  # source_row, reason (raw values are not kept: the list is clear text)
    rows_read: int
    sha256: str
    profile_id: str

    @property
    def flags(self) -> list[str]:
        return [c.removeprefix("flag:") for c in self.cases.columns if c.startswith("flag:")]


def read(content: bytes, name: str, key: bytes, today: dt.date, known: list | None = None) -> CaseList:
    """Read and stage a case list export; raise ``CaseListError`` for a file that is not one."""
    try:
        raw = read_export(io.BytesIO(content), name)
    except ValueError as exc:
        raise CaseListError(f"{name}: {exc}") from None
    lists = [p for p in (known if known is not None else profiles.load_all()) if p.kind == "caselist"]
    profile = profiles.detect(list(raw.columns), lists)
    if profile is None:
        wanted = ", ".join(lists[0].detect) if lists else "a caselist mapping profile"
        raise CaseListError(f"{name}: its headings are not a case list's (it needs {wanted})")
    try:
        staged = stage.stage(raw, stage.Context(profile, today, key))
    except stage.StageError as exc:
        raise CaseListError(f"{name}: {exc}") from None
    cases = _keyed(staged.fields, raw, profile, key)
    rejects = staged.rejects[["source_row", "reason"]].sort_values("source_row", ignore_index=True)
    return CaseList(cases, rejects, len(raw), hashlib.sha256(content).hexdigest(), profile.id)


def _keyed(fields: pd.DataFrame, raw: pd.DataFrame, profile, key: bytes) -> pd.DataFrame:
    """The staged cases with the case ID keyed and the worker's name as written, for the auditors' list."""
    out = fields.rename(columns={"worker": "worker_key", "child": "child_key"})
    case_key = pseudonymiser(key, CASE_PREFIX)
    out["case_key"] = [case_key(f) for f in n.folds(out["case_id"].tolist())]
    names = raw[profile.columns["worker"]].to_numpy()[out["source_row"].to_numpy() - 2]
    out["worker"] = [" ".join(n.cell_text(c).split()) for c in names]
    out["start_date"] = pd.to_datetime(out["start_date"]).dt.date
    flags = [c for c in out.columns if c.startswith("flag:")]
    return out[COLUMNS + flags].reset_index(drop=True)


def limit_to(cases: CaseList, service_areas: tuple[str, ...] | None, teams: tuple[str, ...] | None) -> CaseList:
    """The list within a reader's scope (None: no limit); cases outside it become rejects that say why."""
    c = cases.cases
    outside = pd.Series(False, index=c.index)
    reasons = pd.Series(None, index=c.index, dtype=object)
    for column, allowed in (("team", teams), ("service_area", service_areas)):
        if allowed is not None:
            wrong = ~c[column].isin(allowed)
            reasons = reasons.mask(
                wrong, column.replace("_", " ") + " " + c[column].fillna("(blank)") + " is outside your scope"
            )
            outside |= wrong
    if not outside.any():
        return cases
    more = pd.DataFrame({"source_row": c.loc[outside, "source_row"], "reason": reasons[outside]})
    rejects = pd.concat([cases.rejects, more]).sort_values("source_row", ignore_index=True)
    return dataclasses.replace(cases, cases=c[~outside].reset_index(drop=True), rejects=rejects)
