"""The fault matrix (issue 12): a loopback fault server, the cells (fault x call mode x provider) and
what one cell does to a litellm-compatible module. Shared by tests/test_fault_matrix.py and the tools
that measure litellm (tools/measure_faults.py) and write docs/reliability.md (tools/gen_reliability.py)."""
