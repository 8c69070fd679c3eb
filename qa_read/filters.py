"""What the reader asked to see, and the pure builder that turns it into a WHERE fragment.

``Filters.where`` returns ``(sql, params)``: column names come only from code (the ``columns``
mapping), every value is a bound ``?`` parameter. Scope is ANDed in after the user's choices,
so a filter can narrow what a scope allows but never widen it.
"""

import re
from dataclasses import dataclass, field

LOGICAL_COLUMNS = ("service_area", "team", "case_type", "cycle", "instrument")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$")


def _as_tuple(values) -> tuple[str, ...]:
    if values is None or isinstance(values, str):
        raise TypeError("expected a sequence of strings, not a single string or None")
    return tuple(values)


@dataclass(frozen=True)
class Scope:
    """What a reader may see. ``None`` on a field means unrestricted; an empty tuple means nothing.

    ``rows`` says whether the reader may see individual records (an audit, an action, a quote) or only
    aggregates; query functions that list records are marked ``qa_read.db.rows_only`` and refuse otherwise.
    """

    service_areas: tuple[str, ...] | None = None
    teams: tuple[str, ...] | None = None
    rows: bool = True

    @property
    def restricted(self) -> bool:
        """Whether the scope limits service areas or teams (``rows`` aside)."""
        return self.service_areas is not None or self.teams is not None

    def __post_init__(self):
        for name in ("service_areas", "teams"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, _as_tuple(value))


@dataclass(frozen=True)
class Filters:
    """Sidebar choices. Empty tuples and ``None`` mean "all"; cycle bounds are inclusive labels."""

    service_areas: tuple[str, ...] = ()
    teams: tuple[str, ...] = ()
    case_types: tuple[str, ...] = ()
    cycle_from: str | None = None
    cycle_to: str | None = None
    instrument: str | None = None
    scope: Scope | None = field(default=None)

    def __post_init__(self):
        # Pages pass lists from multiselects; tuples keep the dataclass hashable for the result cache.
        for name in ("service_areas", "teams", "case_types"):
            object.__setattr__(self, name, _as_tuple(getattr(self, name)))

    @property
    def rows(self) -> bool:
        """Whether the reader may see individual records; pages hide row-level lists when not."""
        return self.scope is None or self.scope.rows

    def where(self, columns: dict[str, str]) -> tuple[str, list]:
        """SQL condition and its parameters for a table whose logical columns are named in ``columns``.

        A filter on a column the table lacks is skipped. A scope restriction on a column the table lacks
        fails closed (``FALSE``): a team-limited reader sees nothing from a table that has no team.
        """
        unknown = set(columns) - set(LOGICAL_COLUMNS)
        if unknown:
            raise ValueError(f"unknown logical columns: {sorted(unknown)}")
        for column in columns.values():
            if not _IDENTIFIER.match(column):
                raise ValueError(f"not a column identifier: {column!r}")
        clauses: list[str] = []
        params: list = []
        for name, values in (
            ("service_area", self.service_areas),
            ("team", self.teams),
            ("case_type", self.case_types),
        ):
            if values and name in columns:
                _add_in(clauses, params, columns[name], values)
        if "cycle" in columns:
            if self.cycle_from is not None:
                clauses.append(f"{columns['cycle']} >= ?")
                params.append(self.cycle_from)
            if self.cycle_to is not None:
                clauses.append(f"{columns['cycle']} <= ?")
                params.append(self.cycle_to)
        if self.instrument is not None and "instrument" in columns:
            clauses.append(f"{columns['instrument']} = ?")
            params.append(self.instrument)
        _add_scope(clauses, params, columns, self.scope)
        return (" AND ".join(clauses) or "TRUE"), params


def _add_in(clauses: list[str], params: list, column: str, values: tuple[str, ...]) -> None:
    if not values:
        clauses.append("FALSE")
        return
    clauses.append(f"{column} IN ({', '.join('?' for _ in values)})")
    params.extend(values)


def _add_scope(clauses: list[str], params: list, columns: dict[str, str], scope: Scope | None) -> None:
    if scope is None:
        return
    for name, allowed in (("service_area", scope.service_areas), ("team", scope.teams)):
        if allowed is None:
            continue
        if name not in columns:
            clauses.append("FALSE")
        else:
            _add_in(clauses, params, columns[name], allowed)


def render(template: str, **fragments: str) -> str:
    """Fill a module's named SQL template with trusted fragments only.

    Fragments are WHERE conditions from ``Filters.where``, CTEs rendered the same way, or identifiers
    checked against an allow-list. Values never pass through here: they are bound as ``?`` parameters,
    so the parameters must be listed in the order their ``?`` appear in the rendered text.
    """
    return template.format(**fragments)


def wheres(f: Filters, **tables: dict[str, str]) -> tuple[dict[str, str], list]:
    """``Filters.where`` for several tables: fragments by name, and all parameters in argument order."""
    fragments, params = {}, []
    for name, columns in tables.items():
        fragments[name], values = f.where(columns)
        params.extend(values)
    return fragments, params
