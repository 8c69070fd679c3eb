"""Mapping profiles: TOML files that say which export headings feed which contract columns.

A council whose form words a question differently writes a profile, not code. Headings are compared
folded (case, punctuation, line breaks and spacing ignored), so '3. Voice of the child ' matches
'3 voice of the child'.
"""

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from data_pipeline import settings, vocab
from data_pipeline.fields import FIELDS
from data_pipeline.vocab import fold

BUILT_IN = Path(__file__).parent / "profiles"
KINDS = tuple(FIELDS)


class ProfileError(ValueError):
    pass


@dataclass(frozen=True)
class Profile:
    id: str
    kind: str
    title: str
    key_prefix: str
    detect: tuple[str, ...]
    columns: dict[str, str]
    practice_areas: dict[str, str] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)
    ignore: tuple[str, ...] = ()
    instrument: str | None = None
    scale: str | None = None
    audit_prefix: str | None = None
    grades: dict[str, str] = field(default_factory=dict)
    flags: dict[str, str] = field(default_factory=dict)  # a case list's optional flag columns, by name

    def known(self) -> set[str]:
        headings = [*self.columns.values(), *self.practice_areas.values(), *self.comments.values(), *self.ignore]
        headings += self.flags.values()
        return {fold(h) for h in headings}

    def matches(self, headings: list[str]) -> bool:
        present = {fold(h) for h in headings}
        return all(fold(h) in present for h in self.detect)


def parse(text: str, source: str = "<profile>") -> Profile:
    try:
        raw = tomllib.loads(text)
        profile = Profile(
            id=raw["id"],
            kind=raw["kind"],
            title=raw["title"],
            key_prefix=raw["key_prefix"],
            detect=tuple(raw["detect"]["headings"]),
            columns=dict(raw["columns"]),
            practice_areas=dict(raw.get("practice_areas", {})),
            comments=dict(raw.get("comments", {})),
            ignore=tuple(raw.get("ignore", {}).get("headings", ())),
            instrument=raw.get("instrument"),
            scale=raw.get("scale"),
            audit_prefix=raw.get("audit_prefix"),
            grades=dict(raw.get("grades", {})),
            flags=dict(raw.get("flags", {})),
        )
    except (tomllib.TOMLDecodeError, KeyError, TypeError) as exc:
        raise ProfileError(f"{source}: not a valid mapping profile ({type(exc).__name__}: {exc})") from None
    if profile.kind not in KINDS:
        raise ProfileError(f"{source}: kind {profile.kind!r} is not one of {', '.join(KINDS)}")
    if profile.kind == "audit" and profile.scale not in ("ofsted", "assurance"):
        raise ProfileError(f"{source}: an audit profile needs scale = 'ofsted' or 'assurance'")
    scale = vocab.SCALES.get(profile.scale or "", ())
    wrong = [f"{k} = {v}" for k, v in profile.grades.items() if v not in scale]
    if wrong:
        raise ProfileError(f"{source}: [grades] must map answers onto the {profile.scale} scale, not {wrong[0]}")
    fields = FIELDS[profile.kind]
    unmapped = [name for name, spec in fields.items() if spec.required and name not in profile.columns]
    unknown = [name for name in profile.columns if name not in fields]
    if unmapped or unknown:
        problem = f"must map {', '.join(unmapped)}" if unmapped else f"has no field called {', '.join(unknown)}"
        raise ProfileError(f"{source}: a {profile.kind} profile {problem} (see docs/profiles.md)")
    return profile


def load_all() -> list[Profile]:
    folders = [BUILT_IN, user_dir()]
    profiles = [parse(p.read_text(), str(p)) for d in folders if d.is_dir() for p in sorted(d.glob("*.toml"))]
    ids = [p.id for p in profiles]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ProfileError(f"two mapping profiles share the id {', '.join(duplicates)}")
    return profiles


def user_dir() -> Path:
    """Where councils' own profiles live: QA_PROFILE_DIR, else beside the warehouse, so they travel with it."""
    return Path(settings.get("QA_PROFILE_DIR") or settings.path("QA_WAREHOUSE").parent / "profiles")


def detect(headings: list[str], profiles: list[Profile]) -> Profile | None:
    """The profile whose detection headings are all present; on a tie, the one that knows most headings."""
    present = {fold(h) for h in headings}
    candidates = [p for p in profiles if p.matches(headings)]
    return max(candidates, key=lambda p: len(p.known() & present), default=None)


def unknown_headings(headings: list[str], profile: Profile) -> list[str]:
    known = profile.known()
    return [h for h in headings if fold(h) not in known]
