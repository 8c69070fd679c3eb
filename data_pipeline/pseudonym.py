"""Staff and child identifiers become keyed hashes before anything is stored.

The key lives in a file outside the repository and the warehouse (see ``keys``), so the warehouse
alone cannot be reversed by hashing a list of names.
"""

import hashlib
import hmac
from collections.abc import Callable
from pathlib import Path

from data_pipeline import keys
from data_pipeline.vocab import fold


def load_key(path: Path) -> bytes:
    """The pseudonym key for a preview; never made here (only a new warehouse makes one, in ``keys.unlock``)."""
    key = keys.read(keys.PSEUDONYM, path)
    if key is None:
        raise keys.KeyProblem(f"the pseudonym key {path} is missing; load an export first or restore it from backup")
    return key


def pseudonymise(value: str, key: bytes, prefix: str) -> str:
    """One person gets one key whatever the spelling's case, spacing or punctuation."""
    digest = hmac.digest(key, fold(value).encode(), "sha256").hex()  # the one-shot form runs in C
    return f"{prefix}-{digest[:12]}"


def pseudonymiser(key: bytes, prefix: str) -> Callable[[str], str]:
    """``pseudonymise`` for values already folded, made for a column of them: HMAC-SHA256 (RFC 2104)
    with the padded key hashed once here rather than once per value, which is most of its cost."""
    block = key if len(key) <= 64 else hashlib.sha256(key).digest()
    block = block.ljust(64, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in block))
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in block))

    def one(folded: str) -> str:
        first = inner.copy()
        first.update(folded.encode())
        second = outer.copy()
        second.update(first.digest())
        return f"{prefix}-{second.hexdigest()[:12]}"

    return one
