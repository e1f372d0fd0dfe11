"""``litellm.litellm_core_utils``: the submodules libraries import by litellm's path (crewai imports
``get_supported_openai_params`` from here)."""
