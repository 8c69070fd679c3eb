"""Read a published file into the rows of the reference tables. Nothing here touches the warehouse.

Each reader takes the file's rows as text (headings already matched to a ``Layout``) and returns frames named
after the tables they fill. A value the publication withholds stays missing, its symbol kept in ``marker``.
"""

import datetime as dt
import io

import pandas as pd

from data_pipeline.reference.layouts import JUDGEMENTS, OFSTED_HEADER_ROW, OFSTED_SHEET, Layout

NUMBER_MARKERS = frozenset({"c", "x", "z", "u", "low", "..", ":"})
LEVELS = {"National": "England", "Regional": "Region", "Local authority": "Local authority"}
GRADES = {
    "outstanding": "Outstanding",
    "good": "Good",
    "requires improvement to be good": "Requires improvement",
    "requires improvement": "Requires improvement",
    "inadequate": "Inadequate",
}
JUDGEMENT_MARKERS = frozenset({"inspection_pre_dates_judgement", "not_reported_post_reform", "data_unreadable"})
CARE_LEAVERS_JUDGED_FROM = dt.date(2023, 1, 1)  # Ofsted's notes: the care leavers sub-judgement began then
SCRAPE_TYPES = {"standard": "ILACS Standard Inspection", "short": "ILACS Short Inspection"}


class RefusedFile(ValueError):
    """The file cannot be loaded as it is; the message is the one line the user sees."""


def read_table(content: bytes, name: str) -> pd.DataFrame:
    """The file's first table as text, headings as the columns (kept even when repeated or blank)."""
    if name.lower().endswith(".ods"):
        return _ods_table(content)
    try:
        raw = pd.read_csv(io.BytesIO(content), header=None, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise RefusedFile(f"it is not a readable CSV file ({exc})") from None
    frame = raw.iloc[1:].reset_index(drop=True)
    frame.columns = [c.strip() for c in raw.iloc[0]]
    return frame


def _ods_table(content: bytes) -> pd.DataFrame:
    try:
        raw = pd.read_excel(io.BytesIO(content), sheet_name=OFSTED_SHEET, header=None, engine="calamine", dtype=str)
    except ValueError as exc:
        raise RefusedFile(f"it has no sheet '{OFSTED_SHEET}' that Ofsted's outcomes workbook has ({exc})") from None
    frame = raw.iloc[OFSTED_HEADER_ROW + 1 :].fillna("").reset_index(drop=True)
    frame.columns = [str(c).strip() for c in raw.iloc[OFSTED_HEADER_ROW].fillna("")]
    return frame


def ods_published(content: bytes) -> dt.date | None:
    """The 'Published on' date of Ofsted's cover sheet, if it states one."""
    cover = pd.read_excel(io.BytesIO(content), sheet_name=0, header=None, engine="calamine")
    for label, value in cover.iloc[:, :2].itertuples(index=False):
        if str(label).strip().lower().startswith("published on") and not pd.isna(value):
            return pd.Timestamp(value).date()
    return None


def figures(frame: pd.DataFrame, layout: Layout) -> pd.DataFrame:
    """An EES tidy file as one row per area, period and measure."""
    unknown = sorted(set(frame["geographic_level"]) - set(LEVELS))
    if unknown:
        raise RefusedFile(f"geographic_level {unknown[0]!r} is not one of {', '.join(LEVELS)}")
    years = pd.to_numeric(frame["time_period"], errors="coerce")
    if years.isna().any() or not years.between(1990, 2100).all():
        bad = frame.loc[years.isna() | ~years.between(1990, 2100), "time_period"].iloc[0]
        raise RefusedFile(f"time_period {bad!r} is not a year")
    level = frame["geographic_level"].map(LEVELS)
    is_la, is_region = level == "Local authority", level == "Region"
    region_or_country = frame["region_code"].where(is_region, frame["country_code"])
    base = pd.DataFrame(
        {
            "publication": layout.publication,
            "period": frame["time_period"],
            "as_at": pd.to_datetime(frame["time_period"] + "-" + layout.as_at),
            "level": level,
            "area_code": frame["new_la_code"].where(is_la, region_or_country),
            "la_code": frame["old_la_code"].where(is_la & (frame["old_la_code"] != "")),
            "area_name": frame["la_name"].where(is_la, frame["region_name"].where(is_region, frame["country_name"])),
        }
    )
    if (base["area_code"] == "").any():
        row = int((base["area_code"] == "").to_numpy().argmax()) + 2
        raise RefusedFile(f"row {row} names no area code for its geographic level")
    suffix = pd.Series("", index=frame.index)
    for column in layout.breakdown:
        suffix = suffix + ": " + frame[column]
    measures = list(layout.units)
    wide = pd.concat([base, frame[measures]], axis=1).assign(row=frame.index + 2, suffix=suffix)
    long = wide.melt(id_vars=[*base.columns, "row", "suffix"], value_vars=measures, var_name="column")
    value, marker = numbers(long["value"], long["row"], long["column"])
    return long.assign(
        measure=long["column"] + long["suffix"], unit=long["column"].map(layout.units), value=value, marker=marker
    ).drop(columns=["row", "suffix", "column"])


def numbers(text: pd.Series, rows: pd.Series, columns: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Published text as numbers, and for each missing one the symbol that says why ('blank' for none);
    ``rows`` and ``columns`` say where each value stands in the file, for the message refusing an odd one."""
    cleaned = text.str.strip()
    value = pd.to_numeric(cleaned, errors="coerce")
    marker = cleaned.where(value.isna()).replace("", "blank")
    odd = marker.notna() & ~marker.isin(NUMBER_MARKERS | {"blank"})
    if odd.any():
        first = odd.to_numpy().argmax()
        raise RefusedFile(
            f"row {rows.iloc[first]} of {columns.iloc[first]} holds {cleaned.iloc[first]!r}, "
            "neither a number nor a DfE symbol (c, x, z, u, low, .., :)"
        )
    return value, marker


def areas(frame: pd.DataFrame, layout: Layout) -> pd.DataFrame:
    """Which old LA code goes with which ONS code (and Ofsted URN), from the lookup or from an EES file."""
    if layout.kind == "areas":
        found = pd.DataFrame(
            {
                "la_code": frame["la_code"],
                "ons_code": frame["la_code_new"],
                "area_name": frame["local_authority_ons_name"],
                "region": frame["region_name"],
                "ofsted_urn": frame["urn"],
            }
        )
    else:
        la = frame[frame["geographic_level"] == "Local authority"].sort_values("time_period", ascending=False)
        found = pd.DataFrame(
            {
                "la_code": la["old_la_code"],
                "ons_code": la["new_la_code"],
                "area_name": la["la_name"],
                "region": la["region_name"],
                "ofsted_urn": None,
            }
        )
    found = found[(found["la_code"] != "") & (found["ons_code"] != "")]
    return found.drop_duplicates(["la_code", "ons_code"]).assign(publication=layout.publication)


def neighbours(frame: pd.DataFrame, layout: Layout) -> pd.DataFrame:
    """The ten statistical neighbours of each LA, closest first, from either model's wide layout."""
    columns = list(frame.columns)
    rows = []
    for number, values in enumerate(frame.itertuples(index=False)):
        la_code = values[0].strip()
        if not la_code.isdigit():
            raise RefusedFile(f"row {frame.index[number] + 2} names LA {la_code!r}, not a DfE LA code")
        for position in range(1, 11):
            at = columns.index(f"SN{position}" if layout.publication == "neighbours_2021" else f"SN_{position}")
            neighbour = values[at].strip()
            if neighbour:
                rows.append((layout.publication, la_code, position, neighbour, values[at + 1].strip() or None))
    return pd.DataFrame(rows, columns=["publication", "la_code", "position", "neighbour_la_code", "closeness"])


def ofsted_inspections(frame: pd.DataFrame, layout: Layout) -> pd.DataFrame:
    """Ofsted's official ILACS history: one row per inspection and judgement."""
    started = _dates(frame["Inspection date"], "Inspection date", None)
    base = pd.DataFrame(
        {
            "publication": layout.publication,
            "inspection_id": frame["Local authority area code"] + " " + started.dt.strftime("%Y-%m-%d"),
            "la_code": None,
            "ons_code": frame["Local authority area code"],
            "ofsted_urn": None,
            "area_name": frame["Local authority name"],
            "inspection_type": frame["Inspection type"],
            "started": started,
            "ended": pd.NaT,
            "published": _dates(frame["Publication date"], "Publication date", None),
        }
    )
    headings = dict(zip(JUDGEMENTS, layout.columns[8:13], strict=True))
    parts = []
    for judgement, heading in headings.items():
        grade, marker = grades(frame[heading])
        if judgement == "care_leavers":
            before = started.dt.date < CARE_LEAVERS_JUDGED_FROM
            marker = marker.mask(before & (marker == "blank"), "inspection_pre_dates_judgement")
        parts.append(base.assign(judgement=judgement, grade=grade, marker=marker))
    return pd.concat(parts, ignore_index=True)


def scraped_inspections(frame: pd.DataFrame, layout: Layout) -> pd.DataFrame:
    """Judgements read from the published reports (including those after the 2026 framework change)."""
    base = pd.DataFrame(
        {
            "publication": layout.publication,
            "inspection_id": frame["inspection_link"],
            "la_code": None,
            "ons_code": None,
            "ofsted_urn": frame["urn"],
            "area_name": frame["local_authority"].str.title(),
            "inspection_type": frame["inspection_framework"].map(lambda t: SCRAPE_TYPES.get(t, t or None)),
            "started": _dates(frame["inspection_start_date"], "inspection_start_date", "%d/%m/%Y"),
            "ended": _dates(frame["inspection_end_date"], "inspection_end_date", "%d/%m/%Y"),
            "published": _dates(frame["publication_date"], "publication_date", "%d/%m/%y"),
        }
    )
    columns = ("overall_effectiveness_grade", "impact_of_leaders_grade", "help_and_protection_grade")
    columns += ("in_care_grade", "care_leavers_grade")
    parts = []
    for judgement, column in zip(JUDGEMENTS, columns, strict=True):
        grade, marker = grades(frame[column])
        parts.append(base.assign(judgement=judgement, grade=grade, marker=marker))
    return pd.concat(parts, ignore_index=True)


def grades(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Ofsted's grade words on one scale; a judgement not given keeps the reason, and words that are not a
    grade (a report the scraper misread) are kept missing as 'unrecognised' rather than guessed at."""
    folded = text.str.strip().str.lower()
    grade = folded.map(GRADES)
    marker = folded.where(folded.isin(JUDGEMENT_MARKERS)).mask(folded == "", "blank")
    return grade, marker.mask(grade.isna() & marker.isna(), "unrecognised")


def _dates(text: pd.Series, column: str, form: str | None) -> pd.Series:
    cleaned = text.str.strip().str.slice(0, 10 if form is None else None)
    parsed = pd.to_datetime(cleaned.where(cleaned != ""), format=form or "%Y-%m-%d", errors="coerce")
    bad = parsed.isna() & (cleaned != "")
    if bad.any():
        row = int(bad.to_numpy().argmax()) + 2
        raise RefusedFile(f"row {row} of {column} holds {cleaned[bad].iloc[0]!r}, not a date")
    return parsed
