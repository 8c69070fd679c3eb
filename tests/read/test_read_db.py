import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import duckdb
import pandas as pd
import pytest

from qa_read import grades
from qa_read.db import ResultCache, Warehouse
from qa_read.filters import Filters
from tests.read.sample import build_file, create_schema

Q1_ONLY = {"B01", "B02", "B03", "B04", "B05"}


def audit_count(wh: Warehouse) -> int:
    return int(wh.query("SELECT count(*) AS n FROM audits")["n"].iloc[0])


@pytest.fixture
def path(tmp_path):
    target = tmp_path / "qa.duckdb"
    build_file(target, Q1_ONLY)
    return target


def publish(path, tmp_path, audit_ids=None):
    """Write a new snapshot beside the live one and swap it in, as the writer does."""
    fresh = tmp_path / "next.duckdb"
    build_file(fresh, audit_ids)
    os.replace(fresh, path)


def test_a_new_snapshot_is_seen_and_earlier_results_stay_intact(path, tmp_path):
    wh = Warehouse(path, check_interval=0)
    before_id = wh.snapshot_id
    before = grades.good_or_better_by_cycle(wh, Filters())
    kept = before.copy()
    assert before["cycle"].tolist() == ["2025/26 Q1"]

    publish(path, tmp_path)

    after = grades.good_or_better_by_cycle(wh, Filters())
    assert wh.snapshot_id != before_id
    assert after["cycle"].tolist() == ["2024/25 Q4", "2025/26 Q1", "2025/26 Q2"]
    pd.testing.assert_frame_equal(before, kept)
    assert audit_count(wh) == 20


def test_a_reader_holding_the_old_connection_is_not_broken(path, tmp_path):
    wh = Warehouse(path, check_interval=0)
    old_con, _ = wh._current()  # what a query in flight holds
    publish(path, tmp_path)
    assert audit_count(wh) == 20
    cur = old_con.cursor()
    cur.execute("USE warehouse")
    assert cur.execute("SELECT count(*) FROM audits").fetchone() == (5,)


def test_stat_is_throttled(path, tmp_path):
    wh = Warehouse(path, check_interval=3600)
    publish(path, tmp_path)
    assert audit_count(wh) == 5


def test_queries_from_many_threads_during_swaps(path, tmp_path):
    wh = Warehouse(path, check_interval=0)

    def read(_):
        return audit_count(wh)

    with ThreadPoolExecutor(max_workers=6) as pool:
        futures = [pool.submit(read, i) for i in range(60)]
        publish(path, tmp_path)
        publish(path, tmp_path, Q1_ONLY)
        counts = {f.result() for f in futures}
    assert counts <= {5, 20}


def test_the_warehouse_is_read_only(path):
    wh = Warehouse(path)
    with pytest.raises(duckdb.Error):
        wh.query("DELETE FROM audits")
    with pytest.raises(duckdb.Error):
        wh.query(f"COPY audits TO '{path.parent / 'leak.csv'}'")


def test_data_as_of(wh, tmp_path):
    assert wh.data_as_of() == pd.Timestamp("2025-09-15 08:30")
    empty = tmp_path / "empty.duckdb"
    con = duckdb.connect(str(empty))
    create_schema(con)
    con.close()
    assert Warehouse(empty).data_as_of() is None


def test_results_are_cached_per_snapshot_and_returned_as_copies(wh):
    f = Filters(teams=("N2",))
    first = grades.grade_distribution(wh, f)
    size = len(wh.cache)
    first.loc[:, "n"] = -1
    second = grades.grade_distribution(wh, f)
    assert len(wh.cache) == size
    assert (second["n"] >= 0).all()


def test_result_cache_is_bounded_lru():
    cache = ResultCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    cache.get("a")
    cache.put("c", 3)
    assert len(cache) == 2
    assert cache.get("a") == 1
    assert cache.get("b") is not 2  # noqa: F632 - evicted, so the miss sentinel comes back


def test_result_cache_is_bounded_by_the_bytes_its_frames_hold():
    frame = pd.DataFrame({"text": ["x" * 100] * 100})
    size = int(frame.memory_usage(index=True, deep=True).sum())
    cache = ResultCache(100, max_bytes=size * 5)
    for key in range(4):
        cache.put(key, frame.copy())
    assert cache.bytes == 4 * size
    cache.put(4, frame.copy())
    cache.put(5, frame.copy())
    assert len(cache) == 5 and cache.bytes == 5 * size
    assert cache.get(0) is not frame and cache.get(1) is not None


def test_a_result_over_a_quarter_of_the_budget_is_served_but_not_kept():
    cache = ResultCache(100, max_bytes=8000)
    big = pd.DataFrame({"text": ["x" * 100] * 100})
    cache.put("big", big)
    assert len(cache) == 0 and cache.bytes == 0
    cache.put("small", 1)
    assert len(cache) == 1 and cache.bytes == 1024


def test_replacing_an_entry_does_not_count_it_twice():
    cache = ResultCache(10, max_bytes=10**6)
    cache.put("a", 1)
    cache.put("a", 2)
    assert (len(cache), cache.bytes, cache.get("a")) == (1, 1024, 2)


def test_sessions_asking_at_once_compute_a_result_once(wh):
    calls = []

    def slow():
        calls.append(1)
        time.sleep(0.3)
        return pd.DataFrame({"x": [1]})

    results = []
    threads = [threading.Thread(target=lambda: results.append(wh.cached(("single-flight",), slow))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1
    assert [r["x"].tolist() for r in results] == [[1]] * 8


def test_a_failed_computation_lets_the_next_caller_try_again(wh):
    def broken():
        raise RuntimeError("no")

    with pytest.raises(RuntimeError):
        wh.cached(("flaky",), broken)
    assert wh.cached(("flaky",), lambda: 2) == 2
