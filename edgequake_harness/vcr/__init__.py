"""Cassette replay and recording for users' own test suites (docs/vcr.md, docs/adr/0013).

A vcrpy cassette stays the one source of truth: vcrpy matches, records and saves it, and answers
the Python HTTP libraries it patches (litellm's httpx and aiohttp). The requests edgequake's Rust
core sends, which no Python patch reaches, are diverted to a loopback bridge (`bridge.py`) that
asks the same cassette. `plugin.py` is the pytest side; `recording.py` the marker, fixtures and
`--record-mode` when pytest-recording is not there to provide them; `scrub.py` keeps secrets off disk.
"""
