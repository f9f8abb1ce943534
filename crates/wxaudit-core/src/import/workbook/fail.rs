//! Why a workbook could not be read, and the sentence the importer says about it.
//!
//! Every step of a read fails with a [`Fail`], which knows the kind of failure but not the file
//! name; [`Fail::into_error`] words it once for the user. calamine's per-format errors convert
//! into it (so `?` works on them), and [`guard`] turns a panic inside calamine into one.

use super::super::ImportError;
use super::wording::thousands;
use super::{MAX_CELLS, MAX_COLUMNS, MAX_ROWS};
use calamine::{OdsError, XlsError, XlsbError, XlsxError};

/// Why a workbook could not be read (the file name is added by [`Fail::into_error`]).
#[derive(Debug)]
pub(super) enum Fail {
    /// Damaged or not a workbook at all: "cannot read the workbook: {0}".
    Damaged(String),
    /// Encrypted with a password.
    Password,
    /// A sheet (or, `None`, the workbook) beyond a size limit: {0} says how.
    TooLarge(Option<String>, String),
    /// A complete sentence about the file (not a workbook, no such sheet, …).
    Other(String),
}

impl Fail {
    pub(super) fn into_error(self, name: &str) -> ImportError {
        ImportError::invalid(
            name,
            match self {
                Fail::Damaged(why) => format!(
                    "cannot read the workbook: {why}. The file is damaged or is not an Excel or \
                 OpenDocument workbook; if Excel or LibreOffice can open it, save it again as \
                 .xlsx and import that"
                ),
                Fail::Password => {
                    "the workbook is password-protected (encrypted), so its cells cannot be \
                 read; open it with the password, save an unprotected copy (in Excel: File › Info \
                 › Protect Workbook › Encrypt with Password, clear the password, save) and import \
                 that"
                        .to_string()
                }
                Fail::TooLarge(sheet, what) => {
                    let whose = match sheet {
                        Some(s) => format!("sheet \"{s}\""),
                        None => "the workbook".to_string(),
                    };
                    format!(
                        "{whose} is too large to import: {what} (limits: {} rows, {} columns, \
                     {} cells per sheet); keep the inventory on a sheet of its own, or split it",
                        thousands(MAX_ROWS),
                        thousands(MAX_COLUMNS),
                        thousands(MAX_CELLS)
                    )
                }
                Fail::Other(msg) => msg,
            },
        )
    }

    /// A damaged-workbook failure said to be in `place` (`sheet "Accounts": …`); any other
    /// failure unchanged.
    pub(super) fn within(self, place: &str) -> Fail {
        match self {
            Fail::Damaged(why) => Fail::Damaged(format!("{place}: {why}")),
            f => f,
        }
    }
}

thread_local! {
    /// How many [`guard`]s the current thread is inside.
    static GUARDS: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Runs calamine code, turning a panic on malformed data into a `Damaged` failure (callers
/// reading a sheet add its name).
pub(super) fn guard<T>(f: impl FnOnce() -> Result<T, Fail>) -> Result<T, Fail> {
    GUARDS.with(|g| g.set(g.get() + 1));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    GUARDS.with(|g| g.set(g.get() - 1));
    result.unwrap_or_else(|_| {
        Err(Fail::Damaged(
            "the spreadsheet reader failed on malformed data".into(),
        ))
    })
}

/// Whether a panic being raised is one the importer contains: raised inside calamine's own
/// source while this thread is within [`guard`], so it becomes "the spreadsheet reader failed
/// on malformed data" for the sheet, not a crash. A panic hook uses it to stay quiet about such
/// a panic (the user gets the importer's message instead of a Rust backtrace) and the fuzz
/// targets to tell calamine's contained panics from a bug in wxaudit — a panic in wxaudit's own
/// code is never contained, even inside the guard.
pub fn is_contained_panic(location: Option<&std::panic::Location<'_>>) -> bool {
    GUARDS.with(|g| g.get() > 0)
        && location.is_some_and(|l| {
            let file = l.file().replace('\\', "/");
            file.contains("/calamine-") || file.contains("/calamine/")
        })
}

/// Wraps the panic hook in place so that it is not called for a panic the importer contains
/// ([`is_contained_panic`]): the CLI's default hook would print a Rust backtrace ahead of the
/// importer's own message, and libFuzzer's would abort on a panic that is caught. Every other
/// panic still reaches the hook. Install it once per process.
pub fn skip_contained_panics() {
    let prev = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !is_contained_panic(info.location()) {
            prev(info);
        }
    }));
}

/// calamine's error for a format: its `Password` variant is [`Fail::Password`], anything else
/// damage.
macro_rules! password_or_damaged {
    ($($error:ident),*) => {$(
        impl From<$error> for Fail {
            fn from(e: $error) -> Fail {
                match e {
                    $error::Password => Fail::Password,
                    e => Fail::Damaged(e.to_string()),
                }
            }
        }
    )*};
}

password_or_damaged!(XlsxError, XlsbError, XlsError);

/// As for the other formats, and the OpenDocument reader's own cell cap is a size limit.
impl From<OdsError> for Fail {
    fn from(e: OdsError) -> Fail {
        match e {
            OdsError::Password => Fail::Password,
            OdsError::CellLimitExceeded { requested, max } => Fail::TooLarge(
                None,
                format!(
                    "a sheet asks for {} cells, more than the {} the OpenDocument reader allows",
                    thousands(requested as u64),
                    thousands(max as u64)
                ),
            ),
            e => Fail::Damaged(e.to_string()),
        }
    }
}
