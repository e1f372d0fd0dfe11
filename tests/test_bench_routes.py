"""The benchmark's routes cannot rot: on each route (OpenAI, Anthropic, Gemini wires) edgequake,
litellm and the raw-httpx floor must read the bench server's fixed reply and stream pieces exactly,
and each must reach that route's endpoint (not fall back to another wire). All on 127.0.0.1."""

from __future__ import annotations

import asyncio
from typing import Any, Dict, Iterator, Tuple

import pytest

from bench.routes import ROUTES, Route
from bench.server import Bench
from bench.targets import EXPECTED_PIECES, EXPECTED_TEXT, Target
from bench.worker import Counter, Mismatch, bench_sync

# The server counter each route's sync call and stream must move.
KINDS: Dict[str, Tuple[str, str]] = {
    "openai": ("chat", "chat_stream"),
    "anthropic": ("anthropic", "anthropic_stream"),
    "gemini": ("gemini", "gemini_stream"),
}
CASES = [(route, name) for route in ROUTES for name in ("edgequake", "litellm", "httpx")]


@pytest.fixture(scope="module")
def bench_server() -> Iterator[Bench]:
    bench = Bench("127.0.0.1", 0)
    bench.http.start()
    yield bench
    bench.http.stop()


def _target(route: Route, name: str, bench: Bench) -> Target:
    target = route.targets[name]()
    target.setup(route.base_url(bench.http.url))
    return target


def test_every_route_is_measured() -> None:
    assert set(ROUTES) == set(KINDS)
    for route in ROUTES.values():
        assert {"edgequake", "litellm", "httpx"} <= set(route.targets), route.name
    # The OpenAI route keeps the target names older results were written with.
    assert tuple(ROUTES["openai"].defaults) == ("edgequake", "litellm", "openai", "httpx")


@pytest.mark.parametrize("route_name,name", CASES)
def test_answers_match_on_every_route(bench_server: Bench, route_name: str, name: str) -> None:
    route = ROUTES[route_name]
    call_kind, stream_kind = KINDS[route_name]
    target = _target(route, name, bench_server)
    try:
        before = dict(bench_server.counts)
        assert target.call() == EXPECTED_TEXT
        assert target.stream() == EXPECTED_PIECES
        moved = {k: v - before[k] for k, v in bench_server.counts.items() if v != before[k]}
        assert moved == {call_kind: 1, stream_kind: 1}

        async def one_async() -> str:
            async with target.async_session() as acall:
                return await acall()

        assert asyncio.run(one_async()) == EXPECTED_TEXT
    finally:
        target.close()


def test_wrong_answer_fails_the_scenario() -> None:
    # A route that silently returns nothing must not be timed as if it worked.
    with pytest.raises(Mismatch, match="result mismatch"):
        bench_sync(lambda: "", EXPECTED_TEXT, n=1, warmup=1, counter=Counter())


def test_sdk_target_reports_not_installed_or_answers(bench_server: Bench) -> None:
    # The anthropic SDK is optional: absent, setup raises ImportError ("not installed"); present,
    # it must read the same reply as every other target.
    target = ROUTES["anthropic"].targets["anthropic"]()
    try:
        target.setup(ROUTES["anthropic"].base_url(bench_server.http.url))
    except ImportError:
        return
    try:
        assert target.call() == EXPECTED_TEXT
        assert target.stream() == EXPECTED_PIECES
    finally:
        target.close()


def test_targets_option_is_applied_per_route() -> None:
    from bench.run import parse_args, route_targets

    assert route_targets(parse_args(["--quick"])) == {r.name: list(r.defaults) for r in ROUTES.values()}
    plan = route_targets(parse_args(["--routes", "openai,anthropic", "--targets", "edgequake,openai"]))
    assert plan == {"openai": ["edgequake", "openai"], "anthropic": ["edgequake"]}


def test_readme_table_is_built_from_the_json() -> None:
    from bench.report import add_ratios, markdown_summary

    def sync(median: float) -> Dict[str, Dict[str, Dict[str, Any]]]:
        return {
            "sync": {
                n: {"latency_us": {"median": m}}
                for n, m in (("edgequake", median), ("litellm", 10.0), ("httpx", 2.0))
            }
        }

    routes: Dict[str, Any] = {}
    for name, median in (("openai", 1.0), ("gemini", 4.0)):
        results = sync(median)
        add_ratios(results)
        routes[name] = {"model": ROUTES[name].model, "results": results}
    document = {
        "config": {"scenarios": ["sync"], "concurrency": 100},
        "routes": routes,
        "machine": {"cpu_count": 2, "cpu_model": "x", "python": "3.11", "loadavg_at_start": [3.0]},
        "command": ["python", "bench/__main__.py", "--quick"],
        "generated_at": "2026-01-01T00:00:00+00:00",
    }
    table = markdown_summary(document)
    assert "| `openai` (openai/gpt-4o-mini) | 0.10x | 0.50x |" in table
    assert "| `gemini` (gemini/gemini-2.5-flash) | 0.40x | 2.00x |" in table
    assert "`python -m bench --quick`" in table and "other work was running" in table
