"""Running cases: the targets (litellm-compatible modules) and the runner that drives them."""
