"""dspy's quickstart on its LiteLLM engine: Predict, ChainOfThought, a JSON-adapter signature, acall,
streamify; then the same Predict through Anthropic's route."""

from __future__ import annotations

import asyncio
import os
import tempfile

os.environ.setdefault("DSPY_CACHEDIR", tempfile.mkdtemp(prefix="dspy-cache-"))

import _fake
import dspy
from _fake import chat, chat_stream, script, step


def lm(model: str = "openai/gpt-4o-mini", base: str = _fake.OPENAI_BASE) -> dspy.LM:
    # engine="litellm": dspy 3.4 prefers its own lm15 engine; the suite is about the LiteLLM one.
    # cache=False: the second run (other implementation) must reach the server too.
    return dspy.LM(model, engine="litellm", api_base=base, api_key=_fake.KEY, cache=False, num_retries=0)


def fields(pred: dspy.Prediction) -> dict:
    return {k: pred[k] for k in pred.keys()}  # noqa: SIM118 - a Prediction, not a dict


def main() -> None:
    dspy.configure(lm=lm())

    with step("predict") as out:
        script("predict", chat("[[ ## answer ## ]]\n4\n\n[[ ## completed ## ]]"))
        out["prediction"] = fields(dspy.Predict("question -> answer")(question="What is 2+2?"))
        out["history_usage"] = dspy.settings.lm.history[-1].get("usage")

    with step("chain_of_thought") as out:
        reply = "[[ ## reasoning ## ]]\n2 plus 2 is 4.\n\n[[ ## answer ## ]]\n4\n\n[[ ## completed ## ]]"
        script("chain_of_thought", chat(reply))
        out["prediction"] = fields(dspy.ChainOfThought("question -> answer")(question="What is 2+2?"))

    class Extract(dspy.Signature):
        """Extract the city and its population."""

        text: str = dspy.InputField()
        city: str = dspy.OutputField()
        population: int = dspy.OutputField()

    with step("json_adapter") as out:
        script("json_adapter", chat('{"city": "Paris", "population": 2100000}'))
        with dspy.context(adapter=dspy.JSONAdapter()):
            out["prediction"] = fields(dspy.Predict(Extract)(text="Paris has 2.1 million people."))

    with step("acall") as out:
        script("acall", chat("[[ ## answer ## ]]\nBlue\n\n[[ ## completed ## ]]"))
        pred = asyncio.run(dspy.Predict("question -> answer").acall(question="Sky colour?"))
        out["prediction"] = fields(pred)

    with step("streamify") as out:
        pieces = ["[[ ## answer ## ]]\n", "Once upon ", "a time.", "\n\n[[ ## completed ## ]]"]
        script("streamify", chat_stream(pieces))
        program = dspy.streamify(
            dspy.Predict("topic -> answer"),
            stream_listeners=[dspy.streaming.StreamListener(signature_field_name="answer")],
        )

        async def consume() -> dict:
            chunks, final = [], None
            async for item in program(topic="a story"):
                if isinstance(item, dspy.streaming.StreamResponse):
                    chunks.append(item.chunk)
                elif isinstance(item, dspy.Prediction):
                    final = fields(item)
            return {"chunks": chunks, "final": final}

        out.update(asyncio.run(consume()))

    with step("anthropic_predict") as out:
        script("anthropic_predict", _fake.anthropic("[[ ## answer ## ]]\n4\n\n[[ ## completed ## ]]"))
        with dspy.context(lm=lm("anthropic/claude-sonnet-4-5", _fake.ANTHROPIC_BASE)):
            out["prediction"] = fields(dspy.Predict("question -> answer")(question="What is 2+2?"))

    _fake.finish()


main()
