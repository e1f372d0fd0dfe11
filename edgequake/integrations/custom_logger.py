"""``litellm.integrations.custom_logger.CustomLogger``: the base class of user callbacks.

Subclass it and override the hooks you need; put the instance in ``edgequake.callbacks`` (or
``success_callback`` / ``failure_callback``, or a call's ``callbacks=``). The hooks and their
arguments are litellm 1.110.2's; when each one fires is in docs/callbacks.md. litellm passes the
four event arguments by keyword (``kwargs=``, ``response_obj=``, ``start_time=``, ``end_time=``),
and so does edgequake, so overrides must keep those parameter names.
"""

from __future__ import annotations

from typing import Any, Optional


class CustomLogger:
    """No-op hooks; edgequake calls the ones a subclass overrides (any object with these methods works)."""

    def __init__(
        self, turn_off_message_logging: bool = False, message_logging: bool = True, **kwargs: Any
    ) -> None:
        self.message_logging = message_logging
        self.turn_off_message_logging = turn_off_message_logging

    # -- sync -----------------------------------------------------------------------------------
    def log_pre_api_call(self, model: Any, messages: Any, kwargs: Any) -> None:
        pass

    def log_post_api_call(self, kwargs: Any, response_obj: Any, start_time: Any, end_time: Any) -> None:
        pass

    def log_stream_event(self, kwargs: Any, response_obj: Any, start_time: Any, end_time: Any) -> None:
        pass

    def log_success_event(self, kwargs: Any, response_obj: Any, start_time: Any, end_time: Any) -> None:
        pass

    def log_failure_event(self, kwargs: Any, response_obj: Any, start_time: Any, end_time: Any) -> None:
        pass

    # -- async ----------------------------------------------------------------------------------
    async def async_log_stream_event(
        self, kwargs: Any, response_obj: Any, start_time: Any, end_time: Any
    ) -> None:
        pass

    async def async_log_pre_api_call(self, model: Any, messages: Any, kwargs: Any) -> None:
        pass

    async def async_log_success_event(
        self, kwargs: Any, response_obj: Any, start_time: Any, end_time: Any
    ) -> None:
        pass

    async def async_log_failure_event(
        self, kwargs: Any, response_obj: Any, start_time: Any, end_time: Any
    ) -> None:
        pass

    async def async_pre_call_hook(
        self, user_api_key_dict: Any, cache: Any, data: dict, call_type: Any
    ) -> Optional[Any]:
        """A proxy hook in litellm (the SDK's ``acompletion`` never calls it); kept for subclasses."""
        return None

    # -- litellm's legacy entry points (a CustomLogger passed as a plain function) ---------------
    def log_input_event(
        self, model: Any, messages: Any, kwargs: Any, print_verbose: Any, callback_func: Any
    ) -> None:
        callback_func(model, messages, kwargs)

    def log_event(
        self,
        kwargs: Any,
        response_obj: Any,
        start_time: Any,
        end_time: Any,
        print_verbose: Any,
        callback_func: Any,
    ) -> None:
        callback_func(kwargs, response_obj, start_time, end_time)


__all__ = ["CustomLogger"]
