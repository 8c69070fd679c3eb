"""Which warehouse column answers each logical filter, per table alias used in the queries.

A table missing a logical column simply has no entry, and ``Filters.where`` skips that filter.
"""

AUDITS = {
    "service_area": "a.service_area",
    "team": "a.team",
    "case_type": "a.case_type",
    "cycle": "a.cycle",
    "instrument": "a.instrument",
}
SUPERVISION = {"service_area": "s.service_area", "team": "s.team", "cycle": "s.cycle"}
ACTIONS = {"service_area": "x.service_area", "team": "x.team"}
CHILD_VOICE = {"service_area": "v.service_area", "team": "v.team", "cycle": "v.cycle"}
FOCUS_GROUPS = {"service_area": "n.service_area", "cycle": "n.cycle"}
PLD_EVENTS = {"service_area": "p.service_area", "cycle": "p.cycle"}

# Shown in place of a missing team or case type, so charts and pivots keep the row.
NOT_RECORDED = "Not recorded"
