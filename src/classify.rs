//! Decides which platform an account is on from its evidence (domain.md §2), and says why.
//!
//! Pure: `&Account → Classification`. Knows nothing of rules or reports.

use crate::model::{Account, Classification};

/// Classifies one account.
pub fn classify(account: &Account) -> Classification {
    let _ = account;
    todo!("classify")
}

/// Validates an 18-character Unified Social Credit Code (GB 32100-2015 checksum).
pub fn uscc_valid(code: &str) -> bool {
    let _ = code;
    todo!("uscc")
}
