"""Exceptions: litellm's classes on openai's bases, and the one mapping from core failures to them."""
