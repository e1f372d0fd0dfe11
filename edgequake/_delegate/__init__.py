"""Delegation: calls for providers edgequake does not speak natively, run by the real litellm.

The rooms: ``locate`` finds the real litellm distribution (also when ``sys.modules["litellm"]`` is
edgequake) and keeps litellm's own imports pointing at litellm; ``settings`` carries edgequake's
module settings over; ``convert`` turns litellm's responses and exceptions into edgequake's;
``stream`` wraps litellm's streams; ``call`` puts them together for ``edgequake._call.run``.
Decision record: docs/adr/0009-delegation.md.
"""
