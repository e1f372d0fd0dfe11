//! Recorded Ollama bytes (from `cassettes/ollama/`) in, OpenAI-shaped JSON out.
