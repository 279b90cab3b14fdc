fn main() {
    let path = std::env::args().nth(1).unwrap_or_default();
    let n: usize = std::env::args()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(2);
    let bytes = std::fs::read(&path).unwrap_or_default();
    for _ in 0..n {
        let r = widgetry_validator::validate(
            widgetry_validator::Input::Zip(&bytes),
            &widgetry_validator::Options::default(),
        );
        std::hint::black_box(r);
    }
}
