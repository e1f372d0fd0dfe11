"""litellm's ``litellm.types.llms`` package path (``from litellm.types.llms.openai import ...``)."""


def __getattr__(name: str) -> object:
    if name == "openai":  # reached as an attribute: `litellm.types.llms.openai.ResponsesAPIResponse`
        from importlib import import_module

        return import_module(f"{__name__}.openai")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
