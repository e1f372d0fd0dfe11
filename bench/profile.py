"""A loop to profile: one target's sync calls (or streams) against the bench server, nothing else.

    py-spy record --native --rate 2000 -o /tmp/eq.svg -- python -m bench.profile --calls 20000
    python -m bench.profile --calls 20000 --what stream --chunks 100
    python -m bench.profile --calls 300 --what astream --chunks 100   # async for over acompletion
    python -m bench.profile --cprofile --calls 5000        # cProfile, top functions by own time
    python -m bench.profile --first-call                   # cProfile of import + the first call

Starts ``bench/server.py`` on its own CPU (as the runner does), pins itself to the other, warms up,
then runs the loop and prints CPU us per call, so a profile and its number come from one process.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import Callable, List, Optional

from bench.host import Server, cpu_plan
from bench.routes import ROUTES


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__.split("\n", 1)[0])
    parser.add_argument("--route", default="openai", choices=sorted(ROUTES))
    parser.add_argument("--target", default="edgequake")
    parser.add_argument("--what", default="call", choices=("call", "stream", "astream"))
    parser.add_argument("--chunks", type=int, default=5, help="stream size (with --what stream, astream)")
    parser.add_argument("--calls", type=int, default=10000)
    parser.add_argument("--cprofile", action="store_true", help="run under cProfile and print the top 30")
    parser.add_argument(
        "--first-call", action="store_true", help="cProfile the import and first call (cumulative top 40)"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    client_cpu, server_cpu = cpu_plan(True)
    server = Server(server_cpu)
    try:
        if client_cpu is not None:
            os.sched_setaffinity(0, {client_cpu})
        route = ROUTES[args.route]
        target = route.targets[args.target]()
        if args.first_call:
            import cProfile
            import pstats

            first = cProfile.Profile()
            first.enable()
            target.setup(route.base_url(server.root_url))
            target.call()
            first.disable()
            pstats.Stats(first, stream=sys.stdout).sort_stats("cumulative").print_stats(40)
            return 0
        target.setup(route.base_url(server.root_url))
        if args.what != "call":
            target.stream_size(args.chunks)
        fn = {"call": target.call, "stream": target.stream, "astream": _in_one_loop(target)}[args.what]
        for _ in range(200):
            fn()
        cpu0, wall0 = time.process_time(), time.perf_counter()
        if args.cprofile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
        for _ in range(args.calls):
            fn()
        if args.cprofile:
            profiler.disable()
            pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(30)
        cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
        print(
            f"{args.route}/{args.target} {args.what}: {args.calls} in {wall:.2f} s, "
            f"{cpu / args.calls * 1e6:.1f} us CPU per call, {wall / args.calls * 1e6:.1f} us wall"
        )
        target.close()
    finally:
        server.stop()
    return 0


def _in_one_loop(target: object) -> Callable[[], None]:
    """``target.astream()`` run on one event loop for the whole process, as an application would."""
    import asyncio

    loop = asyncio.new_event_loop()
    return lambda: loop.run_until_complete(target.astream())  # type: ignore[attr-defined]


if __name__ == "__main__":
    sys.exit(main())
