//! How one value is shown once revealed: text when it is UTF-8, else hex.

use serde::Serialize;
#[cfg(any(test, feature = "ts"))]
use ts_rs::TS;

use super::model::MASK;

/// A revealed value as the UI shows it.
#[derive(Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase", tag = "kind")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub enum RevealedValue {
    Text {
        text: String,
    },
    /// Lines of `offset  hex  ascii`, 16 bytes each.
    Binary {
        hex: String,
        size: usize,
    },
}

// Revealed on purpose, but still kept out of Debug (and so out of tracing).
impl std::fmt::Debug for RevealedValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Text { text } => write!(f, "Text({} bytes)", text.len()),
            Self::Binary { size, .. } => write!(f, "Binary({size} bytes)"),
        }
    }
}

/// One key of a secret as the masked list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct KeyEntry {
    pub key: String,
    pub size: usize,
    /// `MASK` until revealed.
    pub masked: String,
}

impl KeyEntry {
    pub fn new(key: &str, size: usize) -> Self {
        Self {
            key: key.to_string(),
            size,
            masked: MASK.to_string(),
        }
    }
}

/// Text when valid UTF-8, else a hex dump with the size.
pub fn reveal(bytes: &[u8]) -> RevealedValue {
    match std::str::from_utf8(bytes) {
        Ok(t) => RevealedValue::Text {
            text: t.to_string(),
        },
        Err(_) => RevealedValue::Binary {
            hex: hex_dump(bytes),
            size: bytes.len(),
        },
    }
}

/// Base64 as the API sends it in `data`.
pub fn decode_b64(s: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.decode(s).ok()
}

pub fn hex_dump(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(bytes.len() * 4 + bytes.len() / 16 * 12);
    for (i, chunk) in bytes.chunks(16).enumerate() {
        let _ = write!(out, "{:08x} ", i * 16);
        for b in chunk {
            let _ = write!(out, " {b:02x}");
        }
        for _ in chunk.len()..16 {
            out.push_str("   ");
        }
        out.push_str("  ");
        out.extend(chunk.iter().map(|&b| {
            if b.is_ascii_graphic() || b == b' ' {
                b as char
            } else {
                '.'
            }
        }));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_is_text() {
        assert_eq!(
            reveal("héllo\n".as_bytes()),
            RevealedValue::Text {
                text: "héllo\n".into()
            }
        );
    }

    #[test]
    fn empty_is_empty_text() {
        assert_eq!(reveal(b""), RevealedValue::Text { text: "".into() });
    }

    #[test]
    fn binary_is_hex_with_size() {
        let RevealedValue::Binary { hex, size } = reveal(&[0xff, 0x00, 0x41]) else {
            panic!("expected binary");
        };
        assert_eq!(size, 3);
        assert!(hex.starts_with("00000000  ff 00 41"), "{hex}");
        assert!(hex.trim_end().ends_with(".A"), "{hex}");
    }

    #[test]
    fn one_mebibyte_values() {
        let text = "a".repeat(1 << 20);
        assert!(
            matches!(reveal(text.as_bytes()), RevealedValue::Text { text: t } if t.len() == 1 << 20)
        );
        let mut bin = vec![0u8; 1 << 20];
        bin[0] = 0xff;
        let RevealedValue::Binary { hex, size } = reveal(&bin) else {
            panic!("expected binary");
        };
        assert_eq!(size, 1 << 20);
        assert_eq!(hex.lines().count(), (1 << 20) / 16);
    }

    #[test]
    fn debug_hides_revealed_text() {
        let v = reveal(b"topsecret");
        assert!(!format!("{v:?}").contains("topsecret"));
    }

    #[test]
    fn base64_round() {
        assert_eq!(decode_b64("aGk=").as_deref(), Some(&b"hi"[..]));
        assert_eq!(decode_b64("!!"), None);
    }
}
