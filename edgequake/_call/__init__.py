"""Making a call: routing the model string, resolving arguments, running the core, streams."""
