"""Benchmarks: edgequake against litellm, the openai SDK and raw httpx (``python -m bench``)."""
