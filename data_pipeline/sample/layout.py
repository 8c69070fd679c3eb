"""Which headings each export carries, in what order: read from the pipeline's own mapping profiles."""

import tomllib
from pathlib import Path

from .forms import FORMS_METADATA

PROFILES = Path(__file__).resolve().parent.parent / "profiles"


def load(profile_id: str) -> dict:
    with open(PROFILES / f"{profile_id}.toml", "rb") as handle:
        return tomllib.load(handle)


def headings(profile_id: str) -> dict[str, str]:
    """Field -> heading: [columns] keys as they are, practice areas by name, comments as `comments.<key>`."""
    profile = load(profile_id)
    out = {name: name for name in FORMS_METADATA}
    out.update(profile.get("columns", {}))
    out.update(profile.get("practice_areas", {}))
    out.update({f"comments.{key}": heading for key, heading in profile.get("comments", {}).items()})
    return out


def practice_areas(profile_id: str) -> list[str]:
    return list(load(profile_id).get("practice_areas", {}))


def lay_out(profile_id: str, order: list[str], fields: dict) -> dict:
    """Heading -> cells, in form order; a field the profile does not know is an error."""
    names = headings(profile_id)
    return {names[field]: fields[field] for field in order}
