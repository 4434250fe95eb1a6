"""Turn a results dict into the targets verdicts and the printed table."""

from __future__ import annotations

BUILD_RATIO = 1.5
GROWTH = 1.3
PEAK_MB = 1024
QUERY_RATIO = 1.2
QUERY_MS = 50
VS_SQLITE_UTILS = 0.8
VS_MINIMAL = 4.0
INCREMENTAL = 0.25  # "much faster": a quarter of a full build or less


def _fmt(stats: dict, scale: float = 1.0, digits: int = 2) -> str:
    if "error" in stats:
        return "n/a"
    return (f"{stats['median'] * scale:.{digits}f} "
            f"({stats['min'] * scale:.{digits}f}-{stats['max'] * scale:.{digits}f})")


def targets(results: dict) -> list[dict]:
    """Each target of issue 7 with the measured value and whether it is met."""
    out = []
    sizes = results["sizes"]

    def add(name: str, value: float | None, limit: float, unit: str = "") -> None:
        if value is not None:
            out.append({"target": name, "value": round(value, 3), "limit": limit,
                        "unit": unit, "met": value <= limit})

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
    for q in results.get("queries", []):
        add(f"query {q['query']}: library / sqlite3", q["ratio"], QUERY_RATIO, "x")
        add(f"query {q['query']}: time", q["library"]["median"] * 1000, QUERY_MS, "ms")
    cmd = results.get("commands", {})
    add("factdb query sql / sqlite-utils query", cmd.get("vs_sqlite_utils"), VS_SQLITE_UTILS,
        "x")
    add("factdb query sql / python+sqlite3 script", cmd.get("vs_minimal_script"), VS_MINIMAL,
        "x")
    inc = results.get("incremental")
    if inc:
        add(f"rebuild after one file changed / full build ({inc['label']})", inc["ratio"],
            INCREMENTAL, "x")
    return out


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))
    lines = [line, "  ".join("-" * w for w in widths)]
    for r in rows:
        lines.append("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))
    return lines


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
                     f"{s['baseline_peak_rss_mb']['median']:.0f}",
                     "yes" if s["same_end_state"] else "NO"])
    out += ["Build (`factdb build` CLI in a subprocess vs bench/baseline.py in a subprocess)"]
    out += _table(["size", "rows", "files", "runs", "factdb s", "baseline s", "ratio",
                   "ms/1k st", "factdb MB", "base MB", "same rows"], rows)
    inc = results.get("incremental")
    if inc:
        out += ["", f"Rebuild after changing one document file ({inc['label']}, "
                f"{inc['files']:,} seed files): {_fmt(inc['rebuild'])} s vs full "
                f"{inc['full']:.2f} s = {inc['ratio']:.2f}x"]
    if results.get("queries"):
        out += ["", f"Canned queries on {results['query_db']} (ms; library = "
                "factdb.querying.run, which checks and resolves parameters first; same process)"]
        rows = [[q["query"], str(q["rows"]), _fmt(q["library"], 1000, 1),
                 _fmt(q["sqlite3"], 1000, 1), f"{q['ratio']:.2f}x"]
                for q in results["queries"]]
        out += _table(["query", "rows", "library ms", "sqlite3 ms", "ratio"], rows)
    cmd = results.get("commands")
    if cmd:
        out += ["", f"Whole commands (ms, process start to exit): {cmd['sql']}"]
        rows = [[tool, _fmt(v, 1000, 0)] for tool, v in cmd["tools"].items()]
        out += _table(["command", "ms"], rows)
        for key, label in (("vs_sqlite_utils", "factdb / sqlite-utils"),
                           ("vs_minimal_script", "factdb / minimal script")):
            if key in cmd:
                out.append(f"{label}: {cmd[key]:.2f}x")
    out += ["", "Targets"]
    rows = [[t["target"], f"{t['value']}{t['unit']}", f"<= {t['limit']}{t['unit']}",
             "met" if t["met"] else "MISSED"] for t in results["targets"]]
    out += _table(["target", "measured", "limit", ""], rows)
    return "\n".join(out)
