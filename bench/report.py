"""Turn a results dict into the targets verdicts and the printed table."""

from __future__ import annotations

BUILD_RATIO = 1.5
GROWTH = 1.3
PEAK_MB = 1024
QUERY_RATIO = 1.2
QUERY_MS = 50
VS_SQLITE_UTILS = 0.7  # issue 16 (issue 7: 0.8)
VS_MINIMAL = 3.0  # issue 16 (issue 7: 4.0)
INCREMENTAL = 0.1  # issue 16: proportional to the change (issue 7: 0.25)
CSV_RATE = 0.9  # factdb's CSV rows/s over plain sqlite3's: at least this
PARALLEL = 0.8  # issue 16: a full build on both cores / the single-process bare baseline
FAST_MS = 50  # issue 16: search p50 and p95, actor, each query's first row
PAGE_MS = 100  # issue 16: Datasette's home, a table, the statement and document pages
PAGES = ("home /", "table statements", "statement page", "document page")


def _fmt(stats: dict, scale: float = 1.0, digits: int = 2) -> str:
    if "error" in stats:
        return "n/a"
    return (f"{stats['median'] * scale:.{digits}f} "
            f"({stats['min'] * scale:.{digits}f}-{stats['max'] * scale:.{digits}f})")


def targets(results: dict) -> list[dict]:
    """Each target of issue 7 with the measured value and whether it is met."""
    out = []
    sizes = results["sizes"]

    def add(name: str, value: float | None, limit: float, unit: str = "",
            at_least: bool = False) -> None:
        if value is not None:
            out.append({"target": name, "value": round(value, 3), "limit": limit,
                        "unit": unit, "at_least": at_least,
                        "met": value >= limit if at_least else value <= limit})

    big = [s for s in sizes if s["statements"] >= 100_000] or sizes[-1:]
    for s in big:
        add(f"build {s['label']} / baseline", s["ratio"], BUILD_RATIO, "x")
    if len(sizes) > 1:
        first, last = sizes[0], sizes[-1]
        add(f"time/1k statements {last['label']} / {first['label']}",
            last["per_1k_ms"] / first["per_1k_ms"], GROWTH, "x")
    if sizes:
        last = sizes[-1]
        add(f"peak RSS of build {last['label']}", last["factdb_peak_rss_mb"]["max"], PEAK_MB,
            "MB")
        add(f"build {last['label']} on both cores / single-process baseline", last["ratio"],
            PARALLEL, "x")
        if "factdb_tree_pss_mb" in last:  # the loader and its parsing workers together
            add(f"peak PSS of build {last['label']}, all processes",
                last["factdb_tree_pss_mb"]["max"], PEAK_MB, "MB")
    for q in results.get("queries", []):
        add(f"query {q['query']}: library / sqlite3", q["ratio"], QUERY_RATIO, "x")
        add(f"query {q['query']}: time", q["library"]["median"] * 1000, QUERY_MS, "ms")
    cmd = results.get("commands", {})
    add("factdb query sql / sqlite-utils query", cmd.get("vs_sqlite_utils"), VS_SQLITE_UTILS,
        "x")
    add("factdb query sql / python+sqlite3 script", cmd.get("vs_minimal_script"), VS_MINIMAL,
        "x")
    for inc in results.get("rebuilds", []):
        for kind, got in inc["kinds"].items():
            add(f"rebuild after a changed {kind} / full build ({inc['label']})",
                got["ratio"], INCREMENTAL, "x")
    out += command_targets(results)
    for page in results.get("web", {}).get("pages", []):
        if page["page"] in PAGES:
            add(f"Datasette {page['page']} ({results['query_db']})", page["median_ms"], PAGE_MS,
                "ms")
    return out


def command_targets(results: dict) -> list[dict]:
    """Issue 16's targets on whole query processes and streamed CSV."""
    out = []
    ratios = results.get("startup", {}).get("ratios", {})
    for key, limit in (("sql select 1 / minimal script", VS_MINIMAL),
                       ("canned document / minimal script", VS_MINIMAL),
                       ("sql select 1 / sqlite-utils", VS_SQLITE_UTILS)):
        if key in ratios:
            out.append({"target": f"factdb query {key} (seeds)", "value": round(ratios[key], 3),
                        "limit": limit, "unit": "x", "at_least": False,
                        "met": ratios[key] <= limit})
    for q in results.get("streaming", {}).get("throughput", []):
        out.append({"target": f"CSV rows/s {q['query']} ({q['rows']} rows): factdb / sqlite3",
                    "value": round(q["ratio"], 3), "limit": CSV_RATE, "unit": "x",
                    "at_least": True, "met": q["ratio"] >= CSV_RATE})
    for q in results.get("streaming", {}).get("first_rows", []):
        ms = q["first_row_ms"]
        out.append({"target": f"first row of {_asked(q)}", "value": round(ms, 3),
                    "limit": FAST_MS, "unit": "ms", "at_least": False, "met": ms <= FAST_MS})
    se = results.get("search")
    if se:
        for key, label in (("p50_ms", "search p50"), ("p95_ms", "search p95"),
                           ("actor_ms", "actor, busiest speaker")):
            out.append({"target": f"{label} ({len(se['queries'])} queries)" if "search" in label
                        else label, "value": round(se[key], 3), "limit": FAST_MS, "unit": "ms",
                        "at_least": False, "met": se[key] <= FAST_MS})
    return out


def _asked(q: dict) -> str:
    return q["query"] + (" (every row)" if not q["params"] else "")


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))
    lines = [line, "  ".join("-" * w for w in widths)]
    for r in rows:
        lines.append("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))
    return lines


def _tree(size: dict) -> str:
    """Peak memory of the build's processes together: PSS (RSS summed)."""
    if "factdb_tree_pss_mb" not in size:
        return "n/a"
    return (f"{size['factdb_tree_pss_mb']['median']:.0f} "
            f"({size['factdb_tree_rss_mb']['median']:.0f})")


def render(results: dict) -> str:
    """The whole report as printed (and quoted in the README)."""
    m = results["machine"]
    out = [f"machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB, {m['system']}, "
           f"Python {m['python']}, SQLite {m['sqlite']}",
           "figures: median (min-max) of the runs shown; times in seconds unless marked", ""]
    rows = []
    for s in results["sizes"]:
        rows.append([s["label"], f"{s['rows']:,}", f"{s['files']:,}", str(s["runs"]),
                     _fmt(s["factdb"]), _fmt(s["baseline"]), f"{s['ratio']:.2f}x",
                     f"{s['per_1k_ms']:.1f}", f"{s['factdb_peak_rss_mb']['median']:.0f}",
                     _tree(s),
                     f"{s['baseline_peak_rss_mb']['median']:.0f}",
                     "yes" if s["same_end_state"] else "NO",
                     _fmt(s["single_process"]) if "single_process" in s else "n/a",
                     f"{s['parallel_vs_single']:.2f}x" if "parallel_vs_single" in s else "n/a"])
    out += ["Build (`factdb build` CLI in a subprocess vs bench/baseline.py in a subprocess)"]
    out += _table(["size", "rows", "files", "runs", "factdb s", "baseline s", "ratio",
                   "ms/1k st", "factdb MB", "all procs MB", "base MB", "same rows", "1-process s",
                   "parallel/1-process"], rows)
    for inc in results.get("rebuilds", []):
        out += ["", *render_incremental(inc)]
    if results.get("queries"):
        out += ["", f"Canned queries on {results['query_db']} (ms; library = "
                "factdb.querying.run, which checks and resolves parameters first; same process)"]
        rows = [[q["query"], str(q["rows"]), _fmt(q["library"], 1000, 1),
                 _fmt(q["sqlite3"], 1000, 1), f"{q['ratio']:.2f}x"]
                for q in results["queries"]]
        out += _table(["query", "rows", "library ms", "sqlite3 ms", "ratio"], rows)
    out += _commands(results.get("commands"))
    if "startup" in results:
        out += ["", *render_commands(results, with_targets=False)]
    if results.get("web"):
        from bench.webbench import render as render_web

        out += ["", *render_web(results["web"])]
    out += ["", "Targets", *_targets(results["targets"])]
    return "\n".join(out)


def _commands(cmd: dict | None) -> list[str]:
    if not cmd:
        return []
    out = ["", f"Whole commands (ms, process start to exit, alternated rounds): {cmd['sql']}"]
    rows = [[tool, _fmt(v, 1000, 0)] for tool, v in cmd["tools"].items()]
    out += _table(["command", "ms"], rows)
    for key, label in (("vs_sqlite_utils", "factdb / sqlite-utils"),
                       ("vs_minimal_script", "factdb / minimal script")):
        if key in cmd:
            out.append(f"{label}: {cmd[key]:.2f}x")
    return out


def _targets(targets: list[dict]) -> list[str]:
    rows = [[t["target"], f"{t['value']}{t['unit']}",
             f"{'>=' if t.get('at_least') else '<='} {t['limit']}{t['unit']}",
             "met" if t["met"] else "MISSED"] for t in targets]
    return _table(["target", "measured", "limit", ""], rows)


def render_incremental(inc: dict) -> list[str]:
    """The rebuild after one change of each kind, against the full build of the same run."""
    out = [f"Rebuild after one change ({inc['label']}, {inc['files']:,} seed files; full build "
           f"{inc['full']:.2f} s in the same run; load average {inc.get('load', 0):.1f})"]
    return out + _table(["change", "rebuild s", "rebuild / full"],
                        [[kind, _fmt(got["rebuild"]), f"{got['ratio']:.3f}x"]
                         for kind, got in inc.get("kinds", {"document": inc}).items()])


def render_commands(results: dict, with_targets: bool = True) -> list[str]:
    """Whole query processes, streaming and search, as printed."""
    st = results["startup"]
    out = [f"Whole query processes on the seeds (median of {st['runs']} alternated rounds, ms)"]
    out += _table(["command", "ms"], [[name, f"{s * 1000:.0f}"]
                                      for name, s in st["median_s"].items()])
    out += [f"{k}: {v:.2f}x" for k, v in st["ratios"].items()]
    stream = results["streaming"]
    out += ["", f"Streamed CSV on {stream['db']} (library, this process, to /dev/null)"]
    out += _table(["query", "rows", "factdb rows/s", "sqlite3 rows/s", "ratio"],
                  [[q["query"], str(q["rows"]), f"{q['factdb_rows_per_s']:,.0f}",
                    f"{q['sqlite3_rows_per_s']:,.0f}", f"{q['ratio']:.2f}x"]
                   for q in stream["throughput"]])
    if stream.get("first_rows"):
        out += ["", "First row of each canned query (library, this process, ms from asking)"]
        out += _table(["query", "first row ms"], [[_asked(q), f"{q['first_row_ms']:.1f}"]
                                                  for q in stream["first_rows"]])
    out += ["", "First row (whole `factdb query` process, s)"]
    out += _table(["query", "format", "lines", "first row s", "whole s"],
                  [[q["query"], q["format"], str(q["lines"]), f"{q['first_row_s']:.3f}",
                    f"{q['whole_s']:.3f}"] for q in stream["first_row"]])
    se = results["search"]
    out += ["", f"search over {len(se['queries'])} queries: p50 {se['p50_ms']:.1f} ms, "
            f"p95 {se['p95_ms']:.1f} ms; actor {se['busiest_speaker']!r} (busiest speaker) "
            f"{se['actor_ms']:.1f} ms, said {se['said_ms']:.1f} ms"]
    if "load_before" in results:
        out.append(f"load average: {results['load_before']:.1f} before, "
                   f"{results['load_after']:.1f} after")
    if with_targets:  # printed alone (--commands-only): with the larger database's commands
        out += _commands(results.get("commands"))
        out += ["", "Targets", *_targets(command_targets(results))]
    return out
