"""Benchmarks: factdb's build and queries at 10k to 1M statements, against the bare minimum.

Run ``uv run python -m bench`` (see README "Benchmarks"). Generated seeds, databases and
results go to ``bench/out/`` (ignored by git).
"""
