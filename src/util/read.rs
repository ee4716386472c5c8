//! Reading a file that someone else wrote (a plugin's manifest, a Python source): only a regular
//! file, and only up to a size. A named pipe would block the read until a writer comes (forever),
//! and a link to `/dev/zero` or `/dev/urandom` never ends; both are refused, as is a file larger
//! than the cap, with an error that says which and why (a [`Refused`] inside the `io::Error`).

use std::fmt;
use std::fs::{File, Metadata, OpenOptions};
use std::io::{self, Read};
use std::path::Path;

/// Why a file was not read. Carried inside an `io::Error` (kind `InvalidData`), so callers that
/// pass `io::Error`s on keep working; [`is_refused`] tells it apart from a failed read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refused {
    /// Not a regular file: what it is (`a named pipe (FIFO)`, `a device`...).
    NotRegular(&'static str),
    /// Larger than `cap` bytes.
    TooLarge { cap: u64 },
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refused::NotRegular(what) => {
                write!(
                    f,
                    "it is {what}, not a regular file, so pluginkit does not read it"
                )
            }
            Refused::TooLarge { cap } => write!(
                f,
                "it is larger than {}, more than pluginkit reads of such a file",
                size(*cap)
            ),
        }
    }
}

impl std::error::Error for Refused {}

fn size(bytes: u64) -> String {
    if bytes >= 1 << 20 && bytes.is_multiple_of(1 << 20) {
        format!("{} MiB", bytes >> 20)
    } else if bytes >= 1 << 10 && bytes.is_multiple_of(1 << 10) {
        format!("{} KiB", bytes >> 10)
    } else {
        format!("{bytes} bytes")
    }
}

impl From<Refused> for io::Error {
    fn from(refused: Refused) -> Self {
        io::Error::new(io::ErrorKind::InvalidData, refused)
    }
}

/// Whether `error` is a refusal by [`read_regular_file`] (rather than a failed read).
pub(crate) fn is_refused(error: &io::Error) -> bool {
    error.get_ref().is_some_and(|inner| inner.is::<Refused>())
}

/// The refusal inside `error`, when [`read_regular_file`] refused the file.
pub(crate) fn refusal(error: &io::Error) -> Option<&Refused> {
    error
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<Refused>())
}

/// What a file that is not a regular one is, in words.
fn kind_of(meta: &Metadata) -> Option<&'static str> {
    let kind = meta.file_type();
    if kind.is_file() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return Some("a named pipe (FIFO)");
        }
        if kind.is_char_device() || kind.is_block_device() {
            return Some("a device");
        }
        if kind.is_socket() {
            return Some("a socket");
        }
    }
    Some("a special file")
}

fn check(meta: &Metadata, cap: u64) -> io::Result<()> {
    // A folder is not refused but absent as a file: callers looking for a file treat it so.
    if meta.is_dir() {
        return Err(io::ErrorKind::IsADirectory.into());
    }
    if let Some(what) = kind_of(meta) {
        return Err(Refused::NotRegular(what).into());
    }
    if meta.len() > cap {
        return Err(Refused::TooLarge { cap }.into());
    }
    Ok(())
}

/// Open `path` for reading without blocking on a FIFO (on Linux, where the flag is at hand; the
/// check before the open covers the other systems but for a race).
fn open(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let flags = rustix::fs::OFlags::NONBLOCK | rustix::fs::OFlags::NOCTTY;
        options.custom_flags(flags.bits() as i32);
    }
    options.open(path)
}

/// The bytes of `path`, following links, when it is a regular file of at most `cap` bytes; a
/// [`Refused`] error otherwise. A device is never opened: a link (which could lead to one) is
/// judged by what it leads to before it is opened.
pub(crate) fn read_regular_file(path: &Path, cap: u64) -> io::Result<Vec<u8>> {
    #[cfg(target_os = "linux")]
    return read_regular_file_at(rustix::fs::CWD, path, cap);
    #[cfg(not(target_os = "linux"))]
    {
        let meta = std::fs::metadata(path)?;
        check(&meta, cap)?;
        // Not checked again on the open file: a file swapped for another kind in between
        // cannot hang the read (the open does not wait, and a FIFO without a writer then reads
        // as empty) nor make it unbounded (the cap holds).
        read_sized(&open(path)?, &meta, cap)
    }
}

/// [`read_regular_file`] for `path` relative to the opened folder `dir` (a scan opens the plugins
/// folder once and resolves each plugin's files from there, rather than the whole path again).
///
/// The one system call per file besides reading it: open the file itself (`O_NOFOLLOW`, and not
/// waiting on a FIFO), and read it. Only a read that tells nothing of the file's kind (empty,
/// failed, or past the cap) asks what the file is: a FIFO without a writer reads as empty, a
/// folder fails, a device (which only root can make inside a plugin) passes the cap. A link is
/// judged by what it leads to before that is opened.
#[cfg(target_os = "linux")]
pub(crate) fn read_regular_file_at<P: rustix::path::Arg + Copy>(
    dir: rustix::fd::BorrowedFd<'_>,
    path: P,
    cap: u64,
) -> io::Result<Vec<u8>> {
    use rustix::fs::{Mode, OFlags, openat};
    let flags = OFlags::RDONLY | OFlags::NONBLOCK | OFlags::NOCTTY | OFlags::CLOEXEC;
    let file = match openat(dir, path, flags | OFlags::NOFOLLOW, Mode::empty()) {
        Ok(fd) => File::from(fd),
        Err(rustix::io::Errno::LOOP) => {
            // A link: what it leads to, judged before it is opened (`O_PATH` opens nothing).
            let target = File::from(openat(
                dir,
                path,
                OFlags::PATH | OFlags::CLOEXEC,
                Mode::empty(),
            )?);
            let meta = target.metadata()?;
            check(&meta, cap)?;
            return read_sized(
                &File::from(openat(dir, path, flags, Mode::empty())?),
                &meta,
                cap,
            );
        }
        Err(e) => return Err(e.into()),
    };
    let read = read_small(&file, cap);
    match read {
        Ok(bytes) if !bytes.is_empty() => Ok(bytes),
        _ => {
            let meta = file.metadata()?;
            check(&meta, cap)?;
            read
        }
    }
}

/// Read `file` whole, at most `cap` bytes (more is [`Refused::TooLarge`]). A manifest or a small
/// source fits the first buffer, on the stack: the bytes are then copied once into a vector of
/// their size, as their text is kept for the plugin's findings (a scan of 10,000 plugins kept 80
/// MB of empty buffer when reads were left in their 8 KiB buffers, and cutting them down after
/// cost a copy and a reallocation each).
#[cfg(target_os = "linux")]
fn read_small(mut file: &File, cap: u64) -> io::Result<Vec<u8>> {
    let mut first = [0u8; 8 << 10];
    let mut len = 0;
    while len < first.len() {
        match file.read(&mut first[len..]) {
            Ok(0) => break,
            Ok(n) => len += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    if len as u64 > cap {
        return Err(Refused::TooLarge { cap }.into());
    }
    let mut bytes = first[..len].to_vec();
    if len == first.len() {
        read_capped(file, cap, &mut bytes)?;
    }
    Ok(bytes)
}

/// Read `file`, judged by `meta` already, whole: room for its size and the byte past it that
/// tells it has not grown past the cap.
fn read_sized(file: &File, meta: &Metadata, cap: u64) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0).saturating_add(1));
    read_capped(file, cap, &mut bytes)?;
    Ok(bytes)
}

/// Read the rest of `file` into `bytes`, one byte past the cap (counting what `bytes` holds) so
/// that a file larger than it is caught.
fn read_capped(file: &File, cap: u64, bytes: &mut Vec<u8>) -> io::Result<()> {
    let limit = cap.saturating_add(1).saturating_sub(bytes.len() as u64);
    file.take(limit).read_to_end(bytes)?;
    if bytes.len() as u64 > cap {
        return Err(Refused::TooLarge { cap }.into());
    }
    Ok(())
}

/// `path` (through links) opened for reading, when it is a regular file of any size: for a file
/// that is streamed rather than read whole (a package). Judged before the open, so a device is
/// never opened, and again on the open file; a folder is refused like any other non-file.
pub(crate) fn open_regular(path: &Path) -> io::Result<File> {
    let refuse = |meta: &Metadata| -> io::Result<()> {
        if meta.is_dir() {
            return Err(Refused::NotRegular("a folder").into());
        }
        check(meta, u64::MAX)
    };
    refuse(&std::fs::metadata(path)?)?;
    let file = open(path)?;
    refuse(&file.metadata()?)?;
    Ok(file)
}

/// [`read_regular_file`] as UTF-8 text (an `InvalidData` error when it is not).
pub(crate) fn read_regular_text(path: &Path, cap: u64) -> io::Result<String> {
    // The words `fs::read_to_string` uses, rather than the byte offset the decoder gives.
    String::from_utf8(read_regular_file(path, cap)?).map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            "stream did not contain valid UTF-8",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAX: u64 = 1 << 20;

    #[test]
    fn regular_files_are_read_up_to_the_cap() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a");
        std::fs::write(&file, b"12345").unwrap();
        assert_eq!(read_regular_file(&file, 5).unwrap(), b"12345");
        let error = read_regular_file(&file, 4).unwrap_err();
        assert!(is_refused(&error));
        assert!(error.to_string().contains("larger than 4 bytes"), "{error}");
        let error = read_regular_file(&dir.path().join("none"), 4).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::NotFound);
        assert!(!is_refused(&error));
        let error = read_regular_file(dir.path(), 4).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::IsADirectory);
        assert_eq!(size(4 << 20), "4 MiB");
        assert_eq!(size(64 << 10), "64 KiB");
    }

    /// Files around the first read's buffer (8 KiB on the stack) read whole, through a path and
    /// through an opened folder, and the cap holds on either side of it.
    #[test]
    fn files_around_the_first_buffer_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        for len in [0, 1, 8191, 8192, 8193, 20_000] {
            let bytes: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
            let file = dir.path().join(format!("f{len}"));
            std::fs::write(&file, &bytes).unwrap();
            assert_eq!(read_regular_file(&file, MAX).unwrap(), bytes, "{len} bytes");
            #[cfg(target_os = "linux")]
            {
                let parent = std::fs::File::open(dir.path()).unwrap();
                let name = format!("f{len}");
                let read =
                    read_regular_file_at(rustix::fd::AsFd::as_fd(&parent), Path::new(&name), MAX);
                assert_eq!(read.unwrap(), bytes, "{len} bytes from the folder");
            }
            if len > 0 {
                let error = read_regular_file(&file, len as u64 - 1).unwrap_err();
                assert!(is_refused(&error), "{len} bytes against a cap one less");
                assert_eq!(read_regular_file(&file, len as u64).unwrap().len(), len);
            }
        }
    }

    /// A manifest's text lives as long as its plugin's findings: the read buffer must not. (A
    /// validate of 10,000 FBA plugins, which keep where their version is written, held 80 MB
    /// more than the files' bytes.)
    #[test]
    fn a_file_read_holds_no_more_memory_than_its_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("plugin.toml");
        std::fs::write(&file, "[plugin]\nname = \"hello\"\n").unwrap();
        let bytes = read_regular_file(&file, MAX).unwrap();
        assert_eq!(bytes.len(), 24);
        assert!(bytes.capacity() < 64, "capacity {}", bytes.capacity());
    }

    #[cfg(unix)]
    #[test]
    fn devices_fifos_and_links_to_them_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("zero");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        let error = read_regular_file(&link, 1 << 20).unwrap_err();
        assert!(is_refused(&error), "{error}");
        assert!(error.to_string().contains("a device"), "{error}");
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success());
        if made {
            let error = read_regular_file(&fifo, 1 << 20).unwrap_err();
            assert!(error.to_string().contains("named pipe"), "{error}");
            let error = open(&fifo).and_then(|f| f.metadata());
            assert!(error.is_ok(), "opening a FIFO does not block");
        }
    }
}
