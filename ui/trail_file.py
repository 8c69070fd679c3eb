"""Where the dashboard's access trail is kept and how one entry is written, without Streamlit: ``ui.access``
records sign-outs and refusals here, and ``ui.trail`` (which needs ``ui.access`` to know who the reader is)
records views, downloads and uploads, so neither imports the other in a loop.
"""

import logging
from pathlib import Path

from data_pipeline import trail

log = logging.getLogger(__name__)


def path() -> Path:
    return trail.path()


def write(event: str, user: str, role: str = "", **details) -> bool:
    """Append one entry; False (and a log line naming no one) when the file cannot be written."""
    try:
        trail.append(path(), trail.record(event, user, role, **details))
    except OSError as exc:
        log.warning("cannot write the access trail %s: %s", path(), exc.strerror or exc)
        return False
    return True
