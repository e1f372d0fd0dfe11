//! Incremental Server-Sent Events decoding: bytes in as they arrive, events out as soon as their
//! blank line is seen. Handles `\n`, `\r\n` and `\r` line ends split across reads, comment lines
//! (`:` keep-alives from OpenRouter), and multi-line `data:` fields. Invalid UTF-8 is an error
//! (the openai SDK's decoding), or, for the wires litellm reads with httpx's text decoding
//! (`SseDecoder::lossy`), replaced with U+FFFD as httpx replaces it.

use crate::error::CoreError;

/// One dispatched event. `data` is the `data:` lines joined by `\n`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEvent {
    pub event: Option<String>,
    pub data: String,
}

/// Lines longer than this are treated as a broken stream rather than buffered without bound.
const MAX_LINE_BYTES: usize = 64 * 1024 * 1024;

#[derive(Debug, Default)]
pub struct SseDecoder {
    buf: Vec<u8>,
    event: Option<String>,
    data: String,
    has_data: bool,
    lossy: bool,
}

impl SseDecoder {
    pub fn new() -> Self {
        Self::default()
    }

    /// A decoder that replaces invalid UTF-8 instead of failing (httpx's `iter_lines`).
    pub fn lossy() -> Self {
        Self {
            lossy: true,
            ..Self::default()
        }
    }

    /// Feeds bytes; complete events are appended to `out`.
    pub fn feed(&mut self, bytes: &[u8], out: &mut Vec<SseEvent>) -> Result<(), CoreError> {
        self.buf.extend_from_slice(bytes);
        let mut start = 0;
        let mut i = 0;
        while i < self.buf.len() {
            match self.buf[i] {
                b'\n' => {
                    self.line_at(start, i, out)?;
                    i += 1;
                    start = i;
                }
                b'\r' => {
                    // A trailing `\r` may be the first half of `\r\n`: wait for the next read.
                    if i + 1 == self.buf.len() {
                        break;
                    }
                    self.line_at(start, i, out)?;
                    i += if self.buf[i + 1] == b'\n' { 2 } else { 1 };
                    start = i;
                }
                _ => i += 1,
            }
        }
        self.buf.drain(..start);
        if self.buf.len() > MAX_LINE_BYTES {
            return Err(CoreError::Transport {
                detail: "stream line exceeds 64 MiB".into(),
            });
        }
        Ok(())
    }

    /// End of input. As the SSE spec says (and the openai SDK does), an event whose blank line never
    /// came is incomplete and is not dispatched: a body cut mid-event yields the events before it.
    pub fn finish(&mut self, out: &mut Vec<SseEvent>) -> Result<(), CoreError> {
        // A lone trailing `\r` was held back in case `\n` followed: it ends its line after all.
        if self.buf.last() == Some(&b'\r') {
            let end = self.buf.len() - 1;
            self.line_at(0, end, out)?;
        }
        self.buf.clear();
        self.data.clear();
        self.event = None;
        self.has_data = false;
        Ok(())
    }

    fn line_at(
        &mut self,
        start: usize,
        end: usize,
        out: &mut Vec<SseEvent>,
    ) -> Result<(), CoreError> {
        let bytes = self.buf.get(start..end).unwrap_or_default();
        let line = if self.lossy {
            String::from_utf8_lossy(bytes).into_owned()
        } else {
            std::str::from_utf8(bytes)
                .map_err(|e| CoreError::Transport {
                    detail: format!("stream is not valid UTF-8: {e}"),
                })?
                .to_owned()
        };
        self.line(&line, out);
        Ok(())
    }

    fn line(&mut self, line: &str, out: &mut Vec<SseEvent>) {
        if line.is_empty() {
            self.dispatch(out);
            return;
        }
        if line.starts_with(':') {
            return;
        }
        let (field, value) = match line.split_once(':') {
            Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
            None => (line, ""),
        };
        match field {
            "data" => {
                if self.has_data {
                    self.data.push('\n');
                }
                self.data.push_str(value);
                self.has_data = true;
            }
            "event" => self.event = Some(value.to_owned()),
            _ => {}
        }
    }

    fn dispatch(&mut self, out: &mut Vec<SseEvent>) {
        if self.has_data {
            out.push(SseEvent {
                event: self.event.take(),
                data: std::mem::take(&mut self.data),
            });
        }
        self.event = None;
        self.has_data = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_in_pieces(input: &[u8], piece: usize) -> Vec<SseEvent> {
        let mut d = SseDecoder::new();
        let mut out = Vec::new();
        for chunk in input.chunks(piece.max(1)) {
            assert!(d.feed(chunk, &mut out).is_ok());
        }
        assert!(d.finish(&mut out).is_ok());
        out
    }

    const STREAM: &str = "data: {\"a\":1}\n\n: keep-alive\n\nevent: error\ndata: {\"b\":\ndata: 2}\n\ndata: [DONE]\n\n";

    #[test]
    fn events_survive_every_split_point() {
        let whole = decode_in_pieces(STREAM.as_bytes(), STREAM.len());
        assert_eq!(whole.len(), 3);
        assert_eq!(whole[0].data, "{\"a\":1}");
        assert_eq!(whole[1].event.as_deref(), Some("error"));
        assert_eq!(whole[1].data, "{\"b\":\n2}");
        assert_eq!(whole[2].data, "[DONE]");
        for piece in 1..STREAM.len() {
            assert_eq!(
                decode_in_pieces(STREAM.as_bytes(), piece),
                whole,
                "split every {piece} bytes"
            );
        }
    }

    #[test]
    fn crlf_and_cr_line_ends() {
        let crlf = STREAM.replace('\n', "\r\n");
        let cr = STREAM.replace('\n', "\r");
        let expected = decode_in_pieces(STREAM.as_bytes(), 1000);
        for piece in 1..8 {
            assert_eq!(decode_in_pieces(crlf.as_bytes(), piece), expected);
            assert_eq!(decode_in_pieces(cr.as_bytes(), piece), expected);
        }
    }

    #[test]
    fn multibyte_utf8_split_across_reads() {
        let text = "data: {\"c\":\"héllo 🌍\"}\n\n";
        for piece in 1..5 {
            let out = decode_in_pieces(text.as_bytes(), piece);
            assert_eq!(out[0].data, "{\"c\":\"héllo 🌍\"}");
        }
    }

    #[test]
    fn an_event_cut_before_its_blank_line_is_not_dispatched() {
        assert!(decode_in_pieces(b"data: x", 3).is_empty());
        assert!(decode_in_pieces(b"data: {\"a\":1}\n", 3).is_empty());
        let out = decode_in_pieces(b"data: 1\n\ndata: {\"cut", 4);
        assert_eq!(
            out,
            vec![SseEvent {
                event: None,
                data: "1".into()
            }]
        );
    }

    #[test]
    fn non_sse_body_yields_nothing() {
        assert!(decode_in_pieces(b"{\"id\": \"x\", \"choices\": []}", 4).is_empty());
    }

    #[test]
    fn invalid_utf8_is_an_error() {
        let mut d = SseDecoder::new();
        let mut out = Vec::new();
        assert!(d.feed(b"data: \xff\xfe\n\n", &mut out).is_err());
    }

    #[test]
    fn a_lossy_decoder_replaces_invalid_utf8() {
        let mut d = SseDecoder::lossy();
        let mut out = Vec::new();
        assert!(d.feed(b"data: a\xff\xfeb\n\n", &mut out).is_ok());
        assert_eq!(out[0].data, "a\u{fffd}\u{fffd}b");
    }
}
