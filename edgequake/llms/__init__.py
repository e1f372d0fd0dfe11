"""litellm's ``litellm.llms`` path, for the names libraries import from it (``litellm.llms.custom_llm``)."""
