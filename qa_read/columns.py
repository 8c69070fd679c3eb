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
# The filter_options mart (o): every logical column, NULL where the source table lacks it.
OPTIONS = {name: f"o.{name}" for name in ("service_area", "team", "case_type", "cycle", "instrument")}
SUPERVISION = {"service_area": "s.service_area", "team": "s.team", "cycle": "s.cycle"}
ACTIONS = {"service_area": "x.service_area", "team": "x.team"}
CHILD_VOICE = {"service_area": "v.service_area", "team": "v.team", "cycle": "v.cycle"}
PLD_EVENTS = {"service_area": "p.service_area", "cycle": "p.cycle"}
TEAM_ROSTER = {"service_area": "r.service_area", "team": "r.team"}
# The voice_cube mart (v), which carries the linked audit's case type and audit tool itself.
VOICE_CUBE = {**CHILD_VOICE, "case_type": "v.case_type", "instrument": "v.instrument"}
# Actions with ``raised_cycle``, the financial-year quarter of raised_date, derived in the query's first CTE.
ACTIONS_RAISED = {**ACTIONS, "cycle": "x.raised_cycle"}
# Theme mentions (m) and the texts they were found in (t). Neither has a case type or audit tool: notes and
# feedback have none, so those filters do not apply to themes. Notes have no team, so a team filter drops them.
THEME_MENTIONS = {"service_area": "m.service_area", "team": "m.team", "cycle": "m.cycle"}
THEME_TEXTS = {"service_area": "t.service_area", "team": "t.team", "cycle": "t.cycle"}

# Shown in place of a missing team or case type, so charts and pivots keep the row.
NOT_RECORDED = "Not recorded"
