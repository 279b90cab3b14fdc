//! Writes the deterministic benchmark widgets: `typical.zip` and `large.zip` (and, with
//! `--seeds`, instead, a small widget for the fuzz corpus as `small.zip` and `small.files`)
//! into a folder.
//!
//! ```text
//! cargo run --release -p widgetry-validator --example bench_widgets -- OUT_DIR [--seeds]
//! ```

#[path = "../benches/fixtures/mod.rs"]
mod fixtures;

use std::path::PathBuf;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| ".".into()));
    let seeds = args.any(|a| a == "--seeds");
    std::fs::create_dir_all(&dir)?;
    let mut sets = vec![
        ("typical", fixtures::typical()),
        ("large", fixtures::large()),
    ];
    if seeds {
        let small = fixtures::small();
        // The `validate_files` fuzz target's format: the manifest, then `\n@@@ path\n` and
        // the content of each other file.
        let mut joined = Vec::new();
        for (i, (name, data)) in small.iter().enumerate() {
            if i > 0 {
                joined.extend_from_slice(format!("\n@@@ {name}\n").as_bytes());
            }
            joined.extend_from_slice(data);
        }
        std::fs::write(dir.join("small.files"), joined)?;
        sets = vec![("small", small)];
    }
    for (name, files) in sets {
        let zip = fixtures::zip(&files);
        let path = dir.join(format!("{name}.zip"));
        std::fs::write(&path, &zip)?;
        let unpacked: usize = files.iter().map(|(_, d)| d.len()).sum();
        let script = files
            .iter()
            .find(|(n, _)| n == "script.js")
            .map_or(0, |(_, d)| d.len());
        println!(
            "{}: {} files, {} bytes zipped, {} bytes unpacked, script.js {} bytes",
            path.display(),
            files.len(),
            zip.len(),
            unpacked,
            script
        );
    }
    Ok(())
}
