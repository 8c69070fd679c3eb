"""Load published reference files into the warehouse: recognise, read, replace the publication's rows.

One code path for the command line and the first run. Each file is its own transaction inside one draft
snapshot; a file that cannot be loaded is reported in one line and changes nothing. A file replaces every row
of its publication, so next year's release (same columns, one more year) takes the place of this year's.
"""

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from data_pipeline import settings, warehouse
from data_pipeline.reference import readers
from data_pipeline.reference.layouts import Layout, nearest, recognise
from data_pipeline.reference.readers import RefusedFile

TABLES = warehouse.CARRIED_OVER
SUFFIXES = (".csv", ".ods")
# What identifies a row of each table; a file repeating one is refused (the large tables declare no key).
KEYS = {
    "reference_figures": ["area_code", "period", "measure"],
    "reference_inspections": ["inspection_id", "judgement"],
    "reference_neighbours": ["la_code", "position"],
    "reference_areas": ["la_code", "ons_code"],
}
# Codes and lookups first: inspections are matched to councils through them.
ORDER = {"areas": 0, "ees": 1, "neighbours": 2, "ofsted_ods": 3, "ilacs_scrape": 3}
RESOLVE_CODES = """
UPDATE reference_inspections i SET la_code = a.la_code, ons_code = a.ons_code
FROM (SELECT DISTINCT ofsted_urn, la_code, ons_code FROM reference_areas WHERE ofsted_urn IS NOT NULL) a
WHERE i.ofsted_urn = a.ofsted_urn;
UPDATE reference_inspections i SET la_code = a.la_code
FROM (SELECT ons_code, any_value(la_code) AS la_code FROM reference_areas
      GROUP BY ons_code HAVING count(DISTINCT la_code) = 1) a
WHERE i.ofsted_urn IS NULL AND i.ons_code = a.ons_code;
"""


@dataclass
class Loaded:
    file_name: str
    publication: str = ""
    title: str = ""
    rows_read: int = 0
    rows_skipped: int = 0  # lines with no LA code in a neighbour model: blank lines and its notes
    records: int = 0
    periods: str = ""
    error: str | None = None


def load(files: list[tuple[str, bytes]], db: Path | None = None) -> list[Loaded]:
    """Load ``(file name, content)`` pairs into the warehouse at ``db``; what became of each, in the given order."""
    db = db or settings.path("QA_WAREHOUSE")
    parsed = [_parse(name, content) for name, content in files]
    results = [result for result, _ in parsed]
    ready = sorted((p for p in parsed if p[0].error is None), key=lambda p: ORDER[p[1]["layout"].kind])
    if not ready:
        return results
    with warehouse.draft(db, float(settings.get("QA_LOCK_TIMEOUT"))) as draft:
        draft.con.execute(warehouse.REFERENCE_SCHEMA.read_text())
        for result, parsed_file in ready:
            _write(draft.con, result, parsed_file)
        draft.con.execute(RESOLVE_CODES)
        draft.changed = True
    return results


def load_folder(folder: Path, db: Path | None = None) -> list[Loaded]:
    """Every publication in a folder (the shipped ``reference_data/`` on a first run)."""
    paths = sorted(p for p in folder.iterdir() if p.suffix.lower() in SUFFIXES)
    return load([(p.name, p.read_bytes()) for p in paths], db)


def _parse(name: str, content: bytes) -> tuple[Loaded, dict]:
    result = Loaded(file_name=name)
    try:
        if Path(name).suffix.lower() not in SUFFIXES:
            raise RefusedFile("reference files are .csv or .ods")
        table = readers.read_table(content, name)
        layout = recognise(list(table.columns))
        if layout is None:
            raise RefusedFile(_unrecognised(list(table.columns)))
        frames = _frames(table, layout, content)
    except RefusedFile as exc:
        result.error = f"{name}: {exc}"
        return result, {}
    result.publication, result.title, result.rows_read = layout.publication, layout.title, len(table)
    result.rows_skipped = frames.pop("skipped", 0)
    result.records = sum(len(f) for f in frames.values() if isinstance(f, pd.DataFrame))
    for table, frame in frames.items():
        if table in KEYS and frame[KEYS[table]].duplicated().any():
            twice = frame.loc[frame[KEYS[table]].duplicated(), KEYS[table]].iloc[0]
            result.error = f"{name}: it gives the same {', '.join(KEYS[table])} twice: {', '.join(map(str, twice))}"
            return result, {}
    return result, {"layout": layout, "frames": frames, "sha256": hashlib.sha256(content).hexdigest()}


def _unrecognised(columns: list[str]) -> str:
    layout, missing, extra = nearest(columns)
    differences = [f"lacks {', '.join(missing[:3])}" if missing else ""]
    differences.append(f"adds {', '.join(extra[:3])}" if extra else "")
    return (
        f"its columns match no known publication; nearest is {layout.title} ({layout.publication}), "
        f"but it {' and '.join(d for d in differences if d)}"
    )


def _frames(table: pd.DataFrame, layout: Layout, content: bytes) -> dict:
    if layout.kind == "ees":
        periods = sorted(set(table["time_period"]))
        return {
            "reference_figures": readers.figures(table, layout),
            "reference_areas": readers.areas(table, layout),
            "periods": periods,
        }
    if layout.kind == "areas":
        return {"reference_areas": readers.areas(table, layout)}
    if layout.kind == "neighbours":
        coded = table[table.iloc[:, 0].str.strip() != ""]
        return {"reference_neighbours": readers.neighbours(coded, layout), "skipped": len(table) - len(coded)}
    if layout.kind == "ofsted_ods":
        inspections = readers.ofsted_inspections(table, layout)
        return {"reference_inspections": inspections, "published": readers.ods_published(content)}
    return {"reference_inspections": readers.scraped_inspections(table, layout)}


def _write(con, result: Loaded, parsed: dict) -> None:
    layout, frames = parsed["layout"], parsed["frames"]
    con.execute("BEGIN TRANSACTION")
    try:
        for table in TABLES:
            con.execute(f"DELETE FROM {table} WHERE publication = ?", [layout.publication])  # noqa: S608 -- constant
        for table, frame in frames.items():
            if table.startswith("reference_"):
                _insert(con, table, frame)
        periods = frames.get("periods") or _periods(frames)
        result.periods = f"{periods[0]}-{periods[-1]}" if len(periods) > 1 else "".join(periods)
        con.execute(
            "INSERT INTO reference_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [layout.publication, layout.title, layout.publisher, frames.get("published"), result.periods,
             result.file_name, parsed["sha256"], result.rows_read, result.rows_skipped, result.records,
             dt.datetime.now()],
        )  # fmt: skip
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def _insert(con, table: str, frame: pd.DataFrame) -> None:
    columns = [d[0] for d in con.execute(f"SELECT * FROM {table} LIMIT 0").description]  # noqa: S608 -- constant
    con.register("incoming", frame[columns])
    try:
        con.execute(f"INSERT INTO {table} SELECT * FROM incoming")  # noqa: S608 -- constant
    finally:
        con.unregister("incoming")


def _periods(frames: dict) -> list[str]:
    inspections = frames.get("reference_inspections")
    if inspections is None:
        return []
    dates = inspections["published"].dropna()
    return [] if dates.empty else sorted({str(dates.min().year), str(dates.max().year)})
