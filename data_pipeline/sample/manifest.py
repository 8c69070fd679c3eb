"""MANIFEST.json: what each written file holds, and exactly which rows are deliberately bad."""

import json
import re
from pathlib import Path

import numpy as np

from . import cycles
from .forms import Sheet


def entry(sheet: Sheet, start: int, stop: int) -> dict:
    bad = sheet.bad[start:stop] if sheet.bad is not None else np.full(stop - start, "", dtype=object)
    if sheet.id_heading:
        ids = np.array([int(i) for i in sheet.columns[sheet.id_heading][start:stop]], dtype=int)
    else:
        ids = np.arange(start + 1, stop + 1)
    kinds = sorted(set(bad.tolist()) - {""})
    out = {"profile": sheet.profile, "rows": stop - start}
    if len(ids):
        out.update(first_id=int(ids[0]), last_id=int(ids[-1]))
    out["bad_rows"] = {kind: int((bad == kind).sum()) for kind in kinds}
    out["bad_ids"] = {kind: ids[bad == kind].tolist() for kind in kinds}
    return out


def write(path: Path, files: dict[str, dict], audits: int, seed: int) -> None:
    body = {
        "generator": "data_pipeline.sample",
        "seed": seed,
        "audits": audits,
        "export_day": str(cycles.EXPORT_DAY),
        "files": files,
    }
    text = json.dumps(body, indent=2)
    text = re.sub(r"\[[\d,\s]*\]", lambda ids: json.dumps(json.loads(ids.group())), text)  # ids on one line
    path.write_text(text + "\n", encoding="utf-8", newline="\n")
