"""The loopback replay server and how it matches live requests to recordings."""
