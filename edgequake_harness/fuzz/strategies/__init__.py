"""Hypothesis strategies for provider traffic, as `Scenario`s the fuzz replay server serves.

* `common`: the `Scenario`, `LITELLM_RESTRICTIONS`, and the scalar strategies and helpers shared by
  every provider family;
* `openai_wire`: the OpenAI-wire providers and the pieces of their traffic (usage, choices, requests);
* `openai_scenarios`: OpenAI-wire chat, stream and error scenarios;
* `native`: Anthropic messages and Gemini generateContent scenarios.

The names the runner, the cassette writer and the property tests use are re-exported here. There is
deliberately no ``__all__``: hypothesis draws string constants from the source of local modules, so a
list of names here would change the examples the derandomized property tests generate.
"""

from edgequake_harness.fuzz.strategies.common import ARGUMENTS as ARGUMENTS
from edgequake_harness.fuzz.strategies.common import COUNT as COUNT
from edgequake_harness.fuzz.strategies.common import IDENT as IDENT
from edgequake_harness.fuzz.strategies.common import LITELLM_RESTRICTIONS as LITELLM_RESTRICTIONS
from edgequake_harness.fuzz.strategies.common import PROSE as PROSE
from edgequake_harness.fuzz.strategies.common import TOKEN_ID as TOKEN_ID
from edgequake_harness.fuzz.strategies.common import Draw as Draw
from edgequake_harness.fuzz.strategies.common import Json as Json
from edgequake_harness.fuzz.strategies.common import Scenario as Scenario
from edgequake_harness.fuzz.strategies.common import byte_cuts as byte_cuts
from edgequake_harness.fuzz.strategies.common import dumps as dumps
from edgequake_harness.fuzz.strategies.common import pieces as pieces
from edgequake_harness.fuzz.strategies.native import NATIVE as NATIVE
from edgequake_harness.fuzz.strategies.native import native_scenarios as native_scenarios
from edgequake_harness.fuzz.strategies.openai_scenarios import chat_scenarios as chat_scenarios
from edgequake_harness.fuzz.strategies.openai_scenarios import error_scenarios as error_scenarios
from edgequake_harness.fuzz.strategies.openai_scenarios import openai_wire_scenarios as openai_wire_scenarios
from edgequake_harness.fuzz.strategies.openai_scenarios import stream_scenarios as stream_scenarios
from edgequake_harness.fuzz.strategies.openai_wire import OPENAI_WIRE as OPENAI_WIRE
from edgequake_harness.fuzz.strategies.openai_wire import WIRE_BY_NAME as WIRE_BY_NAME
from edgequake_harness.fuzz.strategies.openai_wire import WireProvider as WireProvider
