"""Mapping profiles: TOML files that say which export headings feed which contract columns.

A council whose form words a question differently writes a profile, not code. A profile heading names
the identical export heading, else the one that folds alike (see ``headings``), so '3. Voice of the
child ' matches '3 voice of the child'.
"""

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from data_pipeline import dates, settings, vocab
from data_pipeline.fields import FIELDS
from data_pipeline.headings import find, is_quiz, present

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
    answers: dict[str, str] = field(default_factory=dict)
    date_order: str | None = None
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # [values.<field>]: own words -> labels
    flags: dict[str, str] = field(default_factory=dict)  # a case list's optional flag columns, by name

    def wanted(self) -> list[str]:
        """Every heading the profile names, loaded or ignored."""
        named = [*self.columns.values(), *self.practice_areas.values(), *self.comments.values(), *self.ignore]
        return [*named, *self.flags.values()]

    def matches(self, headings: list[str]) -> bool:
        return all(present(wanted, headings) for wanted in self.detect)

    def resolve(self, headings: list[str]) -> dict[str, str | None]:
        """Each heading the profile names -> the export heading it names (None: absent). Raises
        ``HeadingError`` where folding alone cannot tell two export headings apart."""
        return {wanted: find(wanted, headings) for wanted in self.wanted()}


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
            answers=dict(raw.get("answers", {})),
            date_order=raw.get("date_order"),
            values={name: dict(table) for name, table in raw.get("values", {}).items()},
            flags=dict(raw.get("flags", {})),
        )
    except (tomllib.TOMLDecodeError, KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ProfileError(f"{source}: not a valid mapping profile ({type(exc).__name__}: {exc})") from None
    if profile.kind not in KINDS:
        raise ProfileError(f"{source}: kind {profile.kind!r} is not one of {', '.join(KINDS)}")
    if profile.kind == "audit" and profile.scale not in ("ofsted", "assurance"):
        raise ProfileError(f"{source}: an audit profile needs scale = 'ofsted' or 'assurance'")
    scale = vocab.SCALES.get(profile.scale or "", ())
    wrong = [f"{k} = {v}" for k, v in profile.grades.items() if v not in scale]
    if wrong:
        raise ProfileError(f"{source}: [grades] must map answers onto the {profile.scale} scale, not {wrong[0]}")
    wrong = [f"{k} = {v}" for k, v in profile.answers.items() if v not in vocab.ANSWERS]
    if wrong:
        raise ProfileError(f"{source}: [answers] must map answers onto Yes, Partly or No, not {wrong[0]}")
    if profile.date_order not in (None, *dates.ORDERS):
        raise ProfileError(f"{source}: date_order must be 'day-first' or 'month-first', not {profile.date_order!r}")
    fields = FIELDS[profile.kind]
    for name, table in profile.values.items():
        _check_values(source, profile.kind, name, table)
    unmapped = [name for name, spec in fields.items() if spec.required and name not in profile.columns]
    unknown = [name for name in profile.columns if name not in fields]
    if unmapped or unknown:
        problem = f"must map {', '.join(unmapped)}" if unmapped else f"has no field called {', '.join(unknown)}"
        raise ProfileError(f"{source}: a {profile.kind} profile {problem} (see docs/profiles.md)")
    return profile


# Fields whose answers other tables map: [values.<field>] for them would be a second way to say one thing.
MAPPED_ELSEWHERE = {"grade": "[grades]", "yes_no": "[answers]", "agrees": "[answers]"}


def _check_values(source: str, kind: str, name: str, table: dict) -> None:
    """A ``[values.<field>]`` table names a field of the kind read from a vocabulary, and maps each answer
    onto one of its labels."""
    spec = FIELDS[kind].get(name)
    if spec is None:
        raise ProfileError(f"{source}: [values.{name}]: {kind} profiles have no field called {name}")
    if spec.normaliser in MAPPED_ELSEWHERE:
        where = MAPPED_ELSEWHERE[spec.normaliser]
        raise ProfileError(f"{source}: [values.{name}]: the answers of {name} are mapped in {where}")
    if spec.normaliser not in vocab.VOCABULARIES:
        raise ProfileError(f"{source}: [values.{name}]: {name} is not read from a list of values, so has none to map")
    labels = vocab.VOCABULARIES[spec.normaliser].labels
    wrong = [f"{k!r} = {v!r}" for k, v in table.items() if not isinstance(v, str) or v not in labels]
    if wrong:
        raise ProfileError(f"{source}: [values.{name}] must map answers onto {', '.join(labels)}, not {wrong[0]}")


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
    """The profile whose detection headings are all present; on a tie, the one that names most headings."""
    candidates = [p for p in profiles if p.matches(headings)]
    return max(candidates, key=lambda p: sum(present(w, headings) for w in p.wanted()), default=None)


def unknown_headings(headings: list[str], used: set[str]) -> list[str]:
    """Export headings the profile does not name, less the quiz columns Forms adds (reported apart)."""
    return [heading for heading in headings if heading not in used and not is_quiz(heading)]
