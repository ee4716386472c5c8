//! A rendered template as a plugin tree in memory, so the flavor's reader checks what `new`
//! would write before anything is written.

use std::io;

use crate::plugin::tree::Tree;

/// The files `new` is about to write in the folder `folder` (shown as `shown`).
pub(crate) struct Rendered<'a> {
    folder: String,
    shown: String,
    files: &'a [(String, Vec<u8>)],
}

impl<'a> Rendered<'a> {
    pub(crate) fn new(folder: &str, shown: &str, files: &'a [(String, Vec<u8>)]) -> Rendered<'a> {
        Rendered {
            folder: folder.to_owned(),
            shown: shown.to_owned(),
            files,
        }
    }
}

impl Tree for Rendered<'_> {
    fn folder_name(&self) -> Option<&str> {
        Some(&self.folder)
    }

    fn display(&self, rel: &str) -> String {
        if rel.is_empty() {
            self.shown.clone()
        } else {
            format!("{}/{rel}", self.shown.trim_end_matches('/'))
        }
    }

    fn read_bytes(&self, rel: &str) -> io::Result<Option<Vec<u8>>> {
        Ok(self
            .files
            .iter()
            .find(|(path, _)| path == rel)
            .map(|(_, bytes)| bytes.clone()))
    }

    fn is_file(&self, rel: &str) -> bool {
        self.files.iter().any(|(path, _)| path == rel)
    }

    fn is_dir(&self, rel: &str) -> bool {
        let rel = rel.trim_end_matches('/');
        rel.is_empty()
            || self
                .files
                .iter()
                .any(|(path, _)| path.strip_prefix(rel).is_some_and(|r| r.starts_with('/')))
    }

    fn files(&self) -> Vec<String> {
        self.files
            .iter()
            .filter(|(path, _)| !path.contains('/'))
            .map(|(path, _)| path.clone())
            .collect()
    }

    fn files_under(&self, dir: &str) -> Vec<String> {
        let dir = dir.trim_end_matches('/');
        let mut files: Vec<String> = self
            .files
            .iter()
            .filter(|(path, _)| {
                dir.is_empty() || path.strip_prefix(dir).is_some_and(|r| r.starts_with('/'))
            })
            .map(|(path, _)| path.clone())
            .collect();
        files.sort();
        files
    }
}
