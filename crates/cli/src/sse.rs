//! Server-sent events (`text/event-stream`), as the WHATWG HTML standard parses them: a
//! [`Lines`] splitter turns the body's chunks into lines (LF, CRLF or CR, split anywhere,
//! even inside a UTF-8 sequence or between CR and LF), and a [`Parser`] turns lines into
//! [`Event`]s. Neither does I/O, so both are tested on their own; `status --wait` feeds them
//! the streaming response body.

/// One dispatched event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// The last event id seen so far on the stream (`id:`), as `Last-Event-ID` would send it.
    pub id: Option<String>,
    /// `event:`, or `message` when the event names no type.
    pub kind: String,
    /// The `data:` lines joined with `\n`.
    pub data: String,
}

/// Splits a byte stream into lines; a line ends at LF, CRLF or CR.
#[derive(Debug, Default)]
pub struct Lines {
    pending: Vec<u8>,
    /// The previous chunk ended in CR: a LF at the start of the next one belongs to it.
    after_cr: bool,
    /// The byte-order mark at the very start of the stream has been dealt with.
    started: bool,
}

impl Lines {
    /// The complete lines in `chunk` (plus what earlier chunks left over), without their
    /// terminators. Invalid UTF-8 is replaced, never an error.
    pub fn push(&mut self, chunk: &[u8]) -> Vec<String> {
        let mut lines = Vec::new();
        for &b in chunk {
            if self.after_cr {
                self.after_cr = false;
                if b == b'\n' {
                    continue;
                }
            }
            match b {
                b'\n' => lines.push(self.take()),
                b'\r' => {
                    lines.push(self.take());
                    self.after_cr = true;
                }
                _ => self.pending.push(b),
            }
        }
        lines
    }

    fn take(&mut self) -> String {
        let mut bytes = std::mem::take(&mut self.pending);
        if !self.started {
            self.started = true;
            if bytes.starts_with("\u{feff}".as_bytes()) {
                bytes.drain(..3);
            }
        }
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

/// Turns lines into events.
#[derive(Debug, Default)]
pub struct Parser {
    kind: String,
    data: String,
    has_data: bool,
    last_id: Option<String>,
    retry_ms: Option<u64>,
}

impl Parser {
    /// Feeds one line (without its terminator); an empty line dispatches the event built so
    /// far, if it has data.
    pub fn line(&mut self, line: &str) -> Option<Event> {
        if line.is_empty() {
            return self.dispatch();
        }
        if line.starts_with(':') {
            return None; // a comment, such as a keep-alive
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        match field {
            "event" => self.kind = value.to_string(),
            "data" => {
                if self.has_data {
                    self.data.push('\n');
                }
                self.data.push_str(value);
                self.has_data = true;
            }
            "id" if !value.contains('\0') => {
                self.last_id = Some(value.to_string()).filter(|v| !v.is_empty());
            }
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                self.retry_ms = value.parse().ok();
            }
            _ => {}
        }
        None
    }

    /// The id to resume after (`Last-Event-ID`), if the stream has given one.
    pub fn last_id(&self) -> Option<&str> {
        self.last_id.as_deref()
    }

    /// The reconnection delay the server asked for (`retry:`), in milliseconds.
    pub fn retry_ms(&self) -> Option<u64> {
        self.retry_ms
    }

    /// Forgets a half-received event (the connection dropped); the last id is kept.
    pub fn reset(&mut self) {
        self.kind.clear();
        self.data.clear();
        self.has_data = false;
    }

    fn dispatch(&mut self) -> Option<Event> {
        let kind = std::mem::take(&mut self.kind);
        let data = std::mem::take(&mut self.data);
        if !std::mem::take(&mut self.has_data) {
            return None;
        }
        Some(Event {
            id: self.last_id.clone(),
            kind: if kind.is_empty() {
                "message".to_string()
            } else {
                kind
            },
            data,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(chunks: &[&[u8]]) -> (Vec<Event>, Parser) {
        let mut lines = Lines::default();
        let mut parser = Parser::default();
        let mut out = Vec::new();
        for chunk in chunks {
            for line in lines.push(chunk) {
                out.extend(parser.line(&line));
            }
        }
        (out, parser)
    }

    fn event(id: Option<&str>, kind: &str, data: &str) -> Event {
        Event {
            id: id.map(str::to_string),
            kind: kind.to_string(),
            data: data.to_string(),
        }
    }

    #[test]
    fn the_servers_audit_events() {
        let body = b": keep-alive\n\nid: 7\nevent: submission.created\ndata: {\"id\":7}\n\nid: 9\nevent: submission.approved\ndata: {\"id\":9}\n\n";
        let (got, parser) = events(&[body]);
        assert_eq!(
            got,
            [
                event(Some("7"), "submission.created", "{\"id\":7}"),
                event(Some("9"), "submission.approved", "{\"id\":9}"),
            ]
        );
        assert_eq!(parser.last_id(), Some("9"));
    }

    #[test]
    fn split_anywhere_gives_the_same_events() {
        let body = "\u{feff}id: 1\r\nevent: x\r\ndata: первая\r\ndata: вторая\r\n\r\nid: 2\rdata: b\r\r: c\ndata:c\n\n".as_bytes();
        let (whole, _) = events(&[body]);
        assert_eq!(
            whole,
            [
                event(Some("1"), "x", "первая\nвторая"),
                event(Some("2"), "message", "b"),
                event(Some("2"), "message", "c"),
            ]
        );
        for i in 0..body.len() {
            for j in i..body.len() {
                let (split, _) = events(&[&body[..i], &body[i..j], &body[j..]]);
                assert_eq!(split, whole, "split at {i} and {j}");
            }
        }
    }

    #[test]
    fn fields_by_the_standard() {
        let (got, parser) = events(&[
            b"data\n\nevent: ignored without data\n\nid: 3\nid: bad\0id\ndata:  two spaces\nfoo: bar\nretry: 2500\nretry: soon\n\n",
        ]);
        assert_eq!(
            got,
            [
                event(None, "message", ""),
                event(Some("3"), "message", " two spaces")
            ]
        );
        assert_eq!(parser.retry_ms(), Some(2500));
    }

    #[test]
    fn an_empty_id_clears_it_and_reset_drops_half_an_event() {
        let mut parser = Parser::default();
        for line in ["id: 5", "data: x", "", "id:", "data: y"] {
            parser.line(line);
        }
        assert_eq!(parser.last_id(), None);
        parser.reset();
        assert_eq!(parser.line(""), None);
        let mut parser = Parser::default();
        for line in ["id: 5", "data: half"] {
            parser.line(line);
        }
        parser.reset();
        assert_eq!(parser.last_id(), Some("5"));
        parser.line("data: whole");
        assert_eq!(parser.line(""), Some(event(Some("5"), "message", "whole")));
    }

    #[test]
    fn an_unfinished_line_waits_and_bad_utf8_is_replaced() {
        let mut lines = Lines::default();
        assert!(lines.push(b"data: ab").is_empty());
        assert_eq!(lines.push(b"c\n\xff\n"), ["data: abc", "\u{fffd}"]);
    }
}
