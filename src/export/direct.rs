//! Large output files written past the page cache: the bytes are gathered into aligned
//! blocks that a thread of the file's own writes to the disk with `O_DIRECT` (on Linux;
//! elsewhere, or where the file system refuses it, with plain writes).
//!
//! A build writes gigabytes of N-Quads, TriG and Turtle. Written the usual way, every byte
//! is first copied by the kernel into the page cache, on the thread that writes, and the
//! cache then has to be written back and reclaimed; on this project's 2-core machine that
//! copy took a sixth of a 100k-article build's CPU time (20 of 120 s). A direct write hands
//! the disk our own buffer: no copy, no dirty pages, and the writing thread mostly waits
//! for the disk instead of taking a core from the serializers.

use std::fs::File;
use std::io::{self, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::thread::JoinHandle;

/// The alignment of direct writes (address, length and file offset): the page size, a
/// multiple of every disk's logical block.
const ALIGN: usize = 4096;

/// The size of a block: large writes keep the disk busy with few system calls.
const BLOCK: usize = 4 << 20;

/// Blocks in use at most per file: one being filled, the others queued or being written.
const BLOCKS: usize = 3;

/// A buffer whose bytes `buf[start..start + len]` begin at an aligned address.
struct Block {
    buf: Vec<u8>,
    start: usize,
    len: usize,
}

impl Block {
    /// A block starting `skew` bytes past an aligned address (0 but in a test of what a
    /// refused direct write does).
    fn new(skew: usize) -> Self {
        let buf = vec![0u8; BLOCK + 2 * ALIGN];
        // The heap allocation does not move when the vector does (sent to the writing
        // thread and back), so the aligned start stays aligned.
        let start = (ALIGN - buf.as_ptr() as usize % ALIGN) % ALIGN + skew;
        Self { buf, start, len: 0 }
    }

    fn room(&self) -> usize {
        BLOCK - self.len
    }

    fn push(&mut self, bytes: &[u8]) {
        let at = self.start + self.len;
        self.buf[at..at + bytes.len()].copy_from_slice(bytes);
        self.len += bytes.len();
    }

    fn bytes(&self) -> &[u8] {
        &self.buf[self.start..self.start + self.len]
    }

    /// The bytes with zeros up to the next multiple of [`ALIGN`] (a direct write of the
    /// last, partial block; the file is cut back to its length afterwards).
    fn padded(&mut self) -> &[u8] {
        let end = self.len.div_ceil(ALIGN) * ALIGN;
        self.buf[self.start + self.len..self.start + end].fill(0);
        &self.buf[self.start..self.start + end]
    }
}

/// A file being written by its own thread, block by block.
pub(super) struct DirectFile {
    path: PathBuf,
    block: Block,
    /// Blocks made so far (at most [`BLOCKS`]).
    made: usize,
    /// How far past an aligned address blocks start (see [`Block::new`]).
    skew: usize,
    full: Option<SyncSender<Block>>,
    empty: Receiver<Block>,
    thread: Option<JoinHandle<io::Result<File>>>,
}

impl DirectFile {
    /// Creates (or truncates) `path`, written directly where the system allows it.
    pub(super) fn create(path: &Path) -> io::Result<Self> {
        let (file, direct) = open(path, true)?;
        Ok(Self::with(path, file, direct, 0))
    }

    /// Creates `path`, written with plain writes (through the page cache).
    #[cfg(test)]
    fn create_buffered(path: &Path) -> io::Result<Self> {
        let (file, direct) = open(path, false)?;
        Ok(Self::with(path, file, direct, 0))
    }

    /// Creates `path` for direct writes from blocks that are not aligned: the system
    /// refuses them (`EINVAL`), as some file systems refuse direct writes at all.
    #[cfg(test)]
    fn create_misaligned(path: &Path) -> io::Result<Self> {
        let (file, direct) = open(path, true)?;
        Ok(Self::with(path, file, direct, 1))
    }

    fn with(path: &Path, file: File, direct: bool, skew: usize) -> Self {
        let (full, to_write) = sync_channel::<Block>(BLOCKS);
        let (give_back, empty) = sync_channel::<Block>(BLOCKS);
        let p = path.to_path_buf();
        let thread =
            std::thread::spawn(move || write_blocks(file, &p, direct, to_write, give_back));
        Self {
            path: path.to_path_buf(),
            block: Block::new(skew),
            made: 1,
            skew,
            full: Some(full),
            empty,
            thread: Some(thread),
        }
    }

    /// Appends `bytes`.
    pub(super) fn write(&mut self, mut bytes: &[u8]) -> io::Result<()> {
        while !bytes.is_empty() {
            let n = bytes.len().min(self.block.room());
            self.block.push(&bytes[..n]);
            bytes = &bytes[n..];
            if self.block.room() == 0 {
                self.send()?;
            }
        }
        Ok(())
    }

    /// Hands the current block to the writing thread and takes an empty one.
    fn send(&mut self) -> io::Result<()> {
        let next = match self.empty.try_recv() {
            Ok(b) => b,
            Err(_) if self.made < BLOCKS => {
                self.made += 1;
                Block::new(self.skew)
            }
            Err(_) => match self.empty.recv() {
                Ok(b) => b,
                // The thread has stopped: its error is the one to report.
                Err(_) => return Err(self.stop().err().unwrap_or_else(stopped)),
            },
        };
        let full = std::mem::replace(&mut self.block, next);
        let sent = self.full.as_ref().map(|tx| tx.send(full).is_ok());
        if sent != Some(true) {
            return Err(self.stop().err().unwrap_or_else(stopped));
        }
        Ok(())
    }

    /// Writes what is left, waits for the thread and returns the file (not yet synced).
    pub(super) fn finish(mut self) -> io::Result<File> {
        if self.block.len > 0 {
            self.send()?;
        }
        self.stop()
    }

    /// Ends the thread (after the blocks sent) and returns its result.
    fn stop(&mut self) -> io::Result<File> {
        self.full = None;
        match self.thread.take() {
            Some(t) => t.join().unwrap_or_else(|_| {
                Err(io::Error::other(format!(
                    "the thread writing {} panicked",
                    self.path.display()
                )))
            }),
            None => Err(stopped()),
        }
    }
}

impl Drop for DirectFile {
    fn drop(&mut self) {
        // A file given up (an error elsewhere) still has its thread ended.
        let _ = self.stop();
    }
}

fn stopped() -> io::Error {
    io::Error::other("the thread writing the file stopped")
}

/// Opens `path` for writing, truncated; with `O_DIRECT` when `direct` and the system
/// accepts it. Returns whether it is direct.
fn open(path: &Path, direct: bool) -> io::Result<(File, bool)> {
    #[cfg(target_os = "linux")]
    if direct {
        use std::os::unix::fs::OpenOptionsExt;
        let opened = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .custom_flags(libc::O_DIRECT)
            .open(path);
        if let Ok(f) = opened {
            return Ok((f, true));
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = direct;
    Ok((File::create(path)?, false))
}

/// The writing thread: writes each block received at the end of the file and gives it
/// back. A direct write the file system refuses (`EINVAL`) switches the file to plain
/// writes, from that block on.
fn write_blocks(
    mut file: File,
    path: &Path,
    mut direct: bool,
    blocks: Receiver<Block>,
    give_back: SyncSender<Block>,
) -> io::Result<File> {
    let mut written: u64 = 0;
    for mut b in blocks {
        let len = b.len as u64;
        if direct {
            if let Err(e) = file.write_all(b.padded()) {
                if e.kind() != io::ErrorKind::InvalidInput {
                    return Err(e);
                }
                // Reopened without O_DIRECT, cut back to what was written before.
                file = std::fs::OpenOptions::new().write(true).open(path)?;
                file.set_len(written)?;
                file.seek(SeekFrom::Start(written))?;
                direct = false;
            }
        }
        if !direct {
            file.write_all(b.bytes())?;
        }
        written += len;
        b.len = 0;
        // The writer may have finished and stopped taking blocks back.
        let _ = give_back.try_send(b);
    }
    if direct && !written.is_multiple_of(ALIGN as u64) {
        // The last block was padded.
        file.set_len(written)?;
    }
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bytes of every value in order, written in pieces of varied sizes that cross block
    /// boundaries (some larger than a block), ending in a partial block.
    fn write_in_pieces(f: &mut DirectFile) -> Vec<u8> {
        let mut all = Vec::new();
        let mut k = 0u32;
        for size in [1, 4095, 4097, BLOCK - 3, 10, 2 * BLOCK + 17, 100_000, 7] {
            let piece: Vec<u8> = (0..size)
                .map(|i| {
                    k = k.wrapping_add(i as u32 * 31 + 7);
                    (k >> 3) as u8
                })
                .collect();
            f.write(&piece).expect("write");
            all.extend_from_slice(&piece);
        }
        all
    }

    #[test]
    fn direct_buffered_and_refused_files_hold_exactly_the_bytes_written() {
        let dir = tempfile::tempdir().expect("tempdir");
        type Create = fn(&Path) -> io::Result<DirectFile>;
        let ways: [(&str, Create); 3] = [
            ("direct.bin", DirectFile::create),
            ("buffered.bin", DirectFile::create_buffered),
            ("refused.bin", DirectFile::create_misaligned),
        ];
        for (name, create) in ways {
            let path = dir.path().join(name);
            let mut f = create(&path).expect("create");
            let expected = write_in_pieces(&mut f);
            f.finish().expect("finish").sync_all().expect("sync");
            let got = std::fs::read(&path).expect("read");
            assert_eq!(got.len(), expected.len(), "{name}");
            assert!(got == expected, "{name}: bytes differ");
        }
    }

    #[test]
    fn an_empty_file_and_a_file_of_whole_blocks_keep_their_length() {
        let dir = tempfile::tempdir().expect("tempdir");
        let empty = dir.path().join("empty.bin");
        DirectFile::create(&empty)
            .expect("create")
            .finish()
            .expect("finish");
        assert_eq!(std::fs::metadata(&empty).expect("meta").len(), 0);
        let whole = dir.path().join("whole.bin");
        let mut f = DirectFile::create(&whole).expect("create");
        f.write(&vec![b'x'; 2 * BLOCK]).expect("write");
        f.finish().expect("finish");
        assert_eq!(
            std::fs::metadata(&whole).expect("meta").len(),
            2 * BLOCK as u64
        );
    }

    #[test]
    fn a_file_that_cannot_be_created_is_an_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("no-such-dir").join("f.bin");
        assert!(DirectFile::create(&path).is_err());
    }
}
