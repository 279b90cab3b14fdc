//! Archive builders for the hostile-archive tests: a raw ZIP writer that can forge every
//! header field (sizes, flags, names, methods, external attributes, CRC), and a deflater.
//!
//! The raw writer lays out local headers, data, a central directory and an EOCD record by
//! hand, so a test can produce structures no well-behaved ZIP library would write.

#![allow(clippy::unwrap_used)]

use std::io::{Cursor, Write};

/// Compression method numbers (APPNOTE 4.4.5).
pub const STORED: u16 = 0;
pub const DEFLATED: u16 = 8;
pub const BZIP2: u16 = 12;

/// One entry, with every header field open to forgery.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Name bytes as stored (need not be UTF-8).
    pub name: Vec<u8>,
    /// The bytes written as the entry's data (already compressed when `method` says so).
    pub data: Vec<u8>,
    pub method: u16,
    /// General-purpose flags; bit 0 = encrypted, bit 11 = UTF-8 name.
    pub flags: u16,
    pub crc: u32,
    pub compressed_size: u32,
    pub uncompressed_size: u32,
    /// High byte: 3 = Unix (so the high 16 bits of `external_attributes` are a mode).
    pub version_made_by: u16,
    pub external_attributes: u32,
    /// When set, the central directory points at this local header offset instead of the
    /// entry's own (for overlapping-entry bombs).
    pub local_offset_override: Option<u32>,
    /// When false, no local header and data are written (the central record still is).
    pub write_local: bool,
}

impl Entry {
    /// A stored entry with correct sizes and CRC.
    pub fn stored(name: impl AsRef<[u8]>, content: &[u8]) -> Entry {
        Entry {
            name: name.as_ref().to_vec(),
            data: content.to_vec(),
            method: STORED,
            flags: 1 << 11,
            crc: crc32(content),
            compressed_size: content.len() as u32,
            uncompressed_size: content.len() as u32,
            version_made_by: 3 << 8 | 20,
            external_attributes: 0o100644 << 16,
            local_offset_override: None,
            write_local: true,
        }
    }

    /// A deflated entry with correct sizes and CRC.
    pub fn deflated(name: impl AsRef<[u8]>, content: &[u8]) -> Entry {
        let packed = deflate(content);
        Entry {
            compressed_size: packed.len() as u32,
            data: packed,
            method: DEFLATED,
            ..Entry::stored(name, content)
        }
    }

    /// A directory entry.
    pub fn dir(name: impl AsRef<[u8]>) -> Entry {
        Entry {
            external_attributes: (0o040755 << 16) | 0x10,
            ..Entry::stored(name, b"")
        }
    }

    pub fn with(mut self, f: impl FnOnce(&mut Entry)) -> Entry {
        f(&mut self);
        self
    }
}

/// Writes entries into a ZIP archive, byte by byte.
pub fn build(entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut offsets = Vec::new();
    for e in entries {
        offsets.push(out.len() as u32);
        if !e.write_local {
            continue;
        }
        put32(&mut out, 0x0403_4b50);
        put16(&mut out, 20); // version needed
        put16(&mut out, e.flags);
        put16(&mut out, e.method);
        put16(&mut out, 0); // time
        put16(&mut out, 0x21); // date: 1980-01-01
        put32(&mut out, e.crc);
        put32(&mut out, e.compressed_size);
        put32(&mut out, e.uncompressed_size);
        put16(&mut out, e.name.len() as u16);
        put16(&mut out, 0); // extra length
        out.extend_from_slice(&e.name);
        out.extend_from_slice(&e.data);
    }
    let cd_start = out.len() as u32;
    for (e, offset) in entries.iter().zip(&offsets) {
        put32(&mut out, 0x0201_4b50);
        put16(&mut out, e.version_made_by);
        put16(&mut out, 20);
        put16(&mut out, e.flags);
        put16(&mut out, e.method);
        put16(&mut out, 0);
        put16(&mut out, 0x21);
        put32(&mut out, e.crc);
        put32(&mut out, e.compressed_size);
        put32(&mut out, e.uncompressed_size);
        put16(&mut out, e.name.len() as u16);
        put16(&mut out, 0); // extra
        put16(&mut out, 0); // comment
        put16(&mut out, 0); // disk
        put16(&mut out, 0); // internal attributes
        put32(&mut out, e.external_attributes);
        put32(&mut out, e.local_offset_override.unwrap_or(*offset));
        out.extend_from_slice(&e.name);
    }
    let cd_size = out.len() as u32 - cd_start;
    eocd(&mut out, entries.len() as u16, cd_size, cd_start);
    out
}

/// Appends an end-of-central-directory record.
pub fn eocd(out: &mut Vec<u8>, count: u16, cd_size: u32, cd_start: u32) {
    put32(out, 0x0605_4b50);
    put16(out, 0);
    put16(out, 0);
    put16(out, count);
    put16(out, count);
    put32(out, cd_size);
    put32(out, cd_start);
    put16(out, 0);
}

/// Offset of the central directory, read from the EOCD record of an archive built by
/// [`build`] (no archive comment).
pub fn central_directory_offset(zip: &[u8]) -> usize {
    let e = zip.len() - 22;
    u32::from_le_bytes([zip[e + 16], zip[e + 17], zip[e + 18], zip[e + 19]]) as usize
}

fn put16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// CRC-32 (IEEE), bitwise; fast enough for test data.
pub fn crc32(data: &[u8]) -> u32 {
    static TABLE: std::sync::OnceLock<[u32; 256]> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut t = [0u32; 256];
        for (i, slot) in t.iter_mut().enumerate() {
            let mut c = i as u32;
            for _ in 0..8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
            *slot = c;
        }
        t
    });
    let mut crc = !0u32;
    for &b in data {
        crc = table[((crc ^ b as u32) & 0xFF) as usize] ^ (crc >> 8);
    }
    !crc
}

/// Raw DEFLATE of `data`, taken from an entry written by the `zip` crate (so no separate
/// compression library is needed).
pub fn deflate(data: &[u8]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9))
        .large_file(false);
    w.start_file("x", opts).unwrap();
    w.write_all(data).unwrap();
    let zip = w.finish().unwrap().into_inner();
    // The first local header: sizes at 18, name and extra lengths at 26 and 28.
    let le32 = |i: usize| u32::from_le_bytes([zip[i], zip[i + 1], zip[i + 2], zip[i + 3]]) as usize;
    let le16 = |i: usize| u16::from_le_bytes([zip[i], zip[i + 1]]) as usize;
    assert_eq!(le32(0), 0x0403_4b50);
    let flags = le16(6);
    let start = 30 + le16(26) + le16(28);
    let len = if flags & 0x08 == 0 {
        le32(18)
    } else {
        // Sizes in the data descriptor: take them from the central directory.
        let cd = central_directory_offset(&zip);
        le32(cd + 20)
    };
    zip[start..start + len].to_vec()
}

/// A well-formed archive written by the `zip` crate from (name, content) pairs.
pub fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in files {
        w.start_file(*name, opts).unwrap();
        w.write_all(content).unwrap();
    }
    w.finish().unwrap().into_inner()
}
