//! `wxaudit diff OLD.json NEW.json`.

use super::args::DiffArgs;
use super::{emit, refuse_input, Target};
use anyhow::{anyhow, Result};
use wxaudit::diff::{self, DiffFormat};

pub fn run(a: DiffArgs) -> Result<i32> {
    let path = match Target::of(a.output.as_deref()) {
        Target::Stdout => None,
        Target::File(p) => Some(p),
        Target::Dir(p) => {
            return Err(anyhow!(
                "{}: is a directory; give a file name for the diff (e.g. changes.md)",
                p.display()
            ))
        }
    };
    let format = a
        .format
        .map(DiffFormat::from)
        .or_else(|| {
            let ext = path.as_ref()?.extension()?.to_string_lossy().to_lowercase();
            match ext.as_str() {
                "json" => Some(DiffFormat::Json),
                "csv" => Some(DiffFormat::Csv),
                "md" | "markdown" => Some(DiffFormat::Md),
                _ => None,
            }
        })
        .unwrap_or(DiffFormat::Text);
    if let Some(p) = &path {
        let mut inputs = wxaudit::output_guard::Inputs::default();
        inputs.add("earlier report (OLD)", &a.old);
        inputs.add("later report (NEW)", &a.new);
        refuse_input(&inputs, p)?;
    }
    let d = diff::compare_files(&a.old, &a.new)?;
    emit(path.as_deref(), |w| diff::write(&d, format, w))?;
    if let Some(p) = &path {
        eprintln!(
            "wxaudit: wrote {}",
            wxaudit::safe_text::terminal(&p.display().to_string())
        );
    }
    Ok(0)
}
