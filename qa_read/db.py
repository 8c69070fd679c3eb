"""The one module that owns warehouse connections and the result cache.

The writer publishes a snapshot by writing a new file and ``os.replace``-ing it over the path.
``Warehouse`` notices (a throttled ``os.stat``) and opens the new file; a query already running on
the old connection keeps its own reference, so the old file stays readable until it finishes.

Each snapshot is ATTACHed read-only inside a private in-memory DuckDB rather than opened with
``duckdb.connect(path)``: DuckDB caches database instances by path within a process, so connecting
to the same path again would silently hand back the old, replaced file.
"""

import functools
import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path

import duckdb
import pandas as pd

log = logging.getLogger(__name__)

_ALIAS = "warehouse"
# Rows a list of records returns at most: more than anyone reads on a page, few enough to keep pages quick
# and memory bounded at national scale. Lists say when they stop short; narrowing the filters shows the rest.
LIST_ROWS = 5_000
_MISS = object()


class ResultCache:
    """A thread-safe LRU map from keys to results, bounded by entries and by the bytes its frames hold.

    A result bigger than a quarter of the byte budget is returned but not kept: one long list must not push
    out the many small aggregates every page needs.
    """

    def __init__(self, max_entries: int = 256, max_bytes: int = 256 * 2**20):
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.bytes = 0
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable):
        """The stored value, or the module's ``_MISS`` sentinel (a cached ``None`` is a real answer)."""
        with self._lock:
            if key not in self._items:
                return _MISS
            self._items.move_to_end(key)
            return self._items[key][0]

    def put(self, key: Hashable, value) -> None:
        size = _size(value)
        if size > self.max_bytes // 4:
            return
        with self._lock:
            if key in self._items:
                self.bytes -= self._items.pop(key)[1]
            self._items[key] = (value, size)
            self.bytes += size
            while len(self._items) > self.max_entries or self.bytes > self.max_bytes:
                self.bytes -= self._items.popitem(last=False)[1][1]

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.bytes = 0

    def __len__(self) -> int:
        return len(self._items)


def _size(value) -> int:
    """Bytes a result holds: exact for frames (Arrow-backed text is cheap to measure), nominal otherwise."""
    if isinstance(value, pd.DataFrame):
        return int(value.memory_usage(index=True, deep=True).sum())
    return 1024


def _open_snapshot(path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    con.execute(f"ATTACH ? AS {_ALIAS} (READ_ONLY)", [str(path)])
    # Queries are ours, but a reader has no business touching other files.
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


def _stat_id(path: Path) -> str:
    st = os.stat(path)
    return f"{st.st_ino}-{st.st_mtime_ns}-{st.st_size}"


class Warehouse:
    """Read-only access to the current warehouse snapshot, with a per-snapshot result cache."""

    def __init__(
        self, path: str | os.PathLike, *, check_interval: float = 0.5, cache_size: int = 256, cache_mb: float = 256
    ):
        self.path = Path(path)
        self.check_interval = check_interval
        self.cache = ResultCache(cache_size, int(cache_mb * 2**20))
        self._lock = threading.Lock()
        self._inflight: dict[tuple, threading.Lock] = {}
        self._snapshot_id = _stat_id(self.path)
        self._con = _open_snapshot(self.path)
        self._use = f"USE {_ALIAS}"
        self._checked_at = time.monotonic()

    @classmethod
    def in_memory(cls, con: duckdb.DuckDBPyConnection) -> "Warehouse":
        """Wrap an existing connection (tests). It never reloads: call ``cache.clear()`` after writing."""
        wh = cls.__new__(cls)
        wh.path = None
        wh.check_interval = float("inf")
        wh.cache = ResultCache()
        wh._lock = threading.Lock()
        wh._inflight = {}
        wh._snapshot_id = f"memory-{id(con)}"
        wh._con = con
        wh._use = None
        wh._checked_at = time.monotonic()
        return wh

    @property
    def snapshot_id(self) -> str:
        return self._current()[1]

    def _current(self) -> tuple[duckdb.DuckDBPyConnection, str]:
        with self._lock:
            if self.path is not None and time.monotonic() - self._checked_at >= self.check_interval:
                self._checked_at = time.monotonic()
                self._reopen_if_replaced()
            return self._con, self._snapshot_id

    def _reopen_if_replaced(self) -> None:
        try:
            snapshot_id = _stat_id(self.path)
            if snapshot_id == self._snapshot_id:
                return
            con = _open_snapshot(self.path)
        except (OSError, duckdb.Error) as exc:
            log.warning("keeping snapshot %s: cannot open %s: %s", self._snapshot_id, self.path, exc)
            return
        # The old connection is not closed: a query running on it holds a reference and finishes normally.
        self._con, self._snapshot_id = con, snapshot_id
        log.info("opened warehouse snapshot %s", snapshot_id)

    def query(self, sql: str, params: list | tuple = ()) -> pd.DataFrame:
        """Run one read query on a fresh cursor and fetch the whole result."""
        con, _ = self._current()
        with self._lock:  # creating cursors on a shared connection is not documented as thread-safe
            cur = con.cursor()
        try:
            if self._use:
                cur.execute(self._use)
            return cur.execute(sql, list(params)).df()
        finally:
            cur.close()

    def cached(self, key: tuple, compute: Callable[[], object]):
        """Return the cached result for ``key`` on the current snapshot, computing it once on a miss."""
        # The snapshot id is read before computing: a result can only be filed under an id at least as
        # old as the data it came from, and old ids are never asked for again.
        full_key = (self.snapshot_id, *key)
        hit = self.cache.get(full_key)
        if hit is _MISS:
            hit = self._compute_once(full_key, compute)
        # Copy-on-write (pandas 3) makes a shallow copy safe: a caller changing it copies what it changes.
        return hit.copy(deep=False) if isinstance(hit, pd.DataFrame) else hit

    def _compute_once(self, full_key: tuple, compute: Callable[[], object]):
        """Compute a missing result once however many sessions ask at the same moment (after a new snapshot
        every session misses at once): the first computes, the others wait for its result."""
        with self._lock:
            flight = self._inflight.setdefault(full_key, threading.Lock())
        with flight:
            hit = self.cache.get(full_key)
            if hit is _MISS:
                try:
                    hit = compute()
                    self.cache.put(full_key, hit)
                finally:
                    with self._lock:
                        self._inflight.pop(full_key, None)
            return hit

    def data_as_of(self) -> pd.Timestamp | None:
        """When the last ingest finished, or None for an empty warehouse."""

        def compute():
            value = self.query("SELECT max(finished) AS finished FROM ingest_log")["finished"].iloc[0]
            return None if pd.isna(value) else pd.Timestamp(value)

        return self.cached(("data_as_of",), compute)


def cached(fn: Callable) -> Callable:
    """Cache a query function ``fn(wh, f, *args, **kwargs)`` by snapshot, name, filters and arguments."""

    @functools.wraps(fn)
    def wrapper(wh: Warehouse, f, *args, **kwargs):
        key = (f"{fn.__module__}.{fn.__qualname__}", f, args, tuple(sorted(kwargs.items())))
        return wh.cached(key, lambda: fn(wh, f, *args, **kwargs))

    return wrapper


def rows_only(fn: Callable) -> Callable:
    """Mark a query ``fn(wh, f, ...)`` that returns individual records (an audit, an action, a quote, a keyed
    person): it raises ``PermissionError`` for a reader whose scope allows aggregates only (``Scope.rows``).

    Put it above ``@cached`` so the check runs before the cache is asked. Pages hide these lists from such
    readers too, but this is where it is enforced.
    """

    @functools.wraps(fn)
    def wrapper(wh: Warehouse, f, *args, **kwargs):
        if f.scope is not None and not f.scope.rows:
            raise PermissionError(f"{fn.__name__} lists individual records; this reader may see aggregates only")
        return fn(wh, f, *args, **kwargs)

    wrapper.row_level = True
    return wrapper


def whole_warehouse(fn: Callable) -> Callable:
    """Mark a query ``fn(wh, f, ...)`` over tables with no service area or team (the load history, rejected rows):
    it cannot honour a scope, so it raises ``PermissionError`` for a reader limited to some areas or teams.
    """

    @functools.wraps(fn)
    def wrapper(wh: Warehouse, f, *args, **kwargs):
        if f.scope is not None and f.scope.restricted:
            raise PermissionError(f"{fn.__name__} reads the whole warehouse; this reader is limited to a scope")
        # The sidebar's choices do not apply, so every choice shares one cached result.
        return fn(wh, type(f)(scope=f.scope), *args, **kwargs)

    wrapper.whole_warehouse = True
    return wrapper
