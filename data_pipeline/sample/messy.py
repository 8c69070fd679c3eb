"""How values look in real exports: typed dates, US Forms timestamps and many spellings of one answer."""

import numpy as np

from . import cycles

OFSTED = ("Outstanding", "Good", "Requires improvement", "Inadequate")
ASSURANCE = ("High", "Medium", "Low")
OFSTED_VARIANTS = (
    ("Exceeds good", "outstanding", "Exceeding good"),
    ("good ", "GOOD", "good"),
    ("RI", "Requires Improvement to be Good", "Requires improvement ", "requires improvement"),
    ("inadequate", "Inadequate ", "INADEQUATE"),
)
ASSURANCE_VARIANTS = (("High assurance", "high"), ("Medium assurance", "medium"), ("Low assurance", "LOW"))
CASE_VARIANTS = {
    "Early Help": ("EH", "Family support", "early help"),
    "Child in need": ("CIN", "Children in need"),
    "Child protection": ("CP", "Child Protection Plan", "CPP"),
    "Child in care": ("LAC", "CLA", "Children in Care", "CiC", "Looked after"),
    "Care leaver": ("Care Leavers", "Leaving care"),
}


def spell(codes: np.ndarray, canon: tuple, variants: tuple, rate: float, rng: np.random.Generator) -> np.ndarray:
    """Label each code (-1 = blank) with its canonical spelling, or a variant on `rate` of rows."""
    out = np.full(len(codes), None, dtype=object)
    varied = rng.random(len(codes)) < rate
    for code, label in enumerate(canon):
        rows = codes == code
        out[rows] = label
        swap = np.flatnonzero(rows & varied)
        out[swap] = np.array(variants[code], dtype=object)[rng.integers(0, len(variants[code]), len(swap))]
    return out


def case_types(canonical: np.ndarray, rate: float, rng: np.random.Generator) -> np.ndarray:
    names = tuple(CASE_VARIANTS)
    codes = np.select([canonical == name for name in names], range(len(names)), -1)
    return spell(codes, names, tuple(CASE_VARIANTS.values()), rate, rng)


def yes_no(flags: np.ndarray, rate: float, rng: np.random.Generator) -> np.ndarray:
    codes = np.where(flags, 0, 1)
    return spell(codes, ("Yes", "No"), (("yes", "YES", "Y"), ("no", "No ", "N")), rate, rng)


def ymd(days: np.ndarray) -> tuple[list, list, list]:
    months = days.astype("M8[M]")
    year = months.astype("M8[Y]").astype(int) + 1970
    return year.tolist(), (months.astype(int) % 12 + 1).tolist(), ((days - months).astype(int) + 1).tolist()


def uk_dates(days: np.ndarray, rng: np.random.Generator, cells: float = 0.05, short: float = 0.07) -> np.ndarray:
    """Typed dates: mostly `dd/mm/yyyy` text, some `d/m/yyyy`, some real Excel date cells; NaT is blank."""
    days = days.astype("M8[D]")
    blank = np.isnat(days)
    safe = np.where(blank, np.datetime64("2000-01-01"), days)
    roll = rng.random(len(days))
    texts = [f"{d}/{m}/{y}" if r < short else f"{d:02d}/{m:02d}/{y}" for y, m, d, r in zip(*ymd(safe), roll.tolist())]
    out = np.array(texts, dtype=object)
    as_cells = np.flatnonzero(roll > 1 - cells)
    out[as_cells] = safe[as_cells].astype(object)
    out[blank] = None
    return out


def plain_dates(days: np.ndarray, rng: np.random.Generator, short: float = 0.07) -> np.ndarray:
    """Dates as a CSV saved from a UK Excel holds them: text only."""
    return uk_dates(days, rng, cells=0.0, short=short)


def us_stamps(stamps: np.ndarray) -> np.ndarray:
    """Microsoft Forms timestamps as text, `m/d/yy H:MM:SS`; NaT is blank."""
    stamps = stamps.astype("M8[s]")
    blank = np.isnat(stamps)
    safe = np.where(blank, np.datetime64("2000-01-01T00:00:00"), stamps)
    days = safe.astype("M8[D]")
    seconds = (safe - days).astype(int).tolist()
    texts = [
        f"{m}/{d}/{y % 100:02d} {s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" for y, m, d, s in zip(*ymd(days), seconds)
    ]
    out = np.array(texts, dtype=object)
    out[blank] = None
    return out


def stamp_cells(stamps: np.ndarray) -> np.ndarray:
    """Timestamps as real Excel datetime cells; NaT is blank."""
    stamps = stamps.astype("M8[s]")
    out = stamps.astype(object)
    out[np.isnat(stamps)] = None
    return out


def cycle_labels(cycle: np.ndarray, rng: np.random.Generator, filled: float = 0.7) -> np.ndarray:
    """`2025/26 Q2` on most filled rows, sometimes `Q2 2025/26` or `2025-26 Q2`; the rest blank."""
    styles = []
    for index in range(cycles.COUNT):
        year, quarter = cycles.label(index).split()
        styles.append((f"{year} {quarter}", f"{quarter} {year}", f"{year.replace('/', '-')} {quarter}"))
    table = np.array(styles, dtype=object)
    style = rng.choice(3, size=len(cycle), p=(0.8, 0.1, 0.1))
    out = table[cycle, style]
    out[rng.random(len(cycle)) >= filled] = None
    return out


def names(labels: np.ndarray, rng: np.random.Generator, rate: float = 0.03) -> np.ndarray:
    """Names typed by hand: the odd one in lower case or with a stray space."""
    out = labels.astype(object).copy()
    roll = rng.random(len(out))
    lower = np.flatnonzero(roll < rate / 2)
    spaced = np.flatnonzero((roll >= rate / 2) & (roll < rate))
    out[lower] = [str(v).lower() for v in out[lower]]
    out[spaced] = [f"{v} " for v in out[spaced]]
    return out
