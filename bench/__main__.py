"""`python -m bench`: generate seeds, time builds and queries, print the table, write JSON.

    uv run python -m bench                      # 10k, 100k and 1M statements (long)
    uv run python -m bench --sizes 300 --runs 1 # a smoke run
    uv run python -m bench --queries-only bench/out/factdb-1M.db  # canned queries only
    uv run python -m bench --commands-only bench/out/factdb-100k.db  # startup, streaming, search
    uv run python -m bench --web-only bench/out/factdb-1M.db  # Datasette pages over HTTP
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

from bench import endstate, querybench, report, searchbench, startup, streaming, synth, webbench
from bench.measure import compile_bytecode, machine, run_child, summary
from factdb.seeds.read import PARALLEL_ENV
from factdb.store.cache import CACHE_DIR

ROOT = Path(__file__).resolve().parent.parent
BIG = 1_000_000


def _template(out: Path) -> Path:
    """An empty database migrated to head: the baseline copies it, so schemas are identical."""
    from factdb.store import migrate

    path = out / "template.db"
    path.unlink(missing_ok=True)
    migrate.upgrade(path)
    return path


def _layout() -> str:
    from factdb.seeds.columns import COLUMNS
    from factdb.store.build import FTS_TABLES

    return json.dumps({"columns": COLUMNS, "fts": list(FTS_TABLES)})


def bench_size(statements: int, runs: int, out: Path, template: Path, log) -> dict:
    label = synth.size_label(statements)
    seeds = out / f"seeds-{label}"
    started = time.perf_counter()
    made = synth.generate(statements, seeds)
    log(f"[{label}] seeds ready in {time.perf_counter() - started:.1f}s: {made}")
    factdb_db, base_db = out / f"factdb-{label}.db", out / f"baseline-{label}.db"
    factdb_cmd = [str(Path(sys.executable).parent / "factdb"), "build", "--seeds", str(seeds),
                  "--db", str(factdb_db)]
    base_cmd = [sys.executable, "-m", "bench.baseline", str(seeds), str(base_db),
                str(template), _layout()]
    mine, base, single = [], [], []
    for i in range(runs):  # alternate, so drift in the machine's load hits both alike
        # A full build from nothing: without what an earlier build cached beside the database.
        shutil.rmtree(factdb_db.parent / CACHE_DIR, ignore_errors=True)
        mine.append(run_child(factdb_cmd, cwd=str(ROOT)))
        base_db.unlink(missing_ok=True)
        base.append(run_child(base_cmd, cwd=str(ROOT)))
        # the same build with every seed file parsed in this one process
        shutil.rmtree(factdb_db.parent / CACHE_DIR, ignore_errors=True)
        single.append(run_child(factdb_cmd, cwd=str(ROOT), env={PARALLEL_ENV: str(10**9)}))
        log(f"[{label}] run {i + 1}/{runs}: factdb {mine[-1].seconds:.2f}s "
            f"{mine[-1].peak_rss_mb:.0f}MB (all processes {mine[-1].tree_pss_mb:.0f}MB PSS, "
            f"{mine[-1].tree_rss_mb:.0f}MB RSS), baseline {base[-1].seconds:.2f}s "
            f"{base[-1].peak_rss_mb:.0f}MB, factdb single-process {single[-1].seconds:.2f}s "
            f"(load {os.getloadavg()[0]:.1f})")
    from factdb.seeds.columns import COLUMNS

    a, b = endstate.digests(factdb_db, COLUMNS), endstate.digests(base_db, COLUMNS)
    diff = endstate.differences(a, b)
    if diff:
        log(f"[{label}] WARNING: factdb and baseline differ in {', '.join(diff)}")
    rows = sum(int(v.split(":")[0]) for t, v in a.items() if not t.endswith("_fts"))
    factdb_s = summary([r.seconds for r in mine])
    single_s = summary([r.seconds for r in single])
    return {
        "label": label, "statements": made.statements, "documents": made.documents,
        "events": made.events, "actors": made.actors, "relations": made.relations,
        "files": made.files, "bytes": made.bytes, "rows": rows, "runs": runs,
        "factdb": factdb_s, "baseline": summary([r.seconds for r in base]),
        "ratio": factdb_s["median"] / summary([r.seconds for r in base])["median"],
        "single_process": single_s,
        "single_ratio": single_s["median"] / summary([r.seconds for r in base])["median"],
        "parallel_vs_single": factdb_s["median"] / single_s["median"],
        "per_1k_ms": factdb_s["median"] * 1000 / (made.statements / 1000),
        "factdb_peak_rss_mb": summary([r.peak_rss_mb for r in mine]),
        "baseline_peak_rss_mb": summary([r.peak_rss_mb for r in base]),
        "factdb_tree_pss_mb": summary([r.tree_pss_mb for r in mine]),
        "factdb_tree_rss_mb": summary([r.tree_rss_mb for r in mine]),
        "same_end_state": not diff, "differences": diff,
        "seeds": str(seeds), "db": str(factdb_db),
    }


# The three kinds of change the rebuild target names: (name, file, the text to revise).
CHANGES = (("document", "documents/doc-0000000.yaml", "\n  title: "),
           ("actor", "actors/actors-0000.yaml", "\n    description: "),
           ("relation", "relations/relations-0000.yaml", "\n    note: "))


def bench_incremental(size: dict, runs: int, log, full_too: bool = False) -> dict:
    """Change one document's title, one actors.yaml entry's description and one
    relation's note, rebuilding after each (the kinds alternate); every file is restored
    afterwards. Ratios are against the full build measured in the same run (``full_too``:
    a full build, without the cache, begins each round, alternating with the rebuilds)."""
    seeds, db = Path(size["seeds"]), Path(size["db"])
    cmd = [str(Path(sys.executable).parent / "factdb"), "build", "--seeds", str(seeds),
           "--db", str(db)]
    originals = {name: (seeds / file).read_text(encoding="utf-8")
                 for name, file, _ in CHANGES}
    times: dict[str, list[float]] = {name: [] for name, _, _ in CHANGES}
    fulls = []
    try:
        run_child(cmd, cwd=str(ROOT))  # whatever a previous build left, start from a build
        for i in range(runs):
            if full_too:
                shutil.rmtree(db.parent / CACHE_DIR, ignore_errors=True)
                fulls.append(run_child(cmd, cwd=str(ROOT)).seconds)
                log(f"[{size['label']}] full build {i + 1}/{runs}: {fulls[-1]:.2f}s "
                    f"(load {os.getloadavg()[0]:.1f})")
            for name, file, before in CHANGES:
                changed = originals[name].replace(before, f"{before}(revised {i + 1}) ", 1)
                (seeds / file).write_text(changed, encoding="utf-8")
                times[name].append(run_child(cmd, cwd=str(ROOT)).seconds)
                log(f"[{size['label']}] rebuild after a changed {name} {i + 1}/{runs}: "
                    f"{times[name][-1]:.2f}s")
    finally:
        for name, file, _ in CHANGES:
            (seeds / file).write_text(originals[name], encoding="utf-8")
        run_child(cmd, cwd=str(ROOT))  # the database of the seeds as they were
    full = summary(fulls)["median"] if full_too else size["factdb"]["median"]
    kinds = {name: {"rebuild": summary(t), "ratio": summary(t)["median"] / full}
             for name, t in times.items()}
    return {"label": size["label"], "files": size["files"], "full": full, "kinds": kinds,
            "load": os.getloadavg()[0], "rebuild": kinds["document"]["rebuild"],
            "ratio": max(k["ratio"] for k in kinds.values())}


def queries_only(db: Path, runs: int) -> dict:
    """Time the canned queries on an existing database; print times, rows and plans."""
    queries = querybench.canned(db, runs)
    plans = querybench.plans(db)
    print(f"{'query':<26} {'rows':>8} {'library ms':>11} {'sqlite3 ms':>11} {'ratio':>6}")
    for q in queries:
        print(f"{q['query']:<26} {q['rows']:>8} {q['library']['median'] * 1000:>11.2f} "
              f"{q['sqlite3']['median'] * 1000:>11.2f} {q['ratio']:>6.2f}")
    limited = querybench.canned(db, runs, limit="50")
    for q in limited:
        print(f"{q['query'] + ' --limit 50':<26} {q['rows']:>8} "
              f"{q['library']['median'] * 1000:>11.2f} {q['sqlite3']['median'] * 1000:>11.2f} "
              f"{q['ratio']:>6.2f}")
    for name, lines in plans.items():
        print(f"\n{name}:\n  " + "\n  ".join(lines))
    return {"queries": queries, "limited": limited, "plans": plans}


def query_commands(db: Path, out: Path, runs: int, query_runs: int) -> dict:
    """Whole `factdb query` processes against the floor, streaming, search: on ``db``."""
    log = _log
    log(f"timing whole query processes on the seeds (load {os.getloadavg()[0]:.1f})")
    found = {"startup": startup.measure(out, runs)}
    log(f"timing query commands on {db} (load {os.getloadavg()[0]:.1f})")
    found["commands"] = querybench.commands(db, runs)
    log(f"timing streamed CSV and the first row on {db} (load {os.getloadavg()[0]:.1f})")
    found["streaming"] = {"db": str(db), "throughput": streaming.throughput(db, runs),
                          "first_row": streaming.first_row(db, runs)}
    log(f"timing the first row of every canned query on {db} (load {os.getloadavg()[0]:.1f})")
    found["streaming"]["first_rows"] = streaming.first_rows(db, query_runs)
    log(f"timing search and actor on {db} (load {os.getloadavg()[0]:.1f})")
    found["search"] = searchbench.measure(db, query_runs)
    found["load_after"] = os.getloadavg()[0]
    return found


def web_only(db: Path, out: Path, runs: int) -> dict:
    """Datasette's pages over HTTP on ``db`` and on the seeds; print both, write JSON."""
    results: dict = {"machine": machine(), "web": []}
    for target in (db, startup.seeds_db(out)):
        _log(f"timing Datasette pages on {target} (load {os.getloadavg()[0]:.1f})")
        results["web"].append(webbench.measure(target, runs, _log))
    print("\n\n".join("\n".join(webbench.render(r)) for r in results["web"]))
    (out / "web-latest.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return results


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k,1M",
                        help="statements per seed folder, comma-separated (default 10k,100k,1M)")
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (default 5)")
    parser.add_argument("--big-runs", type=int, default=3,
                        help="runs for builds of 1M statements or more (default 3)")
    parser.add_argument("--query-runs", type=int, default=20,
                        help="runs of each canned query (default 20)")
    parser.add_argument("--rebuild-sizes", default="100k,1M",
                        help="sizes for the rebuild after one changed file, among those run "
                             "(default 100k,1M; the largest size run if none of them is)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out",
                        help="folder for seeds (kept and reused), databases and results "
                             "(default bench/out)")
    parser.add_argument("--rebuild-only", type=Path, nargs=2, metavar=("SEEDS", "DB"),
                        help="only time rebuilds after one change against full builds, "
                             "alternating, on this seeds folder (its files are edited, then "
                             "restored) and database")
    parser.add_argument("--queries-only", type=Path, metavar="DB",
                        help="only time the canned queries (and print their plans) on this "
                             "existing database; writes nothing")
    parser.add_argument("--commands-only", type=Path, metavar="DB",
                        help="only time whole query commands against the floor (on the seeds), "
                             "streamed CSV and the first row, and search/actor, on this "
                             "existing database")
    parser.add_argument("--web-only", type=Path, metavar="DB",
                        help="only time Datasette's pages over HTTP against `factdb serve` on "
                             "this existing database (served read-only), and on the seeds")
    parser.add_argument("--web-runs", type=int, default=10,
                        help="rounds of page requests after the warm-up (default 10)")
    args = parser.parse_args(argv)
    compile_bytecode()
    if args.web_only:
        args.out.mkdir(parents=True, exist_ok=True)
        return web_only(args.web_only, args.out, args.web_runs)
    if args.rebuild_only:
        seeds, db = args.rebuild_only
        size = {"label": seeds.name, "seeds": str(seeds), "db": str(db),
                "files": sum(1 for _ in seeds.rglob("*.yaml"))}
        got = bench_incremental(size, args.runs, lambda m: print(m, file=sys.stderr,
                                                                 flush=True), full_too=True)
        print("\n".join(report.render_incremental(got)))
        return got
    if args.queries_only:
        return queries_only(args.queries_only, args.query_runs)
    if args.commands_only:
        args.out.mkdir(parents=True, exist_ok=True)
        results = {"machine": machine(), "load_before": os.getloadavg()[0],
                   **query_commands(args.commands_only, args.out, args.runs, args.query_runs)}
        print("\n".join(report.render_commands(results)))
        (args.out / "commands-latest.json").write_text(json.dumps(results, indent=2) + "\n",
                                                       encoding="utf-8")
        return results
    sizes = sorted(synth.parse_size(s) for s in args.sizes.split(","))
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    results: dict = {"machine": machine(), "started": time.strftime("%Y-%m-%d %H:%M:%S"),
                     "command": "python -m bench " + " ".join(sys.argv[1:] if argv is None
                                                               else argv),
                     "sizes": []}
    template = _template(out)
    for statements in sizes:
        runs = min(args.runs, args.big_runs) if statements >= BIG else args.runs
        results["sizes"].append(bench_size(statements, runs, out, template, log))
    wanted = {synth.parse_size(s) for s in args.rebuild_sizes.split(",")}
    chosen = [s for s in results["sizes"] if s["statements"] in wanted] or results["sizes"][-1:]
    results["rebuilds"] = [
        bench_incremental(s, min(args.runs, args.big_runs) if s["statements"] >= BIG
                          else args.runs, log) for s in chosen]
    largest = Path(results["sizes"][-1]["db"])
    results["query_db"] = results["sizes"][-1]["label"]
    log("timing canned queries")
    results["queries"] = querybench.canned(largest, args.query_runs)
    results["plans"] = querybench.plans(largest)
    results.update(query_commands(largest, out, args.runs, args.query_runs))
    log(f"timing Datasette pages on {largest} (load {os.getloadavg()[0]:.1f})")
    results["web"] = webbench.measure(largest, args.web_runs, log)
    results["targets"] = report.targets(results)
    results["table"] = report.render(results)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for name in (f"results-{stamp}.json", "latest.json"):
        (out / name).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(results["table"])
    log(f"wrote {out / 'latest.json'}")
    return results


if __name__ == "__main__":
    main()
