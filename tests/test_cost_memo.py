"""The call path remembers prices (``_cost/stamp``): same answers as computing afresh, a changed table
is seen at once, and a price that depends on the clock (off-peak rates) is never remembered."""

from __future__ import annotations

import json
from typing import Any, Dict, Iterator

import pytest

import edgequake
from edgequake._cost import stamp, table

MODEL = "memo-house-model"


def _entry(**extra: Any) -> Dict[str, Any]:
    row = {"input_cost_per_token": 0.001, "output_cost_per_token": 0.002, "litellm_provider": "openai"}
    return {MODEL: {**row, "mode": "chat", **extra}}


@pytest.fixture
def house_model() -> Iterator[None]:
    try:
        yield
    finally:
        table.model_cost().pop(MODEL, None)
        table.touch()


def _response(prompt: int = 10, completion: int = 10, model: str = MODEL) -> Any:
    usage = edgequake.Usage(
        prompt_tokens=prompt, completion_tokens=completion, total_tokens=prompt + completion
    )
    return edgequake.ModelResponse(
        model=model, choices=[{"message": {"role": "assistant", "content": "hi"}}], usage=usage
    )


def test_a_remembered_price_is_the_computed_one(house_model: None) -> None:
    edgequake.register_model(json.loads(json.dumps(_entry())))
    first = stamp.response_cost(_response(), MODEL, "openai")
    assert first == pytest.approx(10 * 0.001 + 10 * 0.002)
    assert stamp.response_cost(_response(), MODEL, "openai") == first
    assert stamp.response_cost(_response(prompt=20), MODEL, "openai") == pytest.approx(
        20 * 0.001 + 10 * 0.002
    )
    assert stamp.response_cost(_response(model="gpt-4o-mini"), "gpt-4o-mini", "openai") != first


def test_a_changed_table_is_priced_at_once(house_model: None) -> None:
    edgequake.register_model(json.loads(json.dumps(_entry())))
    assert stamp.response_cost(_response(), MODEL, "openai") == pytest.approx(0.03)
    edgequake.register_model(json.loads(json.dumps(_entry(input_cost_per_token=0.005))))
    assert stamp.response_cost(_response(), MODEL, "openai") == pytest.approx(10 * 0.005 + 10 * 0.002)


def test_an_off_peak_price_is_never_remembered(house_model: None) -> None:
    # The whole day is off-peak, so the night rate applies now; then the window is taken away in place
    # (the table's generation unchanged, as when the clock leaves a window): the standard rate again.
    night = {"hours_utc": "00:00-00:00", "input_cost_per_token": 0.0001}
    edgequake.register_model(json.loads(json.dumps(_entry(off_peak_pricing=night))))
    assert stamp.response_cost(_response(), MODEL, "openai") == pytest.approx(10 * 0.0001 + 10 * 0.002)
    table.model_cost()[MODEL]["off_peak_pricing"]["hours_utc"] = []
    assert stamp.response_cost(_response(), MODEL, "openai") == pytest.approx(10 * 0.001 + 10 * 0.002)


def test_an_unpriced_model_stays_none() -> None:
    response = _response(model="no-such-model-anywhere")
    assert stamp.response_cost(response, "no-such-model-anywhere", "openai") is None
    assert stamp.response_cost(response, "no-such-model-anywhere", "openai") is None
