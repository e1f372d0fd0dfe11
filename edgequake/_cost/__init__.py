"""litellm's cost and token utilities (``completion_cost``, ``cost_per_token``, ``get_model_info``,
``token_counter``, ...), re-implemented over litellm's own price table (``model_prices.json``, see
``PROVENANCE.md``), which loads on first use, never at ``import edgequake``.

One concern per module: ``table`` (the data), ``lookup`` (model names to entries, ``get_model_info``),
``rates`` (usage times rates), ``calculator`` (litellm's entry points), ``counting`` (tokens),
``stamp`` (the cost the call path puts on responses and stream usage).
"""
