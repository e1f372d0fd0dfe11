//! litellm's `parse_content_for_reasoning`: a content that starts with a `<think>` (or `<thinking>`,
//! `<budget:thinking>`) block is split into the block's text and what follows the first closing tag.

const OPEN: [&str; 3] = ["<think>", "<thinking>", "<budget:thinking>"];
const CLOSE: [&str; 3] = ["</think>", "</thinking>", "</budget:thinking>"];

/// `(reasoning, rest)` when `text` starts with a reasoning block that is closed, else None.
pub fn split_think(text: &str) -> Option<(&str, &str)> {
    let open = OPEN.iter().find(|o| text.starts_with(**o))?;
    let body = text.get(open.len()..)?;
    // the regex's lazy `(.*?)` stops at the earliest closing tag of any of the three kinds
    let (at, close) = CLOSE
        .iter()
        .filter_map(|c| body.find(c).map(|i| (i, *c)))
        .min_by_key(|(i, _)| *i)?;
    Some((body.get(..at)?, body.get(at + close.len()..)?))
}

#[cfg(test)]
mod tests {
    use super::split_think;

    #[test]
    fn splits_a_leading_block_at_the_first_close() {
        assert_eq!(split_think("<think>a</think>b"), Some(("a", "b")));
        assert_eq!(
            split_think("<thinking>a</think>b</thinking>"),
            Some(("a", "b</thinking>"))
        );
        assert_eq!(split_think("x<think>a</think>"), None);
        assert_eq!(split_think("<think>open"), None);
        assert_eq!(split_think(""), None);
    }
}
