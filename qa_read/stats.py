"""Small statistics for proportions and rater agreement, honest about tiny and degenerate samples."""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

# Below this many cases a percentage is shown with a warning and blanked in exports.
SMALL_N = 5


def wilson_interval(k, n, z: float = 1.96):
    """Wilson score interval for k successes in n trials; scalars or arrays. NaN where n is 0."""
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        denom = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
        lower = np.where(n > 0, np.clip(centre - half, 0.0, 1.0), np.nan)
        upper = np.where(n > 0, np.clip(centre + half, 0.0, 1.0), np.nan)
    if lower.ndim == 0:
        return float(lower), float(upper)
    return lower, upper


def is_small_n(n, threshold: int = SMALL_N):
    """True where a denominator is under the threshold; a missing denominator counts as small."""
    if np.ndim(n) == 0:
        return bool(pd.isna(n) or n < threshold)
    values = pd.to_numeric(pd.Series(n), errors="coerce")
    return ((values < threshold) | values.isna()).to_numpy(dtype=bool)


def flag_small_n(df: pd.DataFrame, denominator: str = "n", threshold: int = SMALL_N) -> pd.DataFrame:
    """A copy of ``df`` with a boolean ``small_n`` column: denominator under ``threshold`` or missing."""
    out = df.copy()
    out["small_n"] = is_small_n(out[denominator], threshold)
    return out


@dataclass(frozen=True)
class Kappa:
    """Cohen's kappa with the number of paired grades, raw agreement, and why kappa is NaN if it is."""

    kappa: float
    n: int
    observed_agreement: float
    note: str = ""


def cohens_kappa(a: Sequence, b: Sequence, categories: Sequence[str], counts: Sequence[int] | None = None) -> Kappa:
    """Cohen's kappa for two raters grading the same cases. Pairs with a missing grade are dropped. ``counts``, if
    given, says how many cases each pair of grades stands for (a table of pairs rather than a list of cases).

    Kappa is NaN, with a note saying why, when there are no pairs or when both raters used one and the
    same category throughout (chance agreement is then 1 and kappa is 0/0, however perfect it looks).
    """
    index = {c: i for i, c in enumerate(categories)}
    weights = [1] * len(a) if counts is None else counts
    pairs = [(x, y, w) for x, y, w in zip(a, b, weights, strict=True) if not (pd.isna(x) or pd.isna(y))]
    bad = {v for x, y, _ in pairs for v in (x, y) if v not in index}
    if bad:
        raise ValueError(f"grades outside the categories: {sorted(map(str, bad))}")
    table = np.zeros((len(categories), len(categories)))
    for x, y, w in pairs:
        table[index[x], index[y]] += w
    n = int(table.sum())
    if n == 0:
        return Kappa(float("nan"), 0, float("nan"), "no cases graded by both raters")
    observed = np.trace(table) / n
    expected = float(table.sum(axis=1) @ table.sum(axis=0)) / n**2
    if expected == 1.0:
        return Kappa(float("nan"), n, float(observed), "both raters gave every case the same grade; kappa undefined")
    return Kappa(float((observed - expected) / (1 - expected)), n, float(observed))
