//! One typed spreadsheet cell, and how it becomes the text the row builder normalises.
//!
//! Workbooks (unlike CSV) know what a cell *is*: a number, a date, a boolean, a formula's cached
//! value or an error. Those types are kept until the column is known, because the right text
//! depends on the column: a number in a phone column lost its `+` (`8613912345678` is
//! `+86 139 1234 5678`), an integer is `128400` and not `128400.0`, a date cell is an ISO date.

use crate::model::Column;
use std::borrow::Cow;

/// A cell as the workbook holds it (merged cells already copied to every cell they span).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Empty,
    Text(String),
    /// A number cell holding an integer value (Excel stores every number as a float).
    Int(i64),
    Float(f64),
    Bool(bool),
    /// A date cell (time of day, if any, dropped: every date column is a day).
    Date(chrono::NaiveDate),
    /// An error cell (`#N/A`, `#REF!`, …), as Excel shows it.
    Error(String),
}

impl Cell {
    /// True for an empty cell or one holding only whitespace.
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// The text the row builder gets for this cell in `column` (None: an unknown column), or
    /// `Err(shown)` for an error cell, `shown` being what Excel displays (`#N/A`).
    pub fn to_text(&self, column: Option<Column>) -> Result<Cow<'_, str>, &str> {
        Ok(match self {
            Cell::Empty => Cow::Borrowed(""),
            Cell::Text(s) => Cow::Borrowed(s.as_str()),
            Cell::Int(n) if column == Some(Column::Phone) => Cow::Owned(phone_from_number(*n)),
            Cell::Int(n) => Cow::Owned(n.to_string()),
            Cell::Float(f) => Cow::Owned(float_text(*f)),
            Cell::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
            Cell::Date(d) => Cow::Owned(d.format("%Y-%m-%d").to_string()),
            Cell::Error(e) => return Err(e.as_str()),
        })
    }
}

/// A number as Excel shows it in a General cell: at most 15 significant digits (so a formula's
/// `12.799999999999999` is `12.8`), never a trailing `.0`, never `-0`, no exponent for the
/// magnitudes an inventory holds.
pub(crate) fn float_text(f: f64) -> String {
    if !f.is_finite() {
        return f.to_string();
    }
    if f == 0.0 {
        return "0".to_string();
    }
    // Round to 15 significant digits, as Excel displays and compares numbers.
    let rounded = format!("{f:.14e}").parse::<f64>().unwrap_or(f);
    if rounded.fract() == 0.0 && rounded.abs() < 1e15 {
        // Exact: |rounded| < 2^53, so the cast neither truncates nor saturates.
        return (rounded as i64).to_string();
    }
    // `Display` for f64 prints the shortest text that reads back as the same value, without an
    // exponent and without `.0` for integral values.
    rounded.to_string()
}

/// A phone number typed into a number cell, which dropped its leading `+`: give the country code
/// back when the digits start with one and have the length of a number there.
///
/// `8613912345678` → `+86 139 1234 5678`, `85291234567` → `+852 9123 4567`,
/// `12125551234` → `+1 212 555 1234`. A bare mainland mobile (`13912345678`: 11 digits starting
/// `13`–`19`) is left as it is, for the row normaliser reads it as mainland; so is a North
/// American number whose area code starts with 3–9 (`14155552671`), which cannot be told from
/// one. Anything else unrecognised (a local number without its code, a negative number) is
/// returned as its digits.
pub(crate) fn phone_from_number(n: i64) -> String {
    let digits = n.to_string();
    if n <= 0 || is_mainland_mobile(&digits) {
        return digits;
    }
    // Calling codes are prefix-free (ITU E.164), so at most one of the 1-, 2- and 3-digit
    // prefixes is a code listed here.
    for cc_len in 1..=3 {
        if digits.len() <= cc_len {
            break;
        }
        let (cc, national) = digits.split_at(cc_len);
        if let Some(grouped) = national_groups(cc, national) {
            return format!("+{cc} {grouped}");
        }
    }
    digits
}

/// 11 digits, `1` then `3`–`9`: a mainland mobile number written without its code.
fn is_mainland_mobile(d: &str) -> bool {
    let b = d.as_bytes();
    b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1])
}

/// The national number grouped as it is written in its country, when `national` has a length
/// (and first digit) a number under calling code `cc` can have; None otherwise.
fn national_groups(cc: &str, national: &str) -> Option<String> {
    let len = national.len();
    let first = *national.as_bytes().first()?;
    if first == b'0' {
        // Numbers after a calling code never start with the trunk prefix 0.
        return None;
    }
    // (calling code, national lengths, group sizes: the last group takes what is left)
    let groups: &[usize] = match (cc, len) {
        // Mainland China: mobiles 1XX XXXX XXXX; landlines area code (10, 2X: two digits,
        // otherwise three) then the local number.
        ("86", 11) if first == b'1' => &[3, 4, 4],
        ("86", 10..=11) if first != b'1' || (len == 10 && national.starts_with("10")) => {
            if national.starts_with("10") || first == b'2' {
                &[2, 4, 4]
            } else {
                &[3, 4, 4]
            }
        }
        // Hong Kong, Macau, Singapore: 8 digits.
        ("852" | "853" | "65", 8) => &[4, 4],
        // Taiwan: mobiles 9XX XXX XXX; landlines area code then 7–8 digits.
        ("886", 9) if first == b'9' => &[3, 3, 3],
        ("886", 8..=9) => &[1, 4, 4],
        // North America: area code 2–9XX, exchange, line.
        ("1", 10) if first >= b'2' => &[3, 3, 4],
        // Malaysia: 1X-XXX XXXX, 11-XXXX XXXX, landlines 3-XXXX XXXX.
        ("60", 8) => &[1, 3, 4],
        ("60", 9) => &[2, 3, 4],
        ("60", 10) => &[2, 4, 4],
        // Japan and Korea: 90-XXXX-XXXX, 10-XXXX-XXXX; Tokyo/Seoul landlines 3-/2-XXXX-XXXX.
        ("81" | "82", 10) => &[2, 4, 4],
        ("81" | "82", 9) => &[1, 4, 4],
        // United Kingdom: 7XXX XXXXXX.
        ("44", 10) => &[4, 6],
        // Australia 4XX XXX XXX, Vietnam, Spain, Netherlands: 9 digits.
        ("61" | "84" | "34" | "31", 9) => &[3, 3, 3],
        // Thailand: 8X XXX XXXX; Bangkok landlines 2 XXX XXXX.
        ("66", 9) => &[2, 3, 4],
        ("66", 8) => &[1, 3, 4],
        // Indonesia: 8XX XXXX XXXX (9–12 digits).
        ("62", 9..=12) => &[3, 4, 5],
        // Philippines 9XX XXX XXXX.
        ("63", 10) => &[3, 3, 4],
        // New Zealand: 2X XXX XXXX and landlines.
        ("64", 8..=10) => &[2, 3, 5],
        // India: XXXXX XXXXX.
        ("91", 10) => &[5, 5],
        // Germany (mobiles 15X/16X/17X …), Italy, France, Switzerland, Russia/Kazakhstan.
        ("49", 10..=11) => &[3, 8],
        ("39", 9..=10) => &[3, 7],
        ("33", 9) => &[1, 2, 2, 2, 2],
        ("41", 9) => &[2, 3, 2, 2],
        ("7", 10) => &[3, 3, 2, 2],
        // Cambodia, United Arab Emirates, Saudi Arabia.
        ("855", 8..=9) => &[2, 3, 4],
        ("971" | "966", 9) => &[2, 3, 4],
        _ => return None,
    };
    Some(group(national, groups))
}

/// `national` split into groups of the given sizes, the last group taking the rest.
fn group(national: &str, sizes: &[usize]) -> String {
    let mut out = String::with_capacity(national.len() + sizes.len());
    let mut rest = national;
    for (i, &size) in sizes.iter().enumerate() {
        if rest.is_empty() {
            break;
        }
        let take = if i + 1 == sizes.len() {
            rest.len()
        } else {
            size.min(rest.len())
        };
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&rest[..take]);
        rest = &rest[take..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_get_their_country_code_back() {
        for (n, want) in [
            (8613912345678, "+86 139 1234 5678"),
            (8618600000000, "+86 186 0000 0000"),
            (861012345678, "+86 10 1234 5678"),
            (862112345678, "+86 21 1234 5678"),
            (8675512345678, "+86 755 1234 5678"),
            (85291234567, "+852 9123 4567"),
            (85366123456, "+853 6612 3456"),
            (886912345678, "+886 912 345 678"),
            (886223456789, "+886 2 2345 6789"),
            (12125551234, "+1 212 555 1234"),
            (6591234567, "+65 9123 4567"),
            (60123456789, "+60 12 345 6789"),
            (601112345678, "+60 11 1234 5678"),
            (447700900123, "+44 7700 900123"),
            (819012345678, "+81 90 1234 5678"),
            (821012345678, "+82 10 1234 5678"),
            (61412345678, "+61 412 345 678"),
            (66812345678, "+66 81 234 5678"),
            (639171234567, "+63 917 123 4567"),
            (919876543210, "+91 98765 43210"),
            (33612345678, "+33 6 12 34 56 78"),
            (971501234567, "+971 50 123 4567"),
        ] {
            assert_eq!(phone_from_number(n), want, "{n}");
        }
    }

    #[test]
    fn mainland_mobiles_and_unknown_numbers_stay_digits() {
        for n in [
            13912345678,   // bare mainland mobile: the row normaliser reads it as mainland
            19912345678,   // ditto
            14155552671,   // +1 415 or a mainland 141 number: cannot tell, left alone
            91234567,      // HK number without its code
            85212345,      // too short for 852
            852912345678,  // too long for 852
            86139123456,   // 86 + 9 digits starting 1: neither mobile nor landline
            8601012345678, // trunk 0 after the code
            12,
            0,
            -8613912345678,
        ] {
            assert_eq!(phone_from_number(n), n.to_string(), "{n}");
        }
    }

    #[test]
    fn phone_column_uses_the_number_form_other_columns_do_not() {
        let c = Cell::Int(8613912345678);
        assert_eq!(c.to_text(Some(Column::Phone)).unwrap(), "+86 139 1234 5678");
        assert_eq!(c.to_text(None).unwrap(), "8613912345678");
        assert_eq!(
            Cell::Int(128400).to_text(Some(Column::Followers)).unwrap(),
            "128400"
        );
    }

    #[test]
    fn floats_print_as_excel_shows_them() {
        assert_eq!(float_text(128400.0), "128400");
        assert_eq!(float_text(-3.0), "-3");
        assert_eq!(float_text(-0.0), "0");
        assert_eq!(float_text(12.8), "12.8");
        assert_eq!(float_text(12.799999999999999), "12.8");
        assert_eq!(float_text(0.1 + 0.2), "0.3");
        assert_eq!(float_text(1.5e-7), "0.00000015");
        assert_eq!(float_text(1e15), "1000000000000000");
        assert_eq!(float_text(f64::NAN), "NaN");
        assert_eq!(Cell::Float(3.25).to_text(None).unwrap(), "3.25");
        assert_eq!(Cell::Float(7.0).to_text(None).unwrap(), "7");
    }

    #[test]
    fn other_cells_to_text() {
        let d = chrono::NaiveDate::from_ymd_opt(2024, 3, 31).unwrap();
        assert_eq!(Cell::Date(d).to_text(None).unwrap(), "2024-03-31");
        assert_eq!(Cell::Bool(true).to_text(None).unwrap(), "true");
        assert_eq!(Cell::Empty.to_text(None).unwrap(), "");
        assert_eq!(Cell::Error("#N/A".into()).to_text(None), Err("#N/A"));
        assert!(Cell::Text(" \t".into()).is_blank());
        assert!(!Cell::Int(0).is_blank());
    }
}
