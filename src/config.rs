//! `wxaudit.toml`: profile, rule overrides, suppressions, output directory and fail threshold for
//! scheduled audits, so a cron line is one short command.
