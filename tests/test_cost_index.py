"""The price table's index (``model_prices.index.json``) answers exactly what the whole table does:
every key, every entry, the case-insensitive names and the rules; a stale index is never used."""

from __future__ import annotations

import json
from typing import Any, Iterator

import pytest

from edgequake._cost import table


@pytest.fixture()
def fresh_table() -> Iterator[None]:
    """Neither the whole table nor the index loaded; restored afterwards."""
    saved = (table._cost, table._sparse, table._sparse_failed, list(table._rules))
    table._cost, table._sparse, table._sparse_failed = None, None, False
    yield
    table._cost, table._sparse, table._sparse_failed = saved[:3]
    table._rules[:] = saved[3]


def _whole() -> Any:
    with open(table._PATH, encoding="utf-8") as file:
        text = file.read()
    return text, table._finalise(json.loads(text))


def test_the_shipped_index_is_the_tables(fresh_table: None) -> None:
    text, _ = _whole()
    with open(table.INDEX_PATH, encoding="utf-8") as file:
        shipped = json.load(file)
    assert shipped == table.build_index(text), "run tools/refresh_model_prices.py"


def test_every_entry_through_the_index_is_the_whole_tables(fresh_table: None) -> None:
    _, whole = _whole()
    rules = list(table._rules)
    table._rules[:] = []
    sparse = table._sparse_table()
    assert sparse is not None and table._cost is None
    assert sparse.keys == list(whole)
    for key, entry in whole.items():
        assert table.find_key(key) == key
        assert table.get_entry(key) == entry, key
        assert table.find_key(key.upper()) == {k.lower(): k for k in whole}[key.lower()]
    assert table.find_key("no-such-model-anywhere") is None
    assert table.generalization_rules() == rules
    assert table._cost is None  # none of that loaded the whole table


def test_aliases_share_their_owners_entry(fresh_table: None) -> None:
    _, whole = _whole()
    shared = [(a, b) for a in whole for b in whole if a < b and whole[a] is whole[b]][:5]
    assert shared, "the table has aliases"
    for a, b in shared:
        assert table.get_entry(a) is table.get_entry(b)


def test_a_stale_index_loads_the_whole_table(fresh_table: None, tmp_path: Any, monkeypatch: Any) -> None:
    stale = tmp_path / "index.json"
    stale.write_text(json.dumps({"size": 1, "ascii": True, "keys": [], "owners": [], "spans": []}))
    monkeypatch.setattr(table, "INDEX_PATH", str(stale))
    assert table.find_key("gpt-4o-mini") == "gpt-4o-mini"
    assert table._cost is not None and table._sparse is None


def test_the_whole_table_wins_once_loaded(fresh_table: None) -> None:
    assert table.get_entry("gpt-4o-mini")["litellm_provider"] == "openai"
    cost = table.model_cost()
    cost["gpt-4o-mini"] = {**cost["gpt-4o-mini"], "input_cost_per_token": 1.0}
    try:
        assert table.get_entry("gpt-4o-mini")["input_cost_per_token"] == 1.0
    finally:
        table._cost = None


def test_pricing_a_response_never_builds_litellms_exceptions_for_an_unlisted_model() -> None:
    # The call path prices every response and drops any failure: an unlisted model must not cost
    # the import of openai (litellm's exception classes) there, but every public function still
    # raises litellm's ModelNotMappedError.
    from edgequake import exceptions
    from edgequake._cost import lookup
    from edgequake._cost.calculator import completion_cost

    with lookup.quietly():
        with pytest.raises(lookup._Unpriced):
            lookup.entry("no-such-model-anywhere", "openai")
        # get_model_info's Ollama fallback still recognises the miss
        assert lookup.model_info_base("ollama_chat/no-such-model")["litellm_provider"] == "ollama"
    with pytest.raises(exceptions.ModelNotMappedError):
        lookup.entry("no-such-model-anywhere", "openai")
    with pytest.raises(exceptions.ModelNotMappedError):
        completion_cost(model="openai/no-such-model-anywhere", prompt="hi", completion="there")
