//! Splitting the server's timestamp off a line.

/// Splits `2024-05-01T10:00:00.123456789Z text` into the parsed time, the
/// stamp as sent, and the text. A line without a valid stamp (the server
/// always sends one when asked, but a truncated line may not) keeps all of
/// its text and has no time.
pub fn split_timestamp(line: &str) -> (Option<jiff::Timestamp>, &str, &str) {
    if let Some((stamp, rest)) = line.split_once(' ') {
        // Cheap pre-check before the full parse: stamps start with a digit
        // and end with Z or an offset.
        if stamp.len() >= 20 && stamp.as_bytes()[0].is_ascii_digit() {
            if let Ok(t) = stamp.parse::<jiff::Timestamp>() {
                return (Some(t), stamp, rest);
            }
        }
    }
    (None, "", line)
}

/// Docker's json-file driver (the kubelet's runtime here) splits lines
/// longer than 16 KiB into partial entries, and with `timestamps=true` each
/// partial gets its own stamp, glued to the previous piece. kubectl without
/// timestamps shows the joined line; this removes the inner stamps so ours
/// does too.
pub const PARTIAL_LEN: usize = 16 * 1024;

pub fn strip_partial_stamps(text: &str) -> std::borrow::Cow<'_, str> {
    if text.len() <= PARTIAL_LEN {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while rest.len() > PARTIAL_LEN && rest.is_char_boundary(PARTIAL_LEN) {
        let (piece, tail) = rest.split_at(PARTIAL_LEN);
        let (at, _, after) = split_timestamp(tail);
        if at.is_none() {
            break;
        }
        out.push_str(piece);
        rest = after;
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_stamp() {
        let (t, s, rest) = split_timestamp("2024-05-01T10:00:00.123456789Z hello world");
        assert_eq!(s, "2024-05-01T10:00:00.123456789Z");
        assert_eq!(rest, "hello world");
        assert_eq!(t.expect("test value").subsec_nanosecond(), 123_456_789);
        let (t, _, rest) = split_timestamp("2024-05-01T10:00:00Z ");
        assert!(t.is_some());
        assert_eq!(rest, "");
    }

    #[test]
    fn joins_partial_lines() {
        let a = "a".repeat(PARTIAL_LEN);
        let b = "b".repeat(PARTIAL_LEN);
        let glued = format!("{a}2024-05-01T10:00:00.1Z {b}2024-05-01T10:00:00.2Z end");
        assert_eq!(strip_partial_stamps(&glued), format!("{a}{b}end"));
        let plain = format!("{a}not a stamp");
        assert_eq!(strip_partial_stamps(&plain), plain);
    }

    #[test]
    fn keeps_unstamped_lines() {
        let (t, _, rest) = split_timestamp("plain text here");
        assert!(t.is_none());
        assert_eq!(rest, "plain text here");
        let (t, _, rest) = split_timestamp("\x1b[31mred\x1b[0m");
        assert!(t.is_none());
        assert_eq!(rest, "\x1b[31mred\x1b[0m");
    }
}
