//! Validation speed on the deterministic benchmark widgets (see `fixtures.rs`), both
//! profiles. Run: `cargo bench -p widgetry-validator --bench validate`.

mod fixtures;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use widgetry_validator::{Input, Options, Profile, validate};

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("validate");
    for (name, files) in [
        ("typical", fixtures::typical()),
        ("large", fixtures::large()),
    ] {
        let zip = fixtures::zip(&files);
        group.throughput(Throughput::Bytes(zip.len() as u64));
        if name == "large" {
            group.sample_size(20);
        }
        for profile in [Profile::Upload, Profile::Publication] {
            let options = Options {
                profile,
                ..Options::default()
            };
            group.bench_with_input(BenchmarkId::new(name, profile.as_str()), &zip, |b, zip| {
                b.iter(|| validate(Input::Zip(black_box(zip)), &options))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
