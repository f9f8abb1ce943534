//! Compares an audit with a previous saved JSON report: marks findings new/unchanged and lists
//! the resolved ones, by stable fingerprint.
