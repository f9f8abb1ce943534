//! Background work: loading + auditing (through [`wxaudit_core::pipeline::run`], never re-implemented
//! here), filtering and sorting views, searching, exporting, saving header mappings into
//! `wxaudit.toml` (through [`wxaudit_core::config_edit::save_columns`]), and warming a fresh
//! load's sort ranks ([`Cmd::WarmUp`], on threads of the lowest priority; see
//! [`super::index`]). Each job runs on its own thread and reports back on the UI channel; the
//! input loop never waits for one.
//!
//! Stale work is superseded rather than queued: every view/search job carries a generation
//! ([`Cancel`]); starting a newer one bumps the generation, the old job notices and stops early,
//! (a sort stops making its column's ranks too), and the app ignores any result whose
//! generation is not the latest; a reload retires the old data, and its warm-up stops at its
//! next check. [`execute`] runs a command
//! synchronously, which is what tests use to drive the app deterministically.

use super::action::JobMsg;
use super::data::Data;
use super::event::Event;
use super::view::{self, account_cell, finding_cell, Cancel, Col, Filter, Sort, TableKind};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, Weak};
use std::time::Instant;
use wxaudit_core::pipeline::{self, PipelineOptions, Stage};

/// Work the app asks for; produced by [`super::app::App::update`], executed here.
#[derive(Debug, Clone)]
pub enum Cmd {
    Load(Box<PipelineOptions>),
    View {
        table: TableKind,
        data: Arc<Data>,
        filter: Filter,
        sort: Option<Sort>,
        cancel: Cancel,
    },
    Search {
        table: TableKind,
        data: Arc<Data>,
        view: Arc<Vec<u32>>,
        query: String,
        from: usize,
        forward: bool,
        include_from: bool,
        cancel: Cancel,
    },
    Export {
        path: PathBuf,
        table: TableKind,
        data: Arc<Data>,
        view: Arc<Vec<u32>>,
        cols: Vec<Col>,
    },
    /// Make the sort ranks and filter indexes of a fresh load ahead of use
    /// ([`super::index::Index::warm_up`]), on threads of the lowest priority. Holds the data
    /// weakly: a reload retires it and the warm-up stops.
    WarmUp(Weak<Data>),
    /// Save header mappings into the `[columns]` table of a configuration file.
    SaveColumns {
        path: PathBuf,
        set: Vec<(String, String)>,
        remove: Vec<String>,
    },
}

/// Runs a command to completion on the current thread, sending progress through `progress`.
/// Returns `None` when the job was cancelled (a newer one superseded it).
pub fn execute(cmd: Cmd, progress: &(dyn Fn(JobMsg) + Sync)) -> Option<JobMsg> {
    match cmd {
        Cmd::Load(opts) => Some(JobMsg::Loaded(load(&opts, progress))),
        Cmd::View {
            table,
            data,
            filter,
            sort,
            cancel,
        } => {
            let v = view::compute(&data, table, &filter, sort, &cancel)?;
            Some(JobMsg::View {
                table,
                gen: cancel.mine,
                view: Arc::new(v),
            })
        }
        Cmd::Search {
            table,
            data,
            view,
            query,
            from,
            forward,
            include_from,
            cancel,
        } => {
            let pos = view::search(
                &data,
                table,
                &view,
                &query,
                from,
                forward,
                include_from,
                &cancel,
            );
            if cancel.is_cancelled() {
                return None;
            }
            Some(JobMsg::Searched {
                gen: cancel.mine,
                pos,
            })
        }
        Cmd::Export {
            path,
            table,
            data,
            view,
            cols,
        } => Some(JobMsg::Exported(export(&path, table, &data, &view, &cols))),
        Cmd::WarmUp(data) => {
            warm_up(&data);
            None
        }
        Cmd::SaveColumns { path, set, remove } => Some(JobMsg::SavedColumns(
            wxaudit_core::config_edit::save_columns(&path, &set, &remove)
                .map_err(|e| e.to_string()),
        )),
    }
}

/// [`super::index::Index::warm_up`] on a pool of its own whose threads run at the lowest
/// priority (nice 19), so that the views, filters and searches a person is waiting for (on the
/// global pool) get the cores first, and the warm-up has them when nothing else runs. Without
/// a pool (a thread could not start) it runs on the calling thread.
fn warm_up(data: &Weak<Data>) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(rayon::current_num_threads())
        .thread_name(|i| format!("wxaudit-warm-{i}"))
        .start_handler(|_| lowest_priority())
        .build();
    let mut step = |_, _| {};
    match pool {
        Ok(pool) => {
            pool.install(|| super::index::Index::warm_up(data, &mut step));
        }
        Err(_) => {
            super::index::Index::warm_up(data, &mut step);
        }
    }
}

/// Lowers the calling thread's priority as far as it goes (on Linux the nice value is per
/// thread). A failure only means the warm-up competes at normal priority.
fn lowest_priority() {
    #[cfg(unix)]
    // SAFETY: setpriority takes plain integers and changes only the scheduling of the calling
    // thread (who = 0); it touches no memory of ours.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 19);
    }
}

fn panic_text(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown error".into())
}

/// Import → audit via the shared pipeline, then the TUI's indices. A panic in the pipeline is
/// caught and shown as an error instead of tearing the screen down.
fn load(opts: &PipelineOptions, progress: &(dyn Fn(JobMsg) + Sync)) -> Result<Arc<Data>, String> {
    let started = Instant::now();
    let last = AtomicU64::new(u64::MAX);
    let cb = |stage: Stage, done: u64, total: u64| {
        // At most one message per 0.5% per stage, so a million rows do not flood the channel.
        let permille = done.saturating_mul(200).checked_div(total).unwrap_or(0);
        let key = permille | ((stage == Stage::Auditing) as u64) << 32;
        if last.swap(key, Ordering::Relaxed) != key {
            progress(JobMsg::Progress { stage, done, total });
        }
    };
    let res = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| pipeline::run(opts, &cb)));
    match res {
        Ok(Ok(report)) => {
            let data = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                Data::build(report, started.elapsed())
            }))
            .map_err(|p| format!("could not index the report: {}", panic_text(&*p)))?;
            Ok(Arc::new(data))
        }
        Ok(Err(e)) => Err(e.to_string()),
        Err(p) => Err(format!(
            "the audit stopped unexpectedly: {}",
            panic_text(&*p)
        )),
    }
}

/// Plain words for an I/O error.
pub fn io_words(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        NotFound => "the folder does not exist".into(),
        PermissionDenied => "permission denied (choose a folder you can write to)".into(),
        AlreadyExists => "a file with that name already exists".into(),
        IsADirectory => "that is a folder, not a file name".into(),
        StorageFull => "the disk is full".into(),
        _ => e.to_string(),
    }
}

/// Column headers as the table shows them (extra columns as the inventory named them).
pub fn export_header(data: &Data, cols: &[Col]) -> Vec<String> {
    cols.iter()
        .map(|c| match c {
            // An extra column keeps the header it had in the inventory.
            Col::Extra(i) => data
                .report
                .extra_columns
                .get(*i as usize)
                .cloned()
                .unwrap_or_default(),
            _ => c.header(Some(data)).into_owned(),
        })
        .collect()
}

fn export(
    path: &std::path::Path,
    table: TableKind,
    data: &Data,
    view: &[u32],
    cols: &[Col],
) -> Result<(PathBuf, u64), String> {
    let header = export_header(data, cols);
    let header: Vec<&str> = header.iter().map(|s| s.as_str()).collect();
    let rows = view.iter().map(|&i| {
        cols.iter()
            .map(|&c| match table {
                TableKind::Accounts => account_cell(data, i as usize, c).into_owned(),
                TableKind::Findings => finding_cell(data, i, c).into_owned(),
            })
            .collect::<Vec<String>>()
    });
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    match wxaudit_core::report::csv::write_table_file(path, &header, rows) {
        Ok(n) => Ok((abs, n)),
        Err(e) => Err(format!(
            "Could not export to {}: {}",
            abs.display(),
            io_words(&e)
        )),
    }
}

/// Spawns jobs on threads, delivering their results on the UI channel.
pub struct Runner {
    tx: Arc<Mutex<Sender<Event>>>,
}

impl Runner {
    pub fn new(tx: Sender<Event>) -> Runner {
        Runner {
            tx: Arc::new(Mutex::new(tx)),
        }
    }

    pub fn spawn(&self, cmd: Cmd) {
        let tx = Arc::clone(&self.tx);
        let name = match &cmd {
            Cmd::Load(_) => "wxaudit-load",
            Cmd::View { .. } => "wxaudit-view",
            Cmd::Search { .. } => "wxaudit-search",
            Cmd::Export { .. } => "wxaudit-export",
            Cmd::WarmUp(_) => "wxaudit-warm",
            Cmd::SaveColumns { .. } => "wxaudit-save",
        };
        let send = move |m: JobMsg| {
            if let Ok(tx) = tx.lock() {
                let _ = tx.send(Event::Job(m));
            }
        };
        let _ = std::thread::Builder::new()
            .name(name.into())
            .spawn(move || {
                let res =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| execute(cmd, &send)));
                match res {
                    Ok(Some(m)) => send(m),
                    Ok(None) => {}
                    Err(p) => send(JobMsg::Failed(panic_text(&*p))),
                }
            });
    }
}
