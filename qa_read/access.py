"""Who may see what: the roles file (``QA_ACCESS_FILE``) read, and a signed-in person resolved to an ``Access``.

No Streamlit here. The file maps people (by their Entra ID object ID, the token's ``oid`` claim, or by e-mail)
and Microsoft Entra ID groups (by object ID, from the token's ``groups`` claim) to a role and a scope; see
docs/access.md and docs/access.example.toml.

Resolution is deterministic: a rule naming the person's object ID wins, then one naming their e-mail (which can
change, and be given to someone else, so the object ID is preferred); otherwise the first
group rule in the file whose group the person is in. First-listed, not most permissive: a scope is never
combined from several rules (a team in one and a service area in another have no single meaning), and joining
one more group can never widen what someone sees by accident. List narrower group rules first. Anyone no rule
names has no access at all.
"""

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from qa_read.filters import Scope

ROLES = ("head_of_service", "service_manager", "team_manager", "analyst", "viewer")
ROLE_LABELS = {
    "head_of_service": "Head of service",
    "service_manager": "Service manager",
    "team_manager": "Team manager",
    "analyst": "Analyst",
    "viewer": "Viewer",
}
# Which scope keys each role takes: (required, allowed).
_SCOPE_KEYS = {
    "head_of_service": ((), ("service_areas",)),
    "service_manager": (("service_areas",), ("service_areas",)),
    "team_manager": (("teams",), ("teams",)),
    "analyst": ((), ()),
    "viewer": ((), ("service_areas", "teams")),
}
_RULE_KEYS = {"user": {"oid", "email", "role", "name"}, "group": {"id", "role", "name"}}


class AccessConfigError(ValueError):
    """The roles file cannot be used; the message says where and why, and names no person."""


@dataclass(frozen=True)
class Access:
    """What one person may do: their role, the scope every query is limited to, and the rule that said so."""

    email: str
    role: str
    scope: Scope
    rule: str  # "user rule 2", "group rule 1 (QA heads of service)", "local mode"

    @property
    def rows(self) -> bool:
        """May see individual records (lists, drill-downs, row downloads), not only aggregates."""
        return self.scope.rows

    @property
    def can_manage_data(self) -> bool:
        """May load exports, map new forms, and read the data quality and access trail pages."""
        return self.role == "analyst"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self.role]


@dataclass(frozen=True)
class Rule:
    role: str
    scope: Scope
    name: str


@dataclass(frozen=True)
class AccessConfig:
    users: dict[str, tuple[int, Rule]]  # lower-cased e-mail -> (rule number, rule)
    oids: dict[str, tuple[int, Rule]]  # lower-cased object ID -> (rule number, rule)
    groups: tuple[tuple[str, int, Rule], ...]  # (group object ID, rule number, rule), in file order


def normalise_email(email) -> str:
    return str(email or "").strip().lower()


def normalise_oid(oid) -> str:
    return str(oid or "").strip().lower()


_OID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def scope_for(role: str, service_areas=None, teams=None) -> Scope:
    """The scope a role gives: areas or teams where the role takes them, and no row-level data for viewers."""
    return Scope(service_areas=service_areas, teams=teams, rows=role != "viewer")


def _rule(raw: dict, kind: str, number: int) -> Rule:
    where = f"{kind} rule {number}"
    if not isinstance(raw, dict):
        raise AccessConfigError(f"{where}: expected a table of settings")
    role = raw.get("role")
    if role not in ROLES:
        raise AccessConfigError(f"{where}: role must be one of {', '.join(ROLES)}, not {role!r}")
    required, allowed = _SCOPE_KEYS[role]
    unknown = set(raw) - _RULE_KEYS[kind] - set(allowed)
    if unknown:
        extra = sorted(unknown)[0]
        hint = f"a {role} takes {' or '.join(allowed)}" if allowed else f"an {role} sees everything"
        raise AccessConfigError(f"{where}: '{extra}' is not used here ({hint})")
    scope = {}
    for key in allowed:
        if key not in raw:
            if key in required:
                raise AccessConfigError(f"{where}: a {role} needs {key}, a list of names")
            continue
        values = raw[key]
        if not isinstance(values, list) or not values or not all(isinstance(v, str) and v.strip() for v in values):
            raise AccessConfigError(f"{where}: {key} must be a non-empty list of names")
        scope[key] = tuple(v.strip() for v in values)
    name = raw.get("name", "")
    if not isinstance(name, str):
        raise AccessConfigError(f"{where}: name must be text")
    return Rule(role, scope_for(role, **scope), name)


def parse(text: str) -> AccessConfig:
    """The roles file's text checked and read; raises ``AccessConfigError`` on anything doubtful."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise AccessConfigError(f"not valid TOML ({exc})") from None
    unknown = set(raw) - {"users", "groups"}
    if unknown:
        raise AccessConfigError(f"unknown section '{sorted(unknown)[0]}': use [[users]] and [[groups]]")
    users: dict[str, tuple[int, Rule]] = {}
    oids: dict[str, tuple[int, Rule]] = {}
    for number, entry in enumerate(raw.get("users", []), start=1):
        rule = _rule(entry, "user", number)
        email, oid = normalise_email(entry.get("email")), normalise_oid(entry.get("oid"))
        if not email and not oid:
            raise AccessConfigError(f"user rule {number}: name the person by oid (their object ID) or email")
        if email and "@" not in email:
            raise AccessConfigError(f"user rule {number}: email must be an e-mail address")
        if oid and not _OID.fullmatch(oid):
            raise AccessConfigError(f"user rule {number}: oid must be an object ID (8-4-4-4-12 hexadecimal digits)")
        for key, named, what in ((email, users, "e-mail"), (oid, oids, "oid")):
            if key and key in named:
                raise AccessConfigError(f"user rule {number}: the same {what} as user rule {named[key][0]}")
            if key:
                named[key] = (number, rule)
    groups: list[tuple[str, int, Rule]] = []
    seen: dict[str, int] = {}
    for number, entry in enumerate(raw.get("groups", []), start=1):
        rule = _rule(entry, "group", number)
        group = str(entry.get("id", "")).strip().lower()
        if not group:
            raise AccessConfigError(f"group rule {number}: id must be the group's object ID")
        if group in seen:
            raise AccessConfigError(f"group rule {number}: the same id as group rule {seen[group]}")
        seen[group] = number
        groups.append((group, number, rule))
    return AccessConfig(users, oids, tuple(groups))


def load(path: str | Path) -> AccessConfig:
    """``parse`` of the file at ``path``; a missing or unreadable file is an ``AccessConfigError`` too."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise AccessConfigError(f"cannot read the roles file {path} ({exc.strerror or exc})") from None
    try:
        return parse(text)
    except AccessConfigError as exc:
        raise AccessConfigError(f"{path}: {exc}") from None


def resolve(config: AccessConfig, email, groups=(), oid=None) -> Access | None:
    """The access of the person with this object ID, e-mail and group object IDs, or None: no rule names them.
    ``email`` is who the trail names (the object ID when the sign-in gives no e-mail)."""
    email, oid = normalise_email(email), normalise_oid(oid)
    if oid and oid in config.oids:
        number, rule = config.oids[oid]
        return Access(email or oid, rule.role, rule.scope, f"user rule {number}")
    if not email:
        return None
    if email in config.users:
        number, rule = config.users[email]
        return Access(email, rule.role, rule.scope, f"user rule {number}")
    if isinstance(groups, str):
        groups = [groups]
    member_of = {str(g).strip().lower() for g in groups or ()}
    for group, number, rule in config.groups:
        if group in member_of:
            named = f" ({rule.name})" if rule.name else ""
            return Access(email, rule.role, rule.scope, f"group rule {number}{named}")
    return None
