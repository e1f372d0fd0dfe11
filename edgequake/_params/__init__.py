"""The request body litellm 1.110.2 sends on the OpenAI-wire routes, and the rules behind it."""
