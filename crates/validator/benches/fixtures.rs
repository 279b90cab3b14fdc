//! Deterministic benchmark widgets: a "typical" one (about 30 files, about 250 KB zipped,
//! a realistic 100 KB AMD `script.js`, ru/en i18n, CSS, twig templates, logos at their exact
//! sizes, tour images) and a "large" one (about 5 MB zipped). The same seed always gives the
//! same bytes, so figures are comparable from run to run.
//!
//! Shared by the criterion bench (`benches/validate.rs`), the `bench_widgets` example (which
//! writes the archives for `bench/lint-vs-unzip.sh`) and the fuzz seed corpus.

#![allow(dead_code)]

use std::fmt::Write as _;
use std::io::{Cursor, Write};

/// A widget's files, by path.
pub type Files = Vec<(String, Vec<u8>)>;

/// A tiny deterministic PRNG (xorshift64*), so no `rand` is needed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const NOUNS: &[&str] = &[
    "lead", "contact", "company", "deal", "note", "task", "pipeline", "status", "user", "phone",
    "email", "message", "template", "field", "account", "invoice", "catalog", "product", "order",
    "call", "chat", "tag", "source", "manager", "group", "report", "filter", "event", "webhook",
];
const VERBS: &[&str] = &[
    "load", "save", "render", "update", "fetch", "sync", "build", "parse", "format", "validate",
    "open", "close", "toggle", "apply", "reset", "send", "attach", "remove", "find", "count",
];
const WORDS_EN: &[&str] = &[
    "Sync",
    "notes",
    "between",
    "your",
    "CRM",
    "and",
    "the",
    "service",
    "automatically",
    "every",
    "deal",
    "contact",
    "settings",
    "key",
    "save",
    "cancel",
    "select",
    "manager",
    "pipeline",
    "status",
    "template",
    "message",
    "phone",
    "email",
    "report",
    "daily",
    "weekly",
    "account",
];
const WORDS_RU: &[&str] = &[
    "Синхронизация",
    "заметок",
    "между",
    "вашей",
    "CRM",
    "и",
    "сервисом",
    "автоматически",
    "каждая",
    "сделка",
    "контакт",
    "настройки",
    "ключ",
    "сохранить",
    "отмена",
    "выберите",
    "менеджер",
    "воронка",
    "статус",
    "шаблон",
    "сообщение",
    "телефон",
    "почта",
    "отчёт",
];

fn camel(a: &str, b: &str) -> String {
    let mut s = a.to_string();
    let mut chars = b.chars();
    if let Some(c) = chars.next() {
        s.extend(c.to_uppercase());
        s.push_str(chars.as_str());
    }
    s
}

fn sentence(rng: &mut Rng, words: &[&str], n: usize) -> String {
    (0..n)
        .map(|_| rng.pick(words))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A realistic AMD widget module of about `target` bytes: a constructor with callbacks, and
/// many helper methods that call the CRM API, render templates and handle DOM events.
pub fn script_js(rng: &mut Rng, target: usize, deps: &[String]) -> String {
    let mut s = String::with_capacity(target + 4096);
    let deps: String = deps.iter().map(|d| format!(", './{d}'")).collect();
    s.push_str(
        &r#"/**
 * Notes Sync widget for amoCRM / Kommo.
 * Generated benchmark fixture: realistic shape, not real behaviour.
 */
define(['jquery', 'underscore', 'twigjs', 'lib/components/base/modal'DEPS], function ($, _, Twig, Modal) {
  'use strict';

  var API_BASE = 'https://api.notes-sync.app/v2';
  var CACHE_TTL = 300000;
  var TEMPLATES = ['settings', 'card', 'list', 'modal', 'row', 'empty', 'dp', 'menu', 'error', 'help'];

  var CustomWidget = function () {
    var self = this;
    var cache = {};
    var state = { loaded: false, busy: false, errors: [] };

    this.getTemplate = function (name, params, callback) {
      params = typeof params === 'object' ? params : {};
      name = name || '';
      return self.render({
        href: '/templates/' + name + '.twig',
        base_path: self.params.path,
        v: self.get_version(),
        load: callback
      }, params);
    };

    this.request = function (method, path, data) {
      var settings = self.get_settings();
      return $.ajax({
        url: API_BASE + path,
        method: method,
        data: data ? JSON.stringify(data) : undefined,
        contentType: 'application/json',
        headers: { 'X-Api-Key': settings.api_key, 'X-Account': AMOCRM.constant('account').id }
      });
    };

"#
            .replace("DEPS", &deps),
    );
    let mut n = 0;
    while s.len() < target.saturating_sub(1500) {
        n += 1;
        let verb = rng.pick(VERBS);
        let noun = rng.pick(NOUNS);
        let other = rng.pick(NOUNS);
        let name = format!("{}{}", camel(verb, noun), n);
        let _ = write!(
            s,
            "    /**\n     * {} the {} of a {} and {} the {}.\n     * @param {{Object}} {} the {} as the CRM gives it\n     * @returns {{Promise}}\n     */\n",
            camel(verb, "").trim(),
            noun,
            other,
            rng.pick(VERBS),
            rng.pick(NOUNS),
            noun,
            noun
        );
        let _ = writeln!(s, "    this.{name} = function ({noun}, options) {{");
        let _ = writeln!(
            s,
            "      options = _.extend({{ force: false, limit: {} }}, options || {{}});",
            10 + rng.below(240)
        );
        let _ = writeln!(s, "      var key = '{noun}:' + ({noun} && {noun}.id);");
        let _ = writeln!(
            s,
            "      if (!options.force && cache[key] && Date.now() - cache[key].at < CACHE_TTL) {{\n        return $.Deferred().resolve(cache[key].value).promise();\n      }}"
        );
        match rng.below(4) {
            0 => {
                let _ = writeln!(
                    s,
                    "      return self.request('GET', '/{}s/' + encodeURIComponent({noun}.id), {{ limit: options.limit }})\n        .then(function (response) {{\n          var items = _.map(response._embedded.{}s || [], function (item) {{\n            return {{ id: item.id, name: item.name, updated: item.updated_at * 1000 }};\n          }});\n          cache[key] = {{ at: Date.now(), value: items }};\n          return items;\n        }});",
                    other, other
                );
            }
            1 => {
                let _ = writeln!(
                    s,
                    "      var $root = $('.notes-sync[data-id=\"' + {noun}.id + '\"]');\n      $root.find('.notes-sync__{}').toggleClass('is-active', !!options.force);\n      self.getTemplate('{}', {{ {}: {noun}, lang: self.i18n('settings') }}, function (template) {{\n        $root.html(template.render({{ items: state.errors, title: self.i18n('widget').name }}));\n      }});\n      return $.Deferred().resolve($root).promise();",
                    other,
                    rng.pick(&["card", "settings", "list", "modal", "row"]),
                    other
                );
            }
            2 => {
                let _ = writeln!(
                    s,
                    "      var payload = {{\n        {noun}_id: {noun}.id,\n        text: String({noun}.text || '').slice(0, {}),\n        created_at: Math.floor(Date.now() / 1000),\n        tags: _.uniq(_.compact([options.tag, '{}']))\n      }};\n      state.busy = true;\n      return self.request('POST', '/{}s', payload).always(function () {{\n        state.busy = false;\n      }});",
                    500 + rng.below(1500),
                    rng.pick(NOUNS),
                    other
                );
            }
            _ => {
                let _ = writeln!(
                    s,
                    "      var result = [];\n      for (var i = 0; i < options.limit; i += 1) {{\n        if (!{noun} || !{noun}.items || i >= {noun}.items.length) {{\n          break;\n        }}\n        var item = {noun}.items[i];\n        if (item.status_id === {} || item.pipeline_id === {}) {{\n          result.push(_.pick(item, 'id', 'name', 'price', 'responsible_user_id'));\n        }}\n      }}\n      cache[key] = {{ at: Date.now(), value: result }};\n      return $.Deferred().resolve(result).promise();",
                    140_000 + rng.below(9999),
                    3_000_000 + rng.below(99999)
                );
            }
        }
        s.push_str("    };\n\n");
    }
    s.push_str(
        r#"    this.callbacks = {
      render: function () {
        var lang = self.i18n('userLang');
        self.render_template({
          caption: { class_name: 'notes-sync__caption' },
          body: '<div class="notes-sync" data-lang="' + lang + '"></div>',
          render: ''
        });
        return true;
      },
      init: function () {
        $('head').append('<link type="text/css" rel="stylesheet" href="' + self.params.path + '/style.css?v=' + self.get_version() + '">');
        state.loaded = true;
        return true;
      },
      bind_actions: function () {
        $(document).on('click.notes-sync', '.notes-sync__button', function (e) {
          e.preventDefault();
          self.syncNotes($(this).data());
        });
        return true;
      },
      settings: function ($modal_body) {
        self.getTemplate('settings', {}, function (template) {
          $modal_body.find('.widget_settings_block').append(template.render({ fields: self.get_settings() }));
        });
        return true;
      },
      onSave: function (data) {
        return !!(data && data.fields && data.fields.api_key);
      },
      destroy: function () {
        $(document).off('.notes-sync');
      }
    };

    this.syncNotes = function (data) {
      return self.request('POST', '/sync', data);
    };

    return this;
  };

  return CustomWidget;
});
"#,
    );
    s
}

fn i18n(rng: &mut Rng, words: &[&str], keys: usize) -> String {
    let mut s = String::from("{\n  \"widget\": {\n");
    let _ = writeln!(s, "    \"name\": \"{}\",", sentence(rng, words, 2));
    let _ = writeln!(s, "    \"description\": \"{}\",", sentence(rng, words, 40));
    let _ = writeln!(
        s,
        "    \"short_description\": \"{}\",",
        sentence(rng, words, 6)
    );
    let _ = writeln!(
        s,
        "    \"tour_description\": \"{}\"",
        sentence(rng, words, 12)
    );
    s.push_str("  },\n  \"settings\": {\n");
    s.push_str("    \"api_key\": \"API\",\n    \"manager\": \"Manager\"\n  },\n  \"ui\": {\n");
    for i in 0..keys {
        let comma = if i + 1 < keys { "," } else { "" };
        let n = 2 + rng.below(8);
        let _ = writeln!(
            s,
            "    \"text_{i}\": \"{}\"{comma}",
            sentence(rng, words, n)
        );
    }
    s.push_str("  }\n}\n");
    s
}

fn manifest(tour: &[(String, String)]) -> String {
    let list = |lang: &str| {
        tour.iter()
            .filter(|(l, _)| l == lang)
            .map(|(_, p)| format!("\"/{p}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        r#"{{
  "widget": {{
    "name": "widget.name",
    "description": "widget.description",
    "short_description": "widget.short_description",
    "version": "1.4.2",
    "interface_version": 2,
    "init_once": false,
    "locale": ["ru", "en"],
    "installation": true,
    "support": {{ "link": "https://notes-sync.app/support", "email": "support@notes-sync.app" }}
  }},
  "locations": ["lcard-1", "ccard-1", "comcard-1", "llist-0", "settings", "digital_pipeline"],
  "tour": {{
    "is_tour": true,
    "tour_images": {{ "ru": [{}], "en": [{}] }},
    "tour_description": "widget.tour_description"
  }},
  "settings": {{
    "api_key": {{ "name": "settings.api_key", "type": "text", "required": true }},
    "manager": {{ "name": "settings.manager", "type": "users", "required": false }}
  }},
  "dp": {{
    "settings": {{ "message": {{ "name": "settings.api_key", "type": "text", "required": true }} }},
    "action_multiple": false,
    "webhook_url": "https://notes-sync.app/amocrm/dp"
  }}
}}
"#,
        list("ru"),
        list("en")
    )
}

fn style_css(rng: &mut Rng, rules: usize, icons: usize) -> String {
    let mut s = String::from(
        ".notes-sync {\n  font-family: 'PT Sans', Arial, sans-serif;\n  color: #313942;\n}\n\n",
    );
    for i in 0..icons {
        let _ = write!(
            s,
            ".notes-sync .notes-sync__icon-{i} {{\n  width: 24px;\n  height: 24px;\n  background: url(images/icon_{i}.svg) no-repeat center;\n}}\n\n"
        );
    }
    for i in 0..rules {
        let noun = rng.pick(NOUNS);
        let _ = write!(
            s,
            ".notes-sync .notes-sync__{noun}-{i} {{\n  display: {};\n  margin: {}px {}px;\n  padding: {}px;\n  border: 1px solid #{:06x};\n  background: #{:06x};\n}}\n\n",
            rng.pick(&["flex", "block", "inline-block", "grid"]),
            rng.below(24),
            rng.below(24),
            rng.below(16),
            rng.next() & 0xFF_FFFF,
            rng.next() & 0xFF_FFFF
        );
        if i % 7 == 0 {
            let _ = write!(
                s,
                ".notes-sync .notes-sync__{noun}-{i}:hover {{\n  opacity: 0.{};\n}}\n\n",
                1 + rng.below(9)
            );
        }
    }
    s
}

fn twig(rng: &mut Rng, name: &str) -> String {
    let mut s = format!("{{# {name}.twig #}}\n<div class=\"notes-sync notes-sync--{name}\">\n");
    s.push_str("  <h2 class=\"notes-sync__title\">{{ title }}</h2>\n  {% if items|length > 0 %}\n  <ul class=\"notes-sync__list\">\n    {% for item in items %}\n    <li class=\"notes-sync__item\" data-id=\"{{ item.id }}\">{{ item.name }}</li>\n    {% endfor %}\n  </ul>\n  {% else %}\n");
    for _ in 0..(10 + rng.below(20)) {
        let n = 3 + rng.below(8);
        let _ = writeln!(
            s,
            "  <p class=\"notes-sync__{}\">{}</p>",
            rng.pick(NOUNS),
            sentence(rng, WORDS_EN, n)
        );
    }
    s.push_str("  {% endif %}\n  <button class=\"button-input notes-sync__button\" type=\"button\">{{ lang.save }}</button>\n</div>\n");
    s
}

fn svg(rng: &mut Rng) -> String {
    let mut s = String::from(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"24\" height=\"24\" viewBox=\"0 0 24 24\">\n",
    );
    for _ in 0..(3 + rng.below(6)) {
        let _ = writeln!(
            s,
            "  <path fill=\"#{:06x}\" d=\"M{} {}L{} {}L{} {}Z\"/>",
            rng.next() & 0xFF_FFFF,
            rng.below(24),
            rng.below(24),
            rng.below(24),
            rng.below(24),
            rng.below(24),
            rng.below(24)
        );
    }
    s.push_str("</svg>\n");
    s
}

/// A PNG of `w`×`h`: a smooth gradient with `noise` levels of per-pixel noise, so its
/// compressed size is tunable (0 = flat logo, 64 = photo-like).
pub fn png(rng: &mut Rng, w: u32, h: u32, noise: u32) -> Vec<u8> {
    let mut data = Vec::with_capacity((w * h * 3) as usize);
    let (r0, g0, b0) = (
        rng.below(200) as u32,
        rng.below(200) as u32,
        rng.below(200) as u32,
    );
    for y in 0..h {
        for x in 0..w {
            let n = |rng: &mut Rng| {
                if noise == 0 {
                    0
                } else {
                    (rng.next() % noise as u64) as u32
                }
            };
            data.push(((r0 + x * 55 / w.max(1) + n(rng)) & 0xFF) as u8);
            data.push(((g0 + y * 55 / h.max(1) + n(rng)) & 0xFF) as u8);
            data.push(((b0 + (x + y) * 30 / (w + h).max(1) + n(rng)) & 0xFF) as u8);
        }
    }
    let mut buf = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut buf, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut writer = enc.write_header().expect("png header");
        writer.write_image_data(&data).expect("png data");
    }
    buf
}

const LOGOS: &[(&str, u32, u32)] = &[
    ("logo_main.png", 400, 272),
    ("logo_small.png", 108, 108),
    ("logo.png", 130, 100),
    ("logo_medium.png", 240, 84),
    ("logo_min.png", 84, 84),
    ("logo_dp.png", 174, 109),
];

struct Shape {
    seed: u64,
    script_bytes: usize,
    libs: &'static [usize],
    i18n_keys: usize,
    css_rules: usize,
    templates: usize,
    icons: usize,
    /// (width, height, noise) per tour image, per locale.
    tour: &'static [(u32, u32, u32)],
    logo_noise: u32,
}

fn generate(shape: &Shape) -> Files {
    let mut rng = Rng::new(shape.seed);
    let mut tour = Vec::new();
    for lang in ["ru", "en"] {
        for i in 0..shape.tour.len() {
            tour.push((
                lang.to_string(),
                format!("images/tour_{}_{lang}.png", i + 1),
            ));
        }
    }
    let libs: Vec<String> = (0..shape.libs.len())
        .map(|i| format!("lib/module_{i}.js"))
        .collect();
    let mut files: Files = vec![
        ("manifest.json".into(), manifest(&tour).into_bytes()),
        (
            "script.js".into(),
            script_js(&mut rng, shape.script_bytes, &libs).into_bytes(),
        ),
        (
            "style.css".into(),
            style_css(&mut rng, shape.css_rules, shape.icons).into_bytes(),
        ),
        (
            "i18n/ru.json".into(),
            i18n(&mut rng, WORDS_RU, shape.i18n_keys).into_bytes(),
        ),
        (
            "i18n/en.json".into(),
            i18n(&mut rng, WORDS_EN, shape.i18n_keys).into_bytes(),
        ),
    ];
    for (i, &size) in shape.libs.iter().enumerate() {
        files.push((
            format!("lib/module_{i}.js"),
            script_js(&mut rng, size, &[]).into_bytes(),
        ));
    }
    let names = [
        "settings", "card", "list", "modal", "row", "empty", "dp", "menu", "error", "help",
    ];
    for name in names.iter().cycle().take(shape.templates) {
        files.push((
            format!("templates/{name}.twig"),
            twig(&mut rng, name).into_bytes(),
        ));
    }
    for i in 0..shape.icons {
        files.push((format!("images/icon_{i}.svg"), svg(&mut rng).into_bytes()));
    }
    for (name, w, h) in LOGOS {
        files.push((
            format!("images/{name}"),
            png(&mut rng, *w, *h, shape.logo_noise),
        ));
    }
    for (lang, path) in &tour {
        let i: usize = path["images/tour_".len()..]
            .split('_')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(1);
        let (w, h, noise) = shape.tour[i - 1];
        let _ = lang;
        files.push((path.clone(), png(&mut rng, w, h, noise)));
    }
    files
}

/// About 30 files, about 250 KB zipped, with a 100 KB `script.js`.
pub fn typical() -> Files {
    generate(&Shape {
        seed: 1,
        script_bytes: 100_000,
        libs: &[12_000, 6_000],
        i18n_keys: 80,
        css_rules: 120,
        templates: 8,
        icons: 5,
        tour: &[(340, 212, 2), (340, 212, 2)],
        logo_noise: 0,
    })
}

/// About 5 MB zipped: bigger scripts and many photo-like images (each under 300 KB).
pub fn large() -> Files {
    generate(&Shape {
        seed: 2,
        script_bytes: 400_000,
        libs: &[300_000, 300_000, 200_000, 150_000, 100_000],
        i18n_keys: 600,
        css_rules: 1_500,
        templates: 10,
        icons: 12,
        tour: &[
            (560, 310, 12),
            (560, 310, 12),
            (560, 310, 12),
            (560, 310, 12),
            (560, 310, 12),
            (560, 310, 12),
            (560, 310, 12),
            (560, 310, 12),
        ],
        logo_noise: 8,
    })
}

/// A few-kilobyte widget, for fuzz seeds.
pub fn small() -> Files {
    generate(&Shape {
        seed: 3,
        script_bytes: 3_000,
        libs: &[],
        i18n_keys: 3,
        css_rules: 3,
        templates: 1,
        icons: 1,
        tour: &[(8, 8, 0)],
        logo_noise: 0,
    })
}

/// Zips files the way `widgetry pack` does: deflated, in the given order.
pub fn zip(files: &Files) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for (name, data) in files {
        w.start_file(name.as_str(), opts).expect("zip entry");
        w.write_all(data).expect("zip write");
    }
    w.finish().expect("zip finish").into_inner()
}
