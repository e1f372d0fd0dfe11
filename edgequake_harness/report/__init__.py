"""Reports: compat.json, Markdown, coverage, and the release gate."""
