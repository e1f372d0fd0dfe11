"""litellm's ``litellm.secret_managers`` path (``from litellm.secret_managers.main import get_secret``)."""
