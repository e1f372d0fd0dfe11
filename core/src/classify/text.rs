//! The text checks litellm's mappers run over a provider's reply: rate limit, context window, Azure's
//! content policy, and the phrases that make anything a timeout. They are substring and word rules,
//! ported as litellm writes them, so a reply litellm misreads is misread the same way here.

/// litellm's rate-limit test: a standalone 429 (unless the status says otherwise), "rate limit" in
/// any spelling, or Mistral's capacity message.
pub fn is_rate_limit_text(text: &str, status: Option<u16>) -> bool {
    if (status.is_none() || status == Some(429)) && has_word(text, "429") {
        return true;
    }
    let lower = text.to_lowercase();
    let mut from = 0;
    while let Some(pos) = lower[from..].find("rate") {
        let after = from + pos + 4;
        let rest =
            lower[after..].trim_start_matches(|c: char| c.is_whitespace() || c == '_' || c == '-');
        if rest.starts_with("limit") {
            return true;
        }
        from = after;
    }
    lower.contains("service tier capacity exceeded")
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// `\bword\b` for a word made of word characters.
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before_ok = text[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !is_word_char(c));
        let after_ok = text[i + word.len()..]
            .chars()
            .next()
            .is_none_or(|c| !is_word_char(c));
        before_ok && after_ok
    })
}

/// litellm's context-window test over the provider's text.
pub fn is_context_window_text(text: &str) -> bool {
    let lower = text.to_lowercase();
    if lower.contains("string_above_max_length") {
        return false;
    }
    if lower.contains("invalid 'user'") && lower.contains("string too long") {
        return false;
    }
    const KNOWN: [&str; 12] = [
        "exceed context limit",
        "this model's maximum context length is",
        "requested token count exceeds the model's maximum context length",
        "string too long. expected a string with maximum length",
        "model's maximum context limit",
        "is longer than the model's context length",
        "input tokens exceed the configured limit",
        "`inputs` tokens + `max_new_tokens` must be",
        "exceeds the available context size",
        "exceeds the maximum number of tokens allowed",
        "\"code\": \"context_length_exceeded\"",
        "prompt is too long",
    ];
    KNOWN.iter().any(|s| lower.contains(s))
        || (lower.contains("current length is") && lower.contains("while limit is"))
        || (lower.contains("maximum input length is") && lower.contains("tokens"))
        || (lower.contains("input too long:") && lower.contains("input tokens, limit is"))
}

/// Azure's content-policy phrases.
pub(super) fn is_azure_content_policy_text(text: &str) -> bool {
    let lower = text.to_lowercase();
    [
        "content_policy_violation",
        "responsibleaipolicyviolation",
        "the response was filtered due to the prompt triggering azure openai's content management",
        "your task failed as a result of our safety system",
        "the model produced invalid content",
        "content_filter_policy",
        "your request was rejected as a result of our safety system",
    ]
    .iter()
    .any(|s| lower.contains(s))
}

/// Phrases that make litellm call anything a timeout, whatever the route or status.
pub fn is_generic_timeout_text(text: &str) -> bool {
    [
        "Request Timeout Error",
        "Request timed out",
        "Timed out generating response",
        "The read operation timed out",
    ]
    .iter()
    .any(|s| text.contains(s))
}
