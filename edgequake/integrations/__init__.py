"""``litellm.integrations``: the module path libraries import ``CustomLogger`` from."""
