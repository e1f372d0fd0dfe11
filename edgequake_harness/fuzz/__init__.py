"""Property-based differential testing: generated traffic, shrunk into regression cassettes."""
