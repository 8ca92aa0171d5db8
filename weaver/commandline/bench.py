"""weaver bench [--only GROUP[,GROUP…]] [--json] [--quick]: run the benchmark groups.

Figures go to stdout (a table, or with ``--json`` exactly one JSON object of flat
``name: number`` figures); progress goes to stderr so ``--json`` output stays parseable. A missed
target is reported, not fatal: the exit code is 0. A group that crashes is logged, the others
still run, and the exit code is 1.
"""

from __future__ import annotations

import argparse
import json
import math
import sys

from .. import bench
from ..errors import UsageError
from ..logs import log, log_file

HELP = "Run the benchmarks on generated networks and print their figures."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--only",
        metavar="GROUP",
        help="run only these groups (comma-separated, e.g. store,map)",
    )
    parser.add_argument(
        "--json", action="store_true", help="print only one JSON object of figures on stdout"
    )
    parser.add_argument(
        "--quick", action="store_true", help="fewer repetitions (a smoke run, less precise)"
    )
    parser.add_argument("--list", action="store_true", help="list the groups and exit")


def _progress(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:

    groups = bench.discover(_progress)
    if args.list:
        for name, module in groups.items():
            doc = (module.__doc__ or "").strip().splitlines()
            print(f"{name:<12}{doc[0] if doc else ''}")
        return 0
    selected = list(groups)
    if args.only:
        wanted = [g.strip() for g in args.only.split(",") if g.strip()]
        unknown = [g for g in wanted if g not in groups]
        if unknown:
            raise UsageError(
                f"no benchmark group {', '.join(map(repr, unknown))}; "
                f"available: {', '.join(groups) or 'none'}"
            )
        selected = wanted

    results: list[bench.Result] = []
    failed: list[str] = []
    for name in selected:
        _progress(f"bench: running {name}{' (quick)' if args.quick else ''}…")
        try:
            result = bench.run_group(groups[name], quick=args.quick)
        except Exception as exc:
            log.exception("benchmark group %s failed", name)
            _progress(f"bench: group {name} failed ({type(exc).__name__}: {exc})")
            failed.append(name)
            continue
        _progress(f"bench: {name} done in {result.seconds:.1f} s")
        results.append(result)

    if args.json:
        figures = bench.flat_figures(results)
        # NaN is not JSON: a figure that could not be measured is left out.
        print(json.dumps({k: v for k, v in figures.items() if not math.isnan(v)}, indent=2))
    else:
        print(bench.format_table(results))
        missed = [
            name
            for r in results
            for name, value in r.figures.items()
            if name in r.targets and not bench.met(value, r.targets[name])
        ]
        if missed:
            print(f"\n{len(missed)} target(s) missed: {', '.join(missed)}")
    if failed:
        _progress(f"bench: {', '.join(failed)} failed; details are in {log_file()}")
        return 1
    return 0
