//! Files written with `--out`: a file already there is kept unless `--force` is given, and the
//! target never holds a half-written file (the bytes go to a temporary file in the same
//! directory, then take the target's name in one step).

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::failure::Failure;

/// The file `--out` names, and whether `--force` allows replacing one already there.
#[derive(Debug, Clone, Copy)]
pub struct OutFile<'a> {
    path: &'a Path,
    force: bool,
}

impl<'a> OutFile<'a> {
    /// Checks the path before anything is downloaded: without `force`, an existing path (even
    /// a dangling link) is refused, exit 2.
    pub fn new(path: &'a Path, force: bool) -> Result<Self, Failure> {
        let out = Self { path, force };
        if path.file_name().is_none() {
            return Err(Failure::Usage(format!(
                "--out {}: give a file name",
                path.display()
            )));
        }
        if !force && fs::symlink_metadata(path).is_ok() {
            return Err(out.exists());
        }
        Ok(out)
    }

    /// The path.
    pub fn path(&self) -> &'a Path {
        self.path
    }

    /// Writes `bytes` under the path: complete or not at all, and, without `force`, never over
    /// a file that appeared since [`OutFile::new`].
    pub fn write(&self, bytes: &[u8]) -> Result<(), Failure> {
        let temp = self.temp_path();
        let cannot =
            |e: io::Error| Failure::Other(format!("cannot write {}: {e}", self.path.display()));
        let placed = match write_new(&temp, bytes) {
            Ok(()) => self.put_in_place(&temp, bytes).map_err(|e| match e.kind() {
                io::ErrorKind::AlreadyExists if !self.force => self.exists(),
                _ => cannot(e),
            }),
            Err(e) => Err(cannot(e)),
        };
        // Gone after a rename; after a link or a failure, the temporary name must not stay.
        let _ = fs::remove_file(&temp);
        placed
    }

    /// Gives the complete temporary file the target's name.
    fn put_in_place(&self, temp: &Path, bytes: &[u8]) -> io::Result<()> {
        if self.force {
            return fs::rename(temp, self.path);
        }
        // A hard link fails when the name is taken, where a rename would replace the file.
        match fs::hard_link(temp, self.path) {
            Err(e) if e.kind() != io::ErrorKind::AlreadyExists => {
                // A file system without hard links: still never over an existing file.
                write_new(self.path, bytes)
            }
            linked => linked,
        }
    }

    /// `.NAME.PID-NANOS.part` next to the target, so that the rename stays on one file system.
    fn temp_path(&self) -> PathBuf {
        let name = self.path.file_name().unwrap_or_default().to_string_lossy();
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let temp = format!(".{name}.{}-{nanos}.part", std::process::id());
        self.path.with_file_name(temp)
    }

    fn exists(&self) -> Failure {
        Failure::Usage(format!(
            "{} already exists; give --force to replace it",
            self.path.display()
        ))
    }
}

/// Creates `path` (never opening an existing file) with `bytes`, flushed to the disk; removes
/// it again when that fails half-way.
fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = OpenOptions::new().write(true).create_new(true).open(path)?;
    let written = file.write_all(bytes).and_then(|()| file.sync_all());
    if written.is_err() {
        drop(file);
        let _ = fs::remove_file(path);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_that_appears_after_the_check_is_kept_and_no_temporary_file_stays() {
        let dir = std::env::temp_dir().join(format!("qiwi-out-race-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("receipt.pdf");
        let out = OutFile::new(&path, false).unwrap();
        fs::write(&path, b"theirs").unwrap();
        let refused = out.write(b"%PDF-").unwrap_err();
        assert!(matches!(refused, Failure::Usage(_)), "{refused:?}");
        assert_eq!(fs::read(&path).unwrap(), b"theirs");
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 1);
        fs::remove_dir_all(&dir).unwrap();
    }
}
