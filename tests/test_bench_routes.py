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
    "ollama": ("ollama", "ollama_stream"),
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
    assert tuple(ROUTES["openai"].defaults)[:4] == ("edgequake", "litellm", "openai", "httpx")
    assert "aiohttp" in ROUTES["openai"].defaults  # the async floor, by default


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


@pytest.mark.parametrize("route_name", sorted(ROUTES))
@pytest.mark.parametrize("name", ["edgequake", "httpx"])
def test_long_streams_carry_every_piece(bench_server: Bench, route_name: str, name: str) -> None:
    # A 100-chunk stream (98 pieces) on every wire: the size is asked for in the message text.
    target = _target(ROUTES[route_name], name, bench_server)
    try:
        expected = target.stream_size(100)
        assert len(expected) == 98
        assert target.stream() == expected
        assert target.first_piece_ns > 0
        target.stream_size(5)
        assert target.stream() == EXPECTED_PIECES
    finally:
        target.close()


@pytest.mark.parametrize("name", ["edgequake", "httpx"])
@pytest.mark.parametrize("encoding", ["float", "base64"])
def test_embeddings_return_every_vector(bench_server: Bench, name: str, encoding: str) -> None:
    from bench.embeddings import embedder, expected

    target = _target(ROUTES["openai"], name, bench_server)
    try:
        call = embedder(target, 3, encoding)
        assert call is not None and call() == expected(3, encoding)
    finally:
        target.close()


def test_async_plan_bounds_rounds() -> None:
    from bench.worker import async_plan, stream_count

    config = {"async_rounds": 20, "async_warmup": 2, "concurrency": 100,
              "concurrency_levels": [1, 10, 100, 1000, 10000]}  # fmt: skip
    assert async_plan(config) == [
        ("async_1", 1, 200, 2), ("async_10", 10, 200, 2), ("async", 100, 20, 2),
        ("async_1000", 1000, 2, 2), ("async_10000", 10000, 1, 0),
    ]  # fmt: skip
    assert [stream_count(500, c) for c in (5, 100, 1000)] == [500, 112, 35]


def test_markdown_tables_replace_only_between_markers(tmp_path: Any) -> None:
    from bench.markdown import DOC_MARKERS, replace_between

    doc = tmp_path / "perf.md"
    doc.write_text(f"before\n{DOC_MARKERS[0]}\nold\n{DOC_MARKERS[1]}\nafter\n")
    replace_between(doc, DOC_MARKERS, "new table")
    assert doc.read_text() == f"before\n{DOC_MARKERS[0]}\nnew table\n{DOC_MARKERS[1]}\nafter\n"
