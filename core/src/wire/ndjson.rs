//! Newline-delimited JSON framing (Ollama's streams): bytes in as they arrive, one event per
//! complete line. Lines are handed on as event data, so a wire reads them as it reads SSE events.
//! Invalid UTF-8 is replaced with U+FFFD, as httpx's text decoding (litellm's Ollama stream
//! reader) replaces it.

use crate::error::CoreError;
use crate::sse::SseEvent;

/// Lines longer than this are treated as a broken stream rather than buffered without bound.
const MAX_LINE_BYTES: usize = 64 * 1024 * 1024;

#[derive(Debug, Default)]
pub struct NdjsonDecoder {
    buf: Vec<u8>,
}

impl NdjsonDecoder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Feeds bytes; each complete non-blank line is appended to `out`.
    pub fn feed(&mut self, bytes: &[u8], out: &mut Vec<SseEvent>) -> Result<(), CoreError> {
        self.buf.extend_from_slice(bytes);
        let mut start = 0;
        while let Some(offset) = self.buf[start..].iter().position(|b| *b == b'\n') {
            let end = start + offset;
            push_line(&self.buf[start..end], out)?;
            start = end + 1;
        }
        self.buf.drain(..start);
        if self.buf.len() > MAX_LINE_BYTES {
            return Err(CoreError::Transport {
                detail: "stream line exceeds 64 MiB".into(),
            });
        }
        Ok(())
    }

    /// End of input: a last line without its newline is still a whole line (Ollama ends with `\n`,
    /// but a proxy may not); if it is cut mid-value the wire's JSON parse says so.
    pub fn finish(&mut self, out: &mut Vec<SseEvent>) -> Result<(), CoreError> {
        let rest = std::mem::take(&mut self.buf);
        push_line(&rest, out)
    }
}

fn push_line(line: &[u8], out: &mut Vec<SseEvent>) -> Result<(), CoreError> {
    let text = String::from_utf8_lossy(line);
    let text = text.trim();
    if !text.is_empty() {
        out.push(SseEvent {
            event: None,
            data: text.to_owned(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_in_pieces(input: &[u8], piece: usize) -> Vec<String> {
        let mut d = NdjsonDecoder::new();
        let mut out = Vec::new();
        for chunk in input.chunks(piece.max(1)) {
            assert!(d.feed(chunk, &mut out).is_ok());
        }
        assert!(d.finish(&mut out).is_ok());
        out.into_iter().map(|e| e.data).collect()
    }

    #[test]
    fn lines_survive_every_split_point() {
        let body = "{\"a\":1}\r\n\n{\"b\":\"héllo 🌍\"}\n{\"done\":true}";
        let whole = decode_in_pieces(body.as_bytes(), body.len());
        assert_eq!(
            whole,
            vec!["{\"a\":1}", "{\"b\":\"héllo 🌍\"}", "{\"done\":true}"]
        );
        for piece in 1..body.len() {
            assert_eq!(decode_in_pieces(body.as_bytes(), piece), whole);
        }
    }

    #[test]
    fn invalid_utf8_is_replaced_as_httpx_replaces_it() {
        let mut d = NdjsonDecoder::new();
        let mut out = Vec::new();
        assert!(d.feed(b"{\"a\": \"x\xff\xfey\"}\n", &mut out).is_ok());
        assert_eq!(out[0].data, "{\"a\": \"x\u{fffd}\u{fffd}y\"}");
    }
}
