"""The benchmark runs end to end at a tiny size (so it cannot rot); no timing is asserted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_benchmark_runs_at_a_tiny_size_and_writes_its_results(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--sizes", "300", "--runs", "1",
         "--query-runs", "1", "--out", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stderr
    results = json.loads((tmp_path / "latest.json").read_text())
    assert set(results) == {"machine", "started", "command", "sizes", "rebuilds",
                            "query_db", "queries", "plans", "commands", "targets", "table",
                            "startup", "streaming", "search", "load_after", "web"}
    assert [s["label"] for s in results["sizes"]] == ["300"]
    for size in results["sizes"]:
        assert size["same_end_state"], size["differences"]
        assert size["runs"] == 1
        assert set(size["factdb"]) == {"median", "min", "max", "runs"}
        assert size["factdb_peak_rss_mb"]["max"] > 0
        # the build's processes together, sampled: at least the loader's own
        assert size["factdb_tree_rss_mb"]["max"] >= 0.5 * size["factdb_peak_rss_mb"]["max"]
        assert size["factdb_tree_pss_mb"]["max"] > 0
    assert results["sizes"][0]["statements"] == 300
    from factdb.query.registry import QUERIES

    assert [q["query"] for q in results["queries"]] == list(QUERIES)
    assert set(results["commands"]["tools"]) >= {
        "factdb query sql", "sqlite-utils query", "python + sqlite3 script"}
    assert [r["label"] for r in results["rebuilds"]] == ["300"]
    assert {p["page"] for p in results["web"]["pages"]} >= {"home /", "statement page"}
    from factdb.query.registry import QUERIES as REGISTRY

    assert {q["query"] for q in results["streaming"]["first_rows"]} == set(REGISTRY)
    assert {t["target"] for t in results["targets"]} >= {
        "build 300 / baseline", "peak RSS of build 300", "actor, busiest speaker",
        "peak PSS of build 300, all processes",
        "Datasette statement page (300)", "build 300 on both cores / single-process baseline",
        "first row of timeline (every row)", "rebuild after a changed actor / full build (300)"}
    assert any(t["target"].startswith("search p95 (") for t in results["targets"])
    assert results["table"] in done.stdout
    assert {q["query"] for q in results["streaming"]["throughput"]} == {"timeline", "said"}
    assert len(results["search"]["queries"]) >= 20
    assert set(results["startup"]["ratios"]) == {
        "sql select 1 / minimal script", "canned document / minimal script",
        "sql select 1 / sqlite-utils"}


def test_web_benchmark_serves_and_times_every_page(seeds_db, tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--web-only", str(seeds_db), "--web-runs", "1",
         "--out", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stderr
    results = json.loads((tmp_path / "web-latest.json").read_text())
    assert [r["db"] for r in results["web"]] == [str(seeds_db), str(tmp_path / "seeds.db")]
    for result in results["web"]:
        pages = {p["page"]: p for p in result["pages"]}
        assert set(pages) >= {"baseline: /-/versions.json", "home /", "table statements",
                              "statement page", "document page", "event page",
                              "conflicts canned query"}
        assert {s for p in pages.values() for s in p["status"]} == {200}
        assert all(len(p["runs_ms"]) == 1 and p["bytes"] > 0 for p in pages.values())
    assert "Datasette pages of" in done.stdout


def test_postgresql_query_benchmark_asks_both_engines_the_same(seeds_db, pg_seeds_url):
    from bench import pgqueries
    from factdb.query.registry import QUERIES

    results = pgqueries.compare(seeds_db, pg_seeds_url, 1, lambda m: None, ("Lavrov Putin",))
    asked = [r["query"] for r in results]
    assert asked[0] == "floor: SELECT 1" and set(QUERIES) <= set(asked)
    assert len([q for q in asked if q.startswith("search")]) == 4
    assert 'search "Lavrov Putin"' in asked
    for r in results:  # the same question, answered alike (search: the same hits)
        assert r["rows"]["sqlite"] == r["rows"]["postgresql"], r["query"]
        assert r["ratio"] > 0 and len(r["seconds"]["sqlite"]) == 1
    whole = pgqueries.processes(seeds_db, pg_seeds_url, 1, lambda m: None)
    assert [r["query"] for r in whole] == ["factdb query actor", "factdb query document",
                                           "factdb query search"]
    assert "| floor: SELECT 1 | 1 / 1 |" in pgqueries.table(results + whole)
