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
    fn keeps_unstamped_lines() {
        let (t, _, rest) = split_timestamp("plain text here");
        assert!(t.is_none());
        assert_eq!(rest, "plain text here");
        let (t, _, rest) = split_timestamp("\x1b[31mred\x1b[0m");
        assert!(t.is_none());
        assert_eq!(rest, "\x1b[31mred\x1b[0m");
    }
}
