"""Built figures kept by what they were built from, so a rerun that shows the same numbers reuses them.

Building a figure costs milliseconds even in one constructor call (Plotly validates every property), and a
page draws up to a dozen: most of a rerun that changes nothing else. Figures are kept by a digest of their
arguments: each frame's columns, types and every value (a small frame's values by their repr, a large one's by
pandas' hash), and the plain values (text, numbers and containers of them) by their repr. A call with any other
kind of argument is simply built afresh. Figures are never changed after they are built (pages only pass them
to ``st.plotly_chart``), so one can be shared.
"""

import dataclasses
import functools
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go

MAX_FIGURES = 512
SMALL_FRAME = 2_000  # cells
_PLAIN = (str, int, float, bool, type(None))


class _Unkeyable(Exception):
    pass


class FigureCache:
    """A thread-safe LRU map from argument digests to figures."""

    def __init__(self, max_entries: int = MAX_FIGURES):
        self.max_entries = max_entries
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
            return None

    def put(self, key, value) -> None:
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.max_entries:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


CACHE = FigureCache()


def memoised(fn: Callable[..., go.Figure]) -> Callable[..., go.Figure]:
    """``fn`` (a pure figure builder) with its figures kept in ``CACHE`` by a digest of its arguments."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            key = _digest(fn, args, kwargs)
        except _Unkeyable:
            return fn(*args, **kwargs)
        fig = CACHE.get(key)
        if fig is None:
            fig = fn(*args, **kwargs)
            CACHE.put(key, fig)
        return fig

    return wrapper


def memoised_restyle(fn: Callable[..., go.Figure]) -> Callable[..., go.Figure]:
    """For ``fn(fig, ...)`` restyling a figure: kept by the figure's identity, which is safe because the entry
    holds the figure itself, so its id cannot be reused by another while the entry lives."""

    @functools.wraps(fn)
    def wrapper(fig: go.Figure, *args, **kwargs):
        try:
            key = (fn.__module__, fn.__qualname__, id(fig), _digest(fn, args, kwargs))
        except _Unkeyable:
            return fn(fig, *args, **kwargs)
        hit = CACHE.get(key)
        if hit is not None and hit[0] is fig:
            return hit[1]
        restyled = fn(fig, *args, **kwargs)
        CACHE.put(key, (fig, restyled))
        return restyled

    return wrapper


def _digest(fn: Callable, args: tuple, kwargs: dict) -> str:
    digest = hashlib.blake2b(f"{fn.__module__}.{fn.__qualname__}".encode(), digest_size=20)
    for value in (*args, *sorted(kwargs.items())):
        _feed(digest, value)
    return digest.hexdigest()


def _feed(digest, value) -> None:
    if isinstance(value, pd.DataFrame | pd.Series):
        frame = value.to_frame() if isinstance(value, pd.Series) else value
        digest.update(repr((type(value).__name__, list(frame.columns), [str(t) for t in frame.dtypes])).encode())
        if frame.size <= SMALL_FRAME:  # a chart's few dozen rows: their values' reprs hash several times faster
            digest.update(repr(list(frame.itertuples(name=None))).encode())
            return
        try:
            digest.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
        except TypeError as exc:  # unhashable cells, such as lists
            raise _Unkeyable from exc
    elif isinstance(value, _PLAIN):
        digest.update(f"{type(value).__name__}:{value!r};".encode())
    elif isinstance(value, tuple | list):
        digest.update(f"{type(value).__name__}[{len(value)}]".encode())
        for item in value:
            _feed(digest, item)
    elif isinstance(value, dict):
        digest.update(f"dict[{len(value)}]".encode())
        for key, item in value.items():
            _feed(digest, key)
            _feed(digest, item)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        digest.update(type(value).__qualname__.encode())
        _feed(digest, [getattr(value, f.name) for f in dataclasses.fields(value)])
    else:
        raise _Unkeyable(type(value).__name__)
