//! The images: every logo at its exact size, a tour image per locale and, for `widget_page`,
//! an SVG menu icon. Each PNG is a vertical gradient in a colour taken from the widget's
//! name, with the name's initial drawn in large blocky pixels.

use crate::Plan;

/// Logo files and their sizes, always generated.
const LOGOS: &[(&str, u32, u32)] = &[
    ("images/logo.png", 130, 100),
    ("images/logo_main.png", 400, 272),
    ("images/logo_medium.png", 240, 84),
    ("images/logo_min.png", 84, 84),
    ("images/logo_small.png", 108, 108),
];

/// The Digital Pipeline logo, generated with `digital_pipeline`.
const LOGO_DP: (&str, u32, u32) = ("images/logo_dp.png", 174, 109);

/// Tour image size.
const TOUR: (u32, u32) = (640, 400);

/// The left-menu icon, generated with `widget_page`.
pub(crate) const MENU_ICON: &str = "images/menu.svg";

/// Path of a locale's tour image, without a leading slash.
pub(crate) fn tour_path(locale: &str) -> String {
    format!("images/tour_1_{locale}.png")
}

pub(crate) fn images(plan: &Plan<'_>) -> Vec<(String, Vec<u8>)> {
    let letter = initial(&plan.opts.name);
    let mut out = Vec::new();
    for &(path, w, h) in LOGOS {
        out.push((path.to_string(), picture(w, h, plan.hue, letter, 0.62)));
    }
    if plan.has("digital_pipeline") {
        let (path, w, h) = LOGO_DP;
        out.push((path.to_string(), picture(w, h, plan.hue, letter, 0.62)));
    }
    for locale in &plan.opts.locales {
        let (w, h) = TOUR;
        out.push((tour_path(locale), tour(w, h, plan.hue, letter)));
    }
    if plan.has("widget_page") {
        out.push((MENU_ICON.to_string(), MENU_SVG.as_bytes().to_vec()));
    }
    out
}

/// A 24×24 icon in a grey with contrast over 3.0 against both `#FFFFFF` and `#153043`.
const MENU_SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24">
  <rect x="3" y="3" width="8" height="8" rx="2" fill="#868686"/>
  <rect x="13" y="3" width="8" height="8" rx="2" fill="#868686"/>
  <rect x="3" y="13" width="8" height="8" rx="2" fill="#868686"/>
  <rect x="13" y="13" width="8" height="8" rx="2" fill="#868686"/>
</svg>
"##;

/// The colour of a hue as `#RRGGBB` (for `mobile.color`).
pub(crate) fn hex_color(hue: f32) -> String {
    let [r, g, b] = hsl(hue, 0.55, 0.45);
    format!("#{r:02X}{g:02X}{b:02X}")
}

/// HSL to 8-bit RGB.
fn hsl(h: f32, s: f32, l: f32) -> [u8; 3] {
    let c = (1.0 - (2.0 * l - 1.0).abs()) * s;
    let hp = (h % 360.0) / 60.0;
    let x = c * (1.0 - (hp % 2.0 - 1.0).abs());
    let (r, g, b) = match hp as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = l - c / 2.0;
    let to = |v: f32| ((v + m).clamp(0.0, 1.0) * 255.0).round() as u8;
    [to(r), to(g), to(b)]
}

/// The first ASCII letter or digit of the name, upper-cased; `W` when there is none.
fn initial(name: &str) -> char {
    name.chars()
        .find(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .unwrap_or('W')
}

/// An RGB canvas.
struct Canvas {
    w: u32,
    h: u32,
    px: Vec<u8>,
}

impl Canvas {
    /// A vertical gradient from a light to a darker shade of the hue.
    fn gradient(w: u32, h: u32, hue: f32) -> Canvas {
        let mut px = Vec::with_capacity((w * h * 3) as usize);
        for y in 0..h {
            let t = if h > 1 {
                y as f32 / (h - 1) as f32
            } else {
                0.0
            };
            let rgb = hsl(hue, 0.55, 0.55 - 0.15 * t);
            for _ in 0..w {
                px.extend_from_slice(&rgb);
            }
        }
        Canvas { w, h, px }
    }

    fn fill(&mut self, x0: u32, y0: u32, w: u32, h: u32, rgb: [u8; 3]) {
        for y in y0..(y0 + h).min(self.h) {
            for x in x0..(x0 + w).min(self.w) {
                let i = ((y * self.w + x) * 3) as usize;
                self.px[i..i + 3].copy_from_slice(&rgb);
            }
        }
    }

    /// Draws a glyph centred at (`cx`, `cy`) with blocks of `cell` pixels.
    fn glyph(&mut self, letter: char, cx: u32, cy: u32, cell: u32, rgb: [u8; 3]) {
        let rows = glyph_rows(letter);
        let gw = 5 * cell;
        let gh = 7 * cell;
        let x0 = cx.saturating_sub(gw / 2);
        let y0 = cy.saturating_sub(gh / 2);
        for (r, row) in rows.iter().enumerate() {
            for (c, bit) in row.bytes().enumerate() {
                if bit == b'#' {
                    self.fill(x0 + c as u32 * cell, y0 + r as u32 * cell, cell, cell, rgb);
                }
            }
        }
    }

    fn png(&self) -> Vec<u8> {
        encode(self.w, self.h, &self.px).unwrap_or_default()
    }
}

fn encode(w: u32, h: u32, px: &[u8]) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::High);
        let mut writer = enc.write_header()?;
        writer.write_image_data(px)?;
        writer.finish()?;
    }
    Ok(out)
}

const WHITE: [u8; 3] = [255, 255, 255];

/// A logo: gradient and the initial filling `share` of the height.
fn picture(w: u32, h: u32, hue: f32, letter: char, share: f32) -> Vec<u8> {
    let mut c = Canvas::gradient(w, h, hue);
    let cell = ((h as f32 * share) / 7.0).floor().max(1.0) as u32;
    c.glyph(letter, w / 2, h / 2, cell, WHITE);
    c.png()
}

/// A tour image: a mock card with the widget panel on the right.
fn tour(w: u32, h: u32, hue: f32, letter: char) -> Vec<u8> {
    let mut c = Canvas::gradient(w, h, hue);
    let light = [245, 246, 248];
    let line = [214, 218, 224];
    // The card.
    c.fill(24, 24, w * 3 / 5, h - 48, light);
    for i in 0..6 {
        c.fill(48, 64 + i * 44, w * 3 / 5 - 96, 14, line);
    }
    // The widget panel with its initial.
    let px0 = w * 3 / 5 + 48;
    let pw = w - px0 - 24;
    c.fill(px0, 24, pw, h - 48, WHITE);
    let accent = hsl(hue, 0.55, 0.45);
    c.fill(px0, 24, pw, 12, accent);
    c.glyph(letter, px0 + pw / 2, 24 + 90, 10, accent);
    for i in 0..3 {
        c.fill(px0 + 20, 200 + i * 36, pw - 40, 12, line);
    }
    c.png()
}

/// A 5×7 bitmap of an ASCII letter or digit.
fn glyph_rows(c: char) -> [&'static str; 7] {
    match c {
        'A' => [
            " ### ", "#   #", "#   #", "#####", "#   #", "#   #", "#   #",
        ],
        'B' => [
            "#### ", "#   #", "#   #", "#### ", "#   #", "#   #", "#### ",
        ],
        'C' => [
            " ### ", "#   #", "#    ", "#    ", "#    ", "#   #", " ### ",
        ],
        'D' => [
            "#### ", "#   #", "#   #", "#   #", "#   #", "#   #", "#### ",
        ],
        'E' => [
            "#####", "#    ", "#    ", "#### ", "#    ", "#    ", "#####",
        ],
        'F' => [
            "#####", "#    ", "#    ", "#### ", "#    ", "#    ", "#    ",
        ],
        'G' => [
            " ### ", "#   #", "#    ", "# ###", "#   #", "#   #", " ####",
        ],
        'H' => [
            "#   #", "#   #", "#   #", "#####", "#   #", "#   #", "#   #",
        ],
        'I' => [
            " ### ", "  #  ", "  #  ", "  #  ", "  #  ", "  #  ", " ### ",
        ],
        'J' => [
            "  ###", "   # ", "   # ", "   # ", "   # ", "#  # ", " ##  ",
        ],
        'K' => [
            "#   #", "#  # ", "# #  ", "##   ", "# #  ", "#  # ", "#   #",
        ],
        'L' => [
            "#    ", "#    ", "#    ", "#    ", "#    ", "#    ", "#####",
        ],
        'M' => [
            "#   #", "## ##", "# # #", "# # #", "#   #", "#   #", "#   #",
        ],
        'N' => [
            "#   #", "#   #", "##  #", "# # #", "#  ##", "#   #", "#   #",
        ],
        'O' => [
            " ### ", "#   #", "#   #", "#   #", "#   #", "#   #", " ### ",
        ],
        'P' => [
            "#### ", "#   #", "#   #", "#### ", "#    ", "#    ", "#    ",
        ],
        'Q' => [
            " ### ", "#   #", "#   #", "#   #", "# # #", "#  # ", " ## #",
        ],
        'R' => [
            "#### ", "#   #", "#   #", "#### ", "# #  ", "#  # ", "#   #",
        ],
        'S' => [
            " ####", "#    ", "#    ", " ### ", "    #", "    #", "#### ",
        ],
        'T' => [
            "#####", "  #  ", "  #  ", "  #  ", "  #  ", "  #  ", "  #  ",
        ],
        'U' => [
            "#   #", "#   #", "#   #", "#   #", "#   #", "#   #", " ### ",
        ],
        'V' => [
            "#   #", "#   #", "#   #", "#   #", "#   #", " # # ", "  #  ",
        ],
        'W' => [
            "#   #", "#   #", "#   #", "# # #", "# # #", "# # #", " # # ",
        ],
        'X' => [
            "#   #", "#   #", " # # ", "  #  ", " # # ", "#   #", "#   #",
        ],
        'Y' => [
            "#   #", "#   #", " # # ", "  #  ", "  #  ", "  #  ", "  #  ",
        ],
        'Z' => [
            "#####", "    #", "   # ", "  #  ", " #   ", "#    ", "#####",
        ],
        '0' => [
            " ### ", "#   #", "#  ##", "# # #", "##  #", "#   #", " ### ",
        ],
        '1' => [
            "  #  ", " ##  ", "  #  ", "  #  ", "  #  ", "  #  ", " ### ",
        ],
        '2' => [
            " ### ", "#   #", "    #", "   # ", "  #  ", " #   ", "#####",
        ],
        '3' => [
            "#####", "   # ", "  #  ", "   # ", "    #", "#   #", " ### ",
        ],
        '4' => [
            "   # ", "  ## ", " # # ", "#  # ", "#####", "   # ", "   # ",
        ],
        '5' => [
            "#####", "#    ", "#### ", "    #", "    #", "#   #", " ### ",
        ],
        '6' => [
            "  ## ", " #   ", "#    ", "#### ", "#   #", "#   #", " ### ",
        ],
        '7' => [
            "#####", "    #", "   # ", "  #  ", " #   ", " #   ", " #   ",
        ],
        '8' => [
            " ### ", "#   #", "#   #", " ### ", "#   #", "#   #", " ### ",
        ],
        '9' => [
            " ### ", "#   #", "#   #", " ####", "    #", "   # ", " ##  ",
        ],
        _ => [
            "#   #", "#   #", "#   #", "# # #", "# # #", "# # #", " # # ",
        ],
    }
}
