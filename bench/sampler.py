"""A small stack sampler (stdlib only): where the threads of this process spend a page run.

cProfile sees only the thread that starts it, and AppTest runs the page script in a thread of its own,
so this samples every thread's stack every few milliseconds instead. A function's inclusive share is
the fraction of samples in which it was on a stack; its own share, the fraction in which it was the
innermost frame.
"""

import sys
import threading
import time
from collections import Counter
from pathlib import Path

from bench.common import ROOT

OURS = ("pages/", "ui/", "qa_read/", "data_pipeline/")


class Sampler:
    def __init__(self, interval: float = 0.005):
        self.interval = interval
        self.samples = 0
        self.inclusive: Counter = Counter()
        self.own: Counter = Counter()
        self._running = False
        self._thread: threading.Thread | None = None
        self._caller: int | None = None

    def __enter__(self) -> "Sampler":
        self._caller = threading.get_ident()  # the harness, which only waits for the script thread
        self._running = True
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._running = False
        self._thread.join()

    def _loop(self) -> None:
        skip = {threading.get_ident(), self._caller}
        while self._running:
            for ident, frame in sys._current_frames().items():
                if ident in skip or not _busy(frame):
                    continue
                self.samples += 1
                seen = set()
                self.own[_label(frame)] += 1
                while frame is not None:
                    seen.add(_label(frame))
                    frame = frame.f_back
                self.inclusive.update(seen)
            time.sleep(self.interval)

    def top(self, count: int = 12) -> dict[str, list[tuple[str, float]]]:
        """Our functions by inclusive share, and any functions by own share."""
        total = max(self.samples, 1)
        ours = [(k, v / total) for k, v in self.inclusive.most_common() if k.startswith(OURS)][:count]
        own = [(k, v / total) for k, v in self.own.most_common(count)]
        return {"ours": ours, "own": own}


def _busy(frame) -> bool:
    """Skip threads parked in a wait (idle pool workers, the test harness waiting for the script)."""
    return frame.f_code.co_name not in ("wait", "select", "_wait_for_tstate_lock", "accept", "poll", "sleep")


def _label(frame) -> str:
    path = frame.f_code.co_filename
    if path.startswith(str(ROOT)) and ".venv" not in path:
        path = str(Path(path).relative_to(ROOT))
    elif "site-packages/" in path:
        path = path.split("site-packages/", 1)[1]
    return f"{path}:{frame.f_code.co_name}"
