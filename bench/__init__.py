"""Benchmarks at national scale: a synthetic org tree and population, and the queries that matter.

Run `make bench` (or `python -m bench.run`) with DATABASE_URL pointing at a dedicated, freshly
migrated benchmark database; see docs/performance.md for the figures and how to reproduce them.
"""
