//! Checks images by content, never by extension: the required logos (presence, PNG, exact
//! pixel size), every image's real format against its extension, and the 300 KB weight
//! limit. Dimensions come from the image header (`imagesize`); nothing is decoded.

use crate::catalog as rules;
use crate::context::Ctx;
use crate::diag::Loc;
use crate::paths;
use imagesize::ImageType;

/// The logos: file name, width, height, and the location that makes it required (`None`:
/// always).
pub const LOGOS: &[(&str, u32, u32, Option<&str>)] = &[
    ("logo_main.png", 400, 272, None),
    ("logo_small.png", 108, 108, None),
    ("logo.png", 130, 100, None),
    ("logo_medium.png", 240, 84, None),
    ("logo_min.png", 84, 84, None),
    ("logo_dp.png", 174, 109, Some("digital_pipeline")),
];

fn format_name(t: ImageType) -> &'static str {
    match t {
        ImageType::Png => "PNG",
        ImageType::Jpeg => "JPEG",
        ImageType::Gif => "GIF",
        ImageType::Webp => "WebP",
        ImageType::Bmp => "BMP",
        ImageType::Ico => "ICO",
        ImageType::Tiff => "TIFF",
        _ => "another",
    }
}

fn expected_ext(t: ImageType) -> Option<&'static [&'static str]> {
    match t {
        ImageType::Png => Some(&["png"]),
        ImageType::Jpeg => Some(&["jpg", "jpeg"]),
        ImageType::Gif => Some(&["gif"]),
        ImageType::Webp => Some(&["webp"]),
        _ => None,
    }
}

/// Runs the image rules.
pub fn check(ctx: &mut Ctx<'_>) {
    if ctx.manifest.is_none() && !ctx.package.contains("manifest.json") {
        return;
    }
    let limit = ctx.options.limits.max_image_bytes;
    for (path, data) in ctx.package.files() {
        let Some(ext) = paths::extension(path) else {
            continue;
        };
        if !matches!(ext.as_ref(), "png" | "jpg" | "jpeg" | "gif" | "webp") {
            continue;
        }
        match imagesize::image_type(data) {
            Ok(kind @ (ImageType::Png | ImageType::Jpeg | ImageType::Gif | ImageType::Webp)) => {
                if let Some(exts) = expected_ext(kind)
                    && !exts.contains(&ext.as_ref())
                {
                    ctx.out.add(
                        &rules::IMAGE_FORMAT_MISMATCH,
                        Loc::file(path),
                        &[
                            ("file", &path),
                            ("format", &format_name(kind)),
                            ("ext", &exts[0]),
                        ],
                    );
                }
            }
            _ => ctx
                .out
                .add(&rules::IMAGE_NOT_IMAGE, Loc::file(path), &[("file", &path)]),
        }
        if data.len() as u64 > limit {
            ctx.out.add(
                &rules::IMAGE_TOO_LARGE,
                Loc::file(path),
                &[("file", &path), ("size", &data.len()), ("limit", &limit)],
            );
        }
    }
    for &(name, width, height, location) in LOGOS {
        if let Some(area) = location
            && !ctx.has_location(area)
        {
            continue;
        }
        let file = format!("images/{name}");
        let size = format!("{width}x{height}");
        let Some(data) = ctx.package.get(&file) else {
            let when = location.map(|l| format!(" (`{l}`)")).unwrap_or_default();
            ctx.out.add(
                &rules::IMAGE_LOGO_MISSING,
                Loc::file(&file),
                &[("file", &file), ("size", &size), ("when", &when)],
            );
            continue;
        };
        let Ok(kind) = imagesize::image_type(data) else {
            continue;
        };
        if !matches!(kind, ImageType::Png | ImageType::Jpeg | ImageType::Gif) {
            continue;
        }
        if kind != ImageType::Png {
            ctx.out.add(
                &rules::IMAGE_NOT_PNG,
                Loc::file(&file),
                &[("file", &file), ("format", &format_name(kind))],
            );
        }
        if let Ok(dim) = imagesize::blob_size(data)
            && (dim.width != width as usize || dim.height != height as usize)
        {
            ctx.out.add(
                &rules::IMAGE_LOGO_SIZE,
                Loc::file(&file),
                &[
                    ("file", &file),
                    ("width", &dim.width),
                    ("height", &dim.height),
                    ("size", &size),
                ],
            );
        }
    }
}
