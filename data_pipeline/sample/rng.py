"""Seeded random streams, one per part of the sample."""

import zlib

import numpy as np


def stream(seed: int, name: str) -> np.random.Generator:
    """A generator for one named part, so changing how one part draws leaves the others' data alone."""
    return np.random.default_rng([seed, zlib.crc32(name.encode())])
