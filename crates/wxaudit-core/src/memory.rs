//! What the audit asks of the allocator, so that the memory it lets go of goes back to the
//! system rather than staying counted against it.
//!
//! Why it exists: a million-account audit frees large blocks all the time — the file's 8 MiB
//! parts once parsed, each batch of rows once stored, the rules' per-batch lists, the sort's
//! keys. glibc keeps much of that resident: it raises its "map this block on its own" threshold
//! each time a mapped block is freed (up to 32 MiB), after which such blocks come from its heap
//! and stay there once freed, and memory freed on worker threads stays in their arenas. Both
//! calls here do nothing on other platforms.

/// Keeps every block above 128 KiB in its own mapping, handed back to the system the moment it
/// is freed (glibc's default before it starts raising the threshold). For a program's start:
/// at 1M accounts it lowers the import's peak by some 40 MB at no cost in time.
pub fn keep_large_blocks_returnable() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes a tuning parameter of the allocator.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}

/// Hands memory the allocator holds but no longer uses back to the system: what the import's
/// worker threads freed (a million short-lived rows) would otherwise stay resident in their
/// arenas for the whole audit.
pub fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns unused pages of the allocator's own heaps to the system.
    unsafe {
        libc::malloc_trim(0);
    }
}
