//! Kubernetes quantities as the metrics APIs write them (`12345n`, `1234Ki`,
//! `250m`, `1.5`, `2e3`), read exactly into integers: CPU in nanocores,
//! memory in bytes. kubectl rounds from exact values, so we keep them.

/// A quantity in units of 10^-9 (nanocores for CPU; for bytes use
/// [`bytes`]). `None` for text that is not a quantity.
pub fn nano(text: &str) -> Option<u128> {
    scaled(text, 9)
}

/// A quantity in whole units, rounded up as `Quantity.Value()` does.
pub fn bytes(text: &str) -> Option<u128> {
    let n = scaled(text, 9)?;
    Some(n.div_ceil(1_000_000_000))
}

/// The value times 10^`shift`, rounded up (quantities round up).
fn scaled(text: &str, shift: i32) -> Option<u128> {
    let text = text.trim();
    if text.is_empty() || text.starts_with('-') {
        return None;
    }
    let text = text.strip_prefix('+').unwrap_or(text);
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, suffix) = text.split_at(split);
    if number.is_empty() || number.matches('.').count() > 1 {
        return None;
    }
    let (binary, exponent): (u32, i32) = match suffix {
        "" => (0, 0),
        "n" => (0, -9),
        "u" => (0, -6),
        "m" => (0, -3),
        "k" => (0, 3),
        "M" => (0, 6),
        "G" => (0, 9),
        "T" => (0, 12),
        "P" => (0, 15),
        "E" => (0, 18),
        "Ki" => (10, 0),
        "Mi" => (20, 0),
        "Gi" => (30, 0),
        "Ti" => (40, 0),
        "Pi" => (50, 0),
        "Ei" => (60, 0),
        s if s.starts_with(['e', 'E']) => (0, s[1..].parse::<i32>().ok()?),
        _ => return None,
    };
    let (whole, frac) = number.split_once('.').unwrap_or((number, ""));
    let digits = format!("{whole}{frac}");
    let mut mantissa: u128 = if digits.is_empty() {
        0
    } else {
        digits.parse().ok()?
    };
    let frac_len = i32::try_from(frac.len()).ok()?;
    mantissa = mantissa.checked_mul(1u128 << binary)?;
    let power = exponent + shift - frac_len;
    if power >= 0 {
        mantissa.checked_mul(10u128.checked_pow(u32::try_from(power).ok()?)?)
    } else {
        let div = 10u128.checked_pow(u32::try_from(-power).ok()?)?;
        Some(mantissa.div_ceil(div))
    }
}

/// kubectl's CPU cell: millicores rounded up (`MilliValue`), as `123m`.
pub fn format_millicores(nanocores: u64) -> String {
    format!("{}m", millicores(nanocores))
}

/// Millicores rounded up, as `Quantity.MilliValue()`.
pub fn millicores(nanocores: u64) -> u64 {
    nanocores.div_ceil(1_000_000)
}

/// kubectl's memory cell: whole MiB rounded down, as `123Mi`.
pub fn format_mebibytes(bytes: u64) -> String {
    format!("{}Mi", bytes / (1024 * 1024))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_suffixes() {
        assert_eq!(nano("12345n"), Some(12345));
        assert_eq!(nano("15u"), Some(15_000));
        assert_eq!(nano("250m"), Some(250_000_000));
        assert_eq!(nano("2"), Some(2_000_000_000));
        assert_eq!(nano("1.5"), Some(1_500_000_000));
        assert_eq!(nano("0"), Some(0));
        assert_eq!(nano("1e-3"), Some(1_000_000));
        assert_eq!(nano("abc"), None);
        assert_eq!(nano("-1"), None);
        assert_eq!(nano("1.2.3"), None);
        assert_eq!(nano("12X"), None);
    }

    #[test]
    fn memory_suffixes() {
        assert_eq!(bytes("1234Ki"), Some(1234 * 1024));
        assert_eq!(bytes("64Mi"), Some(64 << 20));
        assert_eq!(bytes("1Gi"), Some(1 << 30));
        assert_eq!(bytes("2G"), Some(2_000_000_000));
        assert_eq!(bytes("128974848"), Some(128_974_848));
        assert_eq!(bytes("129e6"), Some(129_000_000));
        assert_eq!(bytes("1.5Ki"), Some(1536));
        // A fraction of a byte rounds up, as Value() does.
        assert_eq!(bytes("1500m"), Some(2));
    }

    #[test]
    fn kubectl_cells() {
        assert_eq!(format_millicores(12345), "1m");
        assert_eq!(format_millicores(0), "0m");
        assert_eq!(format_millicores(2_000_000), "2m");
        assert_eq!(format_millicores(2_000_001), "3m");
        assert_eq!(format_mebibytes((5 << 20) + 1), "5Mi");
        assert_eq!(format_mebibytes((1 << 20) - 1), "0Mi");
    }
}
