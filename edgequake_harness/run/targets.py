"""Targets: importable modules with litellm's API, run the way a user runs them.

A target is named by its module (`litellm`, `edgequake`, or any drop-in). Each call is made with
the same kwargs on every target, synchronously (`completion`, a stream read with `for`) or, in
async mode, with the async twins (`acompletion`, `async for`); a stream is consumed chunk by chunk,
then, for chat completions, assembled with the target's own `stream_chunk_builder`, as users do.

What a run observes is plain JSON data (`Observation`), so it can be normalised, diffed, written
to reports and sent across pytest-xdist workers.

Optional hook for candidates that hand some providers to another library: a module-level
`__compat_delegates__(function: str, model: str) -> str | None` returning a reason when the
call is delegated. Such cases are reported as "delegated", never as conformant.
"""

from __future__ import annotations

import asyncio
import importlib
import os
import threading
import time
import warnings
from types import ModuleType
from typing import Any, Dict, List, Optional

from edgequake_harness.cassettes.derive import Call
from edgequake_harness.judge.identity import RESULT_CLASSES, own_instance
from edgequake_harness.judge.observation import (
    Observation,
    attribute_mismatches,
    describe_exception,
    dump,
    priced,
)
from edgequake_harness.run import variants

PINNED_LITELLM = "1.110.2"
# litellm releases that shipped a credential stealer (oracle section 5): never import them.
COMPROMISED_LITELLM = frozenset({"1.82.7", "1.82.8"})
DEFAULT_DEADLINE_S = 60.0


class TargetError(Exception):
    """A target that cannot be used at all (not importable, compromised, not litellm-shaped)."""


def offline_environment() -> None:
    """Environment every target runs in: loopback only, litellm's classic Python path.

    Without these, litellm fetches its cost map at import, its Anthropic beta-header config on the
    first Anthropic call, and, for huggingface models, a tokenizer from the Hub when assembling a
    stream (retrying for ~25 s offline).
    """
    os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"
    os.environ["LITELLM_LOCAL_ANTHROPIC_BETA_HEADERS"] = "True"
    os.environ["LITELLM_RUST"] = "0"
    os.environ["HF_HUB_OFFLINE"] = "1"


class EventLoop:
    """An asyncio loop in a daemon thread, shared by every async-mode call of a run."""

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="harness-async", daemon=True)
        self._thread.start()

    def submit(self, coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result()

    def close(self) -> None:
        async def cancel_all() -> None:
            # Background tasks targets leave behind (litellm's logging worker) end with the run.
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(cancel_all(), self._loop).result(5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        self._loop.close()


class Target:
    def __init__(self, name: str, module: ModuleType, version: str) -> None:
        self.name, self.module, self.version = name, module, version

    @classmethod
    def load(cls, name: str) -> Target:
        offline_environment()
        try:
            module = importlib.import_module(name)
        except Exception as exc:  # any import failure makes the target unusable, with the reason
            raise TargetError(f"cannot import target {name!r}: {type(exc).__name__}: {exc}") from exc
        version = module_version(name, module)
        if name == "litellm" and version in COMPROMISED_LITELLM:
            raise TargetError(
                f"litellm {version} is a compromised release; install litellm=={PINNED_LITELLM}"
            )
        if not callable(getattr(module, "completion", None)):
            raise TargetError(f"target {name!r} has no completion() function: not litellm-compatible")
        if hasattr(module, "suppress_debug_info"):
            # litellm prints "Provider List"/"Give Feedback" banners on stdout otherwise.
            setattr(module, "suppress_debug_info", True)  # noqa: B010  (module attribute, not typed)
        return cls(name, module, version)

    def run(
        self,
        call: Call,
        server_url: str,
        deadline_s: float = DEFAULT_DEADLINE_S,
        loop: Optional[EventLoop] = None,
        variant: Optional[str] = None,
    ) -> Observation:
        """Run the call against the server; never raises (everything lands in the observation).

        Async-mode calls run on `loop` (one long-lived loop, as in an application: libraries that
        cache clients or workers per loop behave as they do for users), else on a temporary one.
        `variant` (run.variants) makes the same call through module globals, the environment, or with
        the litellm-only arguments libraries pass.
        """
        observation = Observation()
        started = time.perf_counter()
        arguments = call.arguments(server_url)
        with variants.applied(variant, self.module, call, arguments):
            worker = threading.Thread(
                target=self._run, args=(call, arguments, observation, loop), daemon=True
            )
            worker.start()
            # A target that hangs must not hang the run: it is abandoned (daemon thread) and reported.
            worker.join(deadline_s)
        if worker.is_alive():
            observation.exception = {
                "class": "HarnessTimeout",
                "message": f"no result after {deadline_s:.0f} s",
            }
            observation.phase = "harness"
        observation.duration_s = round(time.perf_counter() - started, 4)
        return observation

    def _run(
        self, call: Call, arguments: Dict[str, Any], observation: Observation, loop: Optional[EventLoop]
    ) -> None:
        # Targets warn about odd data (pydantic serializer warnings on base64 embeddings); that is
        # their business and must not turn into errors under `filterwarnings = error`.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self._call(call, arguments, observation, loop)

    def _call(
        self, call: Call, arguments: Dict[str, Any], observation: Observation, loop: Optional[EventLoop]
    ) -> None:
        # Async mode uses litellm's async twins (acompletion, aembedding) and `async for`.
        name = call.function if call.mode == "sync" else f"a{call.function}"
        function = getattr(self.module, name, None)
        if not callable(function):
            # Checked before delegation: a function the target lacks is its error, whoever would
            # have served the provider.
            observation.exception = {"class": "HarnessMissingFunction", "message": f"{self.name}.{name}"}
            observation.phase = "harness"
            return
        hook = getattr(self.module, "__compat_delegates__", None)
        if callable(hook):
            observation.delegated = hook(call.function, call.model) or None
        # Only chat completion streams are rebuilt with `stream_chunk_builder`, as users do; other
        # streams (the Responses API's events) are compared chunk by chunk.
        assemble = call.function == "completion"
        state = {"phase": "call", "function": call.function}
        try:
            if call.mode == "async":
                coroutine = self._consume_async(
                    function, arguments, call.stream, assemble, observation, state
                )
                if loop is None:
                    asyncio.run(coroutine)
                else:
                    loop.submit(coroutine)
            else:
                self._consume(function(**arguments), arguments, call.stream, assemble, observation, state)
        except BaseException as exc:  # the exception *is* the observation, whatever it is
            observation.exception = describe_exception(exc)
            observation.phase = state["phase"]
            if observation.exception.get("openai_base") is not None:  # a litellm-family exception
                _note_foreign(observation, "exception", own_instance(self.module, exc))

    def _consume(
        self,
        result: Any,
        arguments: Dict[str, Any],
        stream: bool,
        assemble: bool,
        observation: Observation,
        state: Dict[str, str],
    ) -> None:
        if not stream:
            self._record_response(observation, result, state)
            return
        chunks = self._begin_stream(observation, state, result)
        for chunk in result:
            self._record_chunk(observation, chunks, chunk, state)
        if assemble:
            self._assemble(chunks, arguments, observation, state)

    async def _consume_async(
        self,
        function: Any,
        arguments: Dict[str, Any],
        stream: bool,
        assemble: bool,
        observation: Observation,
        state: Dict[str, str],
    ) -> None:
        result = await function(**arguments)
        if not stream:
            self._record_response(observation, result, state)
            return
        chunks = self._begin_stream(observation, state, result)
        async for chunk in result:
            self._record_chunk(observation, chunks, chunk, state)
        if assemble:
            self._assemble(chunks, arguments, observation, state)

    def _assemble(
        self, chunks: List[Any], arguments: Dict[str, Any], observation: Observation, state: Dict[str, str]
    ) -> None:
        state["phase"] = "assemble"
        builder = getattr(self.module, "stream_chunk_builder", None)
        if callable(builder):
            built = builder(chunks, messages=arguments.get("messages"))
            observation.assembled = dump(built)
            _note_foreign(observation, "assembled", own_instance(self.module, built, "ModelResponse"))

    def _record_response(self, observation: Observation, result: Any, state: Dict[str, str]) -> None:
        observation.response = dump(result)
        observation.attributes = attribute_mismatches(result, observation.response)
        observation.cost = priced(result)
        name = RESULT_CLASSES.get(state["function"])
        if name is not None:
            _note_foreign(observation, "response", own_instance(self.module, result, name))

    def _begin_stream(self, observation: Observation, state: Dict[str, str], stream: Any) -> List[Any]:
        state["phase"] = "stream"
        observation.chunks = []
        if state["function"] == "completion":
            _note_foreign(observation, "stream", own_instance(self.module, stream, "CustomStreamWrapper"))
        return []  # the live chunk objects, kept for stream_chunk_builder

    def _record_chunk(
        self, observation: Observation, chunks: List[Any], chunk: Any, state: Dict[str, str]
    ) -> None:
        chunks.append(chunk)
        assert observation.chunks is not None
        observation.chunks.append(dump(chunk))
        if state["function"] == "completion" and "chunks" not in observation.identity:
            _note_foreign(observation, "chunks", own_instance(self.module, chunk, "ModelResponseStream"))


def _note_foreign(observation: Observation, what: str, own: Optional[bool]) -> None:
    """Only a violation is recorded: ``what`` is an instance of another library's class where the
    target has its own of that name (None: the target has no such class; nothing to say)."""
    if own is False:
        observation.identity[what] = "not the target's own class"


def module_version(name: str, module: ModuleType) -> str:
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return str(getattr(module, "__version__", "unknown"))
