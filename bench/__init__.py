"""Benchmarks for the "performance at national scale" issue: `python -m bench` runs them all.

Each module measures one thing and returns `Figure`s: a target, the measured value, the baseline it is
compared with, and whether the target was met. `__main__` prints them and writes docs/performance.md.
"""
