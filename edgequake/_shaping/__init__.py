"""The core's OpenAI-shaped JSON -> litellm's response objects, per route family."""
