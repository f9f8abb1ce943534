//! The company profile: target markets, legal entities and planned features, from the command
//! line, a profile file (JSON or TOML), the JSON inventory's `company` object, or inferred from the
//! accounts' audiences — in that order.

use crate::model::{Account, Profile, ProfileSource};
use std::path::Path;

/// Command-line profile pieces.
#[derive(Debug, Clone, Default)]
pub struct ProfileArgs {
    /// `--target CN,HK` (already split).
    pub targets: Vec<String>,
    /// `--entity NAME` (repeatable).
    pub entities: Vec<String>,
    /// `--profile FILE`.
    pub file: Option<std::path::PathBuf>,
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ProfileError(pub String);

/// Loads a profile file (JSON or TOML, by extension or content).
pub fn load_file(path: &Path) -> Result<Profile, ProfileError> {
    let _ = path;
    todo!("profile file")
}

/// Resolves the profile to audit against, and where it came from.
pub fn resolve(
    args: &ProfileArgs,
    inventory_company: Option<&Profile>,
    accounts: &[Account],
) -> Result<(Profile, ProfileSource), ProfileError> {
    let _ = (args, inventory_company, accounts);
    todo!("profile resolve")
}
