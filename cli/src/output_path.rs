//! Where `export` and `convert` may write: never onto the wallet store, its SQLite companions, an
//! input of the command or a special file.

use std::path::{Path, PathBuf};

use wallet_core::atomic_file::{self, TargetError};

use crate::error::CliError;
use crate::output::shown;

/// Checks an `--out` path before anything is derived, prompted for or written: it must not be a
/// special file (a device, a FIFO, a socket, a directory), and, symlinks followed, it must not be
/// the wallet store (nor its `-wal`, `-shm` or `-journal` file, where SQLite keeps recent
/// changes) nor an input of the command. Hard links to them are caught by comparing the files
/// themselves.
pub fn check_output(out: &Path, store: Option<&Path>, inputs: &[&Path]) -> Result<(), CliError> {
    let out_shown = shown(&out.display().to_string());
    let target = atomic_file::write_target(out).map_err(|e| match e {
        TargetError::Io(e) => CliError::Io(format!("cannot write {out_shown}: {e}")),
        other => CliError::Usage(format!("cannot write {out_shown}: {other}")),
    })?;
    let resolved = resolve(&target);
    let same = |p: &Path| (resolved.is_some() && resolve(p) == resolved) || same_file(&target, p);
    if let Some(store) = store {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut companion = store.as_os_str().to_owned();
            companion.push(suffix);
            let companion = PathBuf::from(companion);
            // SQLite keeps the companions next to the store's resolved path.
            let resolved_companion = resolve(store).map(|r| {
                let mut c = r.into_os_string();
                c.push(suffix);
                PathBuf::from(c)
            });
            if same(&companion) || (resolved.is_some() && resolved_companion == resolved) {
                return Err(CliError::Usage(format!(
                    "--out {out_shown} is the wallet store{}: writing there would destroy the \
                     wallet; choose another file",
                    if suffix.is_empty() {
                        String::new()
                    } else {
                        format!("'s {suffix} file")
                    }
                )));
            }
        }
    }
    if inputs.iter().any(|p| same(p)) {
        return Err(CliError::Usage(
            "--out must differ from the input file, so the original is kept".into(),
        ));
    }
    Ok(())
}

/// `path` with every symlink and `.`/`..` resolved; for a file that does not exist yet, its
/// resolved directory joined with its name. `None` when not even the directory resolves.
fn resolve(path: &Path) -> Option<PathBuf> {
    if let Ok(p) = path.canonicalize() {
        return Some(p);
    }
    let name = path.file_name()?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.canonicalize().ok()?,
        _ => std::env::current_dir().ok()?.canonicalize().ok()?,
    };
    Some(dir.join(name))
}

/// True when both paths exist and are the same file (hard links included).
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(x), Ok(y)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return x.dev() == y.dev() && x.ino() == y.ino();
        }
    }
    let _ = (a, b);
    false
}
