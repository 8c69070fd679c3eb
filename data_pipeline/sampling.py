"""The audit sampling plan's draw: which open cases to audit next cycle, at random, from a recorded seed.

The L&D policy audits "randomly, to check standards common to all cases … or focused on … a particular type
of case … or a theme"; the PLD framework wants every case-holding worker audited before the PLD. So:

1. Cases are left out, each with its reason, when a thematic criterion excludes them (case type, time open,
   a flag's value) or when the child was audited in the exclusion window (matched by keyed hash).
2. Each stratum (service area × case type) gets ``per_stratum`` cases chosen uniformly at random from its
   eligible cases (all of them when it has fewer).
3. Every case-holding worker with fewer than ``per_worker`` chosen cases gets more, uniformly at random from
   their other eligible cases. A worker with no eligible case is named as not covered.

The generator is numpy's PCG64 from ``seed``; cases are ordered by case ID and strata and workers by name
before any draw, so the same list, criteria and seed give the same plan whatever the file's row order.
It lives on the write side because its result is stored (``data_pipeline.plans``); it knows no Streamlit.
"""

import calendar
import dataclasses
import datetime as dt
import json
from dataclasses import dataclass

import numpy as np
import pandas as pd

STRATUM = ["service_area", "case_type"]
NO_CASE_TYPE = "Not recorded"
BY_STRATUM, BY_WORKER = "Random within stratum", "Worker not yet covered"


@dataclass(frozen=True)
class Criteria:
    per_stratum: int = 2
    per_worker: int = 1
    case_types: tuple[str, ...] = ()  # thematic: only these case types (none: every type)
    min_days_open: int | None = None
    max_days_open: int | None = None
    flag: str | None = None  # thematic: only cases whose flag column holds flag_value
    flag_value: str | None = None
    exclude_months: int = 6  # children audited within this many months of the draw are left out (0: none)

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), sort_keys=True)


@dataclass(frozen=True)
class Draw:
    cases: pd.DataFrame  # the case list with "left_out" (reason or None) and "chosen" (BY_STRATUM, BY_WORKER, None)
    seed: int
    criteria: Criteria
    drawn_on: dt.date

    @property
    def planned(self) -> pd.DataFrame:
        return self.cases[self.cases["chosen"].notna()].reset_index(drop=True)

    def strata(self) -> pd.DataFrame:
        """Per stratum: open cases, eligible cases, cases left out as recently audited, cases chosen."""
        c = self.cases.assign(eligible=self.cases["left_out"].isna(), recent=self.cases["left_out"].eq(RECENT))
        c = c.assign(planned=c["chosen"].notna())
        out = c.groupby(STRATUM, as_index=False).agg(
            open_cases=("case_key", "size"), eligible=("eligible", "sum"), recently_audited=("recent", "sum"),
            planned=("planned", "sum"),
        )  # fmt: skip
        return out.astype({"eligible": int, "recently_audited": int, "planned": int})

    def workers(self) -> pd.DataFrame:
        """Per case-holding worker: open cases, eligible cases, cases planned, and whether they are covered."""
        c = self.cases.assign(eligible=self.cases["left_out"].isna(), planned=self.cases["chosen"].notna())
        out = c.groupby(["worker_key"], as_index=False).agg(
            worker=("worker", "first"), team=("team", "first"), service_area=("service_area", "first"),
            open_cases=("case_key", "size"), eligible=("eligible", "sum"), planned=("planned", "sum"),
        )  # fmt: skip
        out = out.astype({"eligible": int, "planned": int})
        return out.assign(covered=out["planned"] >= min(self.criteria.per_worker, 1))


RECENT = "child audited in the exclusion window"


def draw(cases: pd.DataFrame, criteria: Criteria, seed: int, recently_audited: set[str], today: dt.date) -> Draw:
    """The plan drawn from ``cases`` (``data_pipeline.caselist`` columns). ``recently_audited`` holds the
    child keys with an audit since ``window_start(today, criteria)``."""
    rng = np.random.default_rng(seed)
    c = cases.sort_values("case_id", kind="stable", ignore_index=True)
    c["case_type"] = c["case_type"].fillna(NO_CASE_TYPE)
    c["left_out"] = _left_out(c, criteria, recently_audited, today)
    eligible = c["left_out"].isna().to_numpy()
    chosen = np.full(len(c), None, dtype=object)
    strata = c.groupby(STRATUM).indices  # keys in sorted order
    for rows in strata.values():
        pool = rows[eligible[rows]]
        chosen[rng.permutation(pool)[: criteria.per_stratum]] = BY_STRATUM
    workers = c.groupby("worker_key").indices
    for worker in pd.unique(c["worker_key"]):  # in order of each worker's first case ID: independent of the key
        pool = workers[worker][eligible[workers[worker]]]
        short = criteria.per_worker - int(pd.notna(chosen[pool]).sum())
        if short > 0:
            free = pool[pd.isna(chosen[pool])]
            chosen[rng.permutation(free)[:short]] = BY_WORKER
    return Draw(c.assign(chosen=chosen), seed, criteria, today)


def window_start(today: dt.date, criteria: Criteria) -> dt.date:
    """The first day of the exclusion window: the same day ``exclude_months`` months earlier, or the month's
    last day when it has no such day (31 March less one month is 28 or 29 February)."""
    year, month = divmod(today.year * 12 + today.month - 1 - criteria.exclude_months, 12)
    return dt.date(year, month + 1, min(today.day, calendar.monthrange(year, month + 1)[1]))


def _left_out(c: pd.DataFrame, criteria: Criteria, recent: set[str], today: dt.date) -> pd.Series:
    """Why each case cannot be drawn (the first reason that applies), or None."""
    days_open = (pd.Timestamp(today) - pd.to_datetime(c["start_date"])).dt.days
    reasons = [
        (c["child_key"].isin(recent) if recent and criteria.exclude_months else None, RECENT),
        (~c["case_type"].isin(criteria.case_types) if criteria.case_types else None, "not a chosen case type"),
        (_outside(days_open, criteria.min_days_open, lambda d, m: d < m), "open for too short a time"),
        (_outside(days_open, criteria.max_days_open, lambda d, m: d > m), "open for too long"),
        (c[f"flag:{criteria.flag}"].ne(criteria.flag_value) if criteria.flag else None, f"not flagged {criteria.flag}"),
    ]  # fmt: skip
    out = pd.Series(None, index=c.index, dtype=object)
    for mask, reason in reversed(reasons):
        if mask is not None:
            out = out.mask(mask.fillna(False).astype(bool), reason)
    return out


def _outside(days_open: pd.Series, limit: int | None, beyond) -> pd.Series | None:
    """Cases past ``limit`` days open; a case with no start date cannot meet a duration criterion."""
    if limit is None:
        return None
    return days_open.isna() | beyond(days_open, limit)
