"""The publications the reference loader knows, each recognised by its exact columns (as exports are by their
profiles): a release with the same columns loads the same way; a file whose columns differ is refused.

A measure's unit says how to read it: ``percent`` (0-100 as published), ``rate per 10,000 children``,
``cases per FTE``, ``FTE``, ``days`` or ``count``.
"""

from dataclasses import dataclass, field

# The columns every DfE "tidy" CSV from explore-education-statistics starts with (la_name and new_la_code
# swap places in some files; recognition ignores order).
EES_GEOGRAPHY = (
    "time_period", "time_identifier", "geographic_level", "country_code", "country_name",
    "region_code", "region_name", "old_la_code", "new_la_code", "la_name",
)  # fmt: skip
DFE = "Department for Education"
OFSTED = "Ofsted"
JUDGEMENTS = {
    "overall_effectiveness": "Overall effectiveness",
    "impact_of_leaders": "Impact of leaders",
    "help_and_protection": "Help and protection",
    "children_in_care": "Children in care",
    "care_leavers": "Care leavers",
}


@dataclass(frozen=True)
class Layout:
    publication: str  # the key its rows are stored under: a newer release replaces them
    title: str
    publisher: str
    kind: str  # which reader parses it: "ees", "neighbours", "areas", "ofsted_ods", "ilacs_scrape"
    columns: tuple[str, ...]
    as_at: str = ""  # EES: the day and month a reporting year's figures are true at, "MM-DD"
    units: dict[str, str] = field(default_factory=dict)  # EES: measure column -> unit
    breakdown: tuple[str, ...] = ()  # EES: columns whose values name the measure's sub-group


def _units(count: tuple = (), percent: tuple = (), **other: tuple) -> dict[str, str]:
    units = {c: "count" for c in count} | {c: "percent" for c in percent}
    for unit, names in other.items():
        units |= {c: unit.replace("_", " ") for c in names}
    return units


CSWW = _units(
    count=("inpost_headcount", "starters_headcount", "leavers_headcount", "agency_headcount", "cases"),
    percent=(
        "turnover_rate_fte", "turnover_rate_headcount", "agency_rate_fte", "agency_rate_headcount",
        "agency_cover_rate_fte", "vacancy_rate_fte", "vacancy_agency_cover_rate_fte", "absence_rate_fte",
    ),
    FTE=("inpost_fte", "starters_fte", "leavers_fte", "agency_fte", "agency_cover_fte", "vacancy_fte",
         "case_holders_fte"),
    cases_per_FTE=("caseload_fte",),
    days=("working_days_lost_fte",),
)  # fmt: skip

LAYOUTS = (
    Layout(
        "csww", "Children's social work workforce", DFE, "ees", (*EES_GEOGRAPHY, *CSWW), as_at="09-30", units=CSWW
    ),
    Layout(
        "cin", "Children in need", DFE, "ees",
        (*EES_GEOGRAPHY, "category", "Anypoint_episodes", "Anypoint_child", "Started_episodes", "Started_child",
         "Ended_episodes", "Ended_child", "At31_episodes", "awaiting_assessment"),
        as_at="03-31",
        units=_units(count=("Anypoint_episodes", "Anypoint_child", "Started_episodes", "Started_child",
                            "Ended_episodes", "Ended_child", "At31_episodes", "awaiting_assessment")),
    ),
    Layout(
        "cin_referrals", "Children in need: referrals and re-referrals", DFE, "ees",
        (*EES_GEOGRAPHY, "category", "referral_count", "rereferral_count", "rereferral_percent",
         "no_further_action_count", "no_further_action_percent", "not_in_need_count", "not_in_need_percent",
         "referral_child_count", "rereferral_child_count", "rereferral_child_percent"),
        as_at="03-31",
        units=_units(
            count=("referral_count", "rereferral_count", "no_further_action_count", "not_in_need_count",
                   "referral_child_count", "rereferral_child_count"),
            percent=("rereferral_percent", "no_further_action_percent", "not_in_need_percent",
                     "rereferral_child_percent"),
        ),
    ),
    Layout(
        "cin_cpp", "Children in need: child protection plans", DFE, "ees",
        (*EES_GEOGRAPHY, "category", "CPP_start", "CPP_subsequent", "CPP_subsequent_percent"),
        as_at="03-31",
        units=_units(count=("CPP_start", "CPP_subsequent"), percent=("CPP_subsequent_percent",)),
    ),
    Layout(
        "cla", "Children looked after in England", DFE, "ees",
        (*EES_GEOGRAPHY, "population_type", "population_estimate", "children_count", "rate_per_10000"),
        as_at="03-31",
        units=_units(count=("population_estimate", "children_count")) | {"rate_per_10000": "rate per 10,000 children"},
        breakdown=("population_type",),
    ),
    Layout(
        "cla_stability", "Children looked after: placement stability", DFE, "ees",
        (*EES_GEOGRAPHY, "cla_group", "placement_stability", "children_count", "children_percent"),
        as_at="03-31",
        units=_units(count=("children_count",), percent=("children_percent",)),
        breakdown=("cla_group", "placement_stability"),
    ),
    Layout(
        "cla_social_workers", "Children looked after: number of social workers", DFE, "ees",
        (*EES_GEOGRAPHY, "cla_group", "sw_stability", "number", "percentage"),
        as_at="03-31",
        units=_units(count=("number",), percent=("percentage",)),
        breakdown=("cla_group", "sw_stability"),
    ),
    Layout(
        "neighbours_2021", "Statistical neighbours (April 2021 model)", DFE, "neighbours",
        ("LA num", "LA Name", "LA number", "GOInd", "GOReg",
         *(c for k in range(1, 11) for c in (f"SN{k}", "SNP")), ""),
    ),
    Layout(
        "neighbours_2025", "Statistical neighbours (2025 model)", DFE, "neighbours",
        ("old_la_code", "la_name", "region_ind", "region_name",
         *(c for k in range(1, 11) for c in (f"SN_{k}", f"SN_{k}P"))),
    ),
    Layout(
        "ofsted_areas", "Ofsted local authority codes (ILACS scrape tool)", OFSTED, "areas",
        ("urn", "la_code", "la_code_new", "stat_neighbours", "stat_neighbours_la_code", "stat_neighbours_previous",
         "local_authority_ons_name", "also_known_as", "region_code", "region_name", "domain",
         "ofsted_ilacs_scrape_la_name", "rgn22cd", "rgn22nm", "ltla23nm", "ltla23nmw", "utla23nm", "country",
         "ons_population_0-25", "ons_la_type"),
    ),
    Layout(
        "ofsted_outcomes", "Local authority inspection outcomes (official statistics)", OFSTED, "ofsted_ods",
        ("Web link", "Local authority area code", "Local authority name", "Local authority status", "Ofsted region",
         "Inspection date", "Publication date", "Inspection type", "Overall effectiveness",
         "The impact of leaders on social work practice with children and families",
         "The experiences and progress of children who need help and protection",
         "The experiences and progress of children in care", "The experiences and progress of care leavers"),
    ),
    Layout(
        "ilacs_reports", "ILACS judgements read from Ofsted's published reports (ILACS scrape tool)", OFSTED,
        "ilacs_scrape",
        ("urn", "local_authority", "inspection_link", "pdf_filename", "publication_date", "inspection_framework",
         "inspector_name", "inspection_start_date", "inspection_end_date", "overall_effectiveness_grade",
         "impact_of_leaders_grade", "help_and_protection_grade", "in_care_grade", "care_leavers_grade",
         "parser_version"),
    ),
)  # fmt: skip
BY_PUBLICATION = {layout.publication: layout for layout in LAYOUTS}
# The sheet of Ofsted's workbook that holds every graded ILACS inspection, and the rows above its headings.
OFSTED_SHEET = "ILACS_inspection_history"
OFSTED_HEADER_ROW = 2


def recognise(columns: list[str]) -> Layout | None:
    """The layout whose columns are exactly these (in any order), or None."""
    found = [str(c).strip() for c in columns]
    for layout in LAYOUTS:
        if sorted(found) == sorted(layout.columns):
            return layout
    return None


def nearest(columns: list[str]) -> tuple[Layout, list[str], list[str]]:
    """The layout sharing most columns with these, with the columns it lacks and the ones it does not expect."""
    found = {str(c).strip() for c in columns}
    best = max(LAYOUTS, key=lambda layout: len(found & set(layout.columns)))
    return best, [c for c in best.columns if c not in found], sorted(found - set(best.columns))
