"""`python -m bench <scenario> [--backend sqlite|postgres] [--nodes 1|2] [--scale 1.0]`."""

from __future__ import annotations

import argparse

import uvloop

from bench import report
from bench.runner import run
from bench.scenarios import SCENARIOS, Options


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("scenario", choices=sorted(SCENARIOS))
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--nodes", type=int, choices=(1, 2), default=1)
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the issue's sizes")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds per phase")
    parser.add_argument("--workers", type=int, default=2, help="load-generator processes")
    parser.add_argument("--rate", type=float, help="steady: offered messages/s")
    parser.add_argument("--rates", help="max: comma-separated ramp of offered messages/s")
    parser.add_argument("--argon2", choices=("fast", "real"), help="server hashing cost")
    parser.add_argument(
        "--profile",
        help="py-spy the (first) server into this file: .svg flame graph, .json speedscope, "
        ".txt collapsed stacks",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--no-save", action="store_true", help="do not write bench/results/")
    args = parser.parse_args()
    opts = Options(
        scale=args.scale,
        duration=args.duration,
        workers=args.workers,
        rate=args.rate,
        rates=[float(r) for r in args.rates.split(",")] if args.rates else [],
    )
    plan = SCENARIOS[args.scenario](opts)
    result = uvloop.run(
        run(
            plan,
            args.backend,
            args.nodes,
            keep=args.keep,
            profile=args.profile,
            argon2=args.argon2,
            save=not args.no_save,
        )
    )
    report.print_result(result)


if __name__ == "__main__":
    main()
