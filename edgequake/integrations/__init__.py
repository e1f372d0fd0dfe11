"""``litellm.integrations``: the module path libraries import ``CustomLogger`` from."""

from edgequake.integrations import custom_logger

__all__ = ["custom_logger"]
