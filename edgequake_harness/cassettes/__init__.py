"""Cassettes: formats, discovery, and the litellm call each recording reproduces."""
