//! The widget preview in a real browser: fixture widgets written here, one per point of the
//! host contract, uploaded to a server on SQLite and run through `tests/browser/preview.mjs`
//! (Playwright driving headless Chromium). Each case asserts on the host's events and the
//! area's markup; the access cases need no browser.
//!
//! Needs what `tests/browser.rs` needs (node, Chromium, `npm ci --prefix
//! crates/server/tests/browser`); without them the browser test is reported as ignored.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support;
use crate::support::*;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;
use widgetry_registry::{Role, Scope};

fn flow_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

/// The scaffolded widget `name` declaring `locations`, with `script` as its script.js and
/// `extra` files added.
fn fixture(name: &str, locations: &[&str], script: &str, extra: &[(&str, &str)]) -> Vec<u8> {
    fixture_with(name, locations, script, extra, |_, _| {})
}

/// [`fixture`] with `tweak` applied to the manifest and each i18n file (path, JSON).
fn fixture_with(
    name: &str,
    locations: &[&str],
    script: &str,
    extra: &[(&str, &str)],
    tweak: impl Fn(&str, &mut Value),
) -> Vec<u8> {
    let mut files = widgetry_scaffold::scaffold(&widgetry_scaffold::ScaffoldOptions {
        name: name.to_string(),
        locations: locations.iter().map(|l| l.to_string()).collect(),
        ..widgetry_scaffold::ScaffoldOptions::default()
    });
    for (path, bytes) in &mut files {
        if path == "script.js" {
            *bytes = script.as_bytes().to_vec();
        } else if path == "manifest.json" || path.starts_with("i18n/") {
            let mut v: Value = serde_json::from_slice(bytes).unwrap();
            tweak(path, &mut v);
            *bytes = serde_json::to_vec_pretty(&v).unwrap();
        }
    }
    files.extend(
        extra
            .iter()
            .map(|(p, b)| (p.to_string(), b.as_bytes().to_vec())),
    );
    zip(&files)
}

/// Every point of the contract a well-behaved widget uses: host modules, a relative module,
/// a `text!` template, the system controls, `render_template`, an `href` template loaded by a
/// Promise from `render`, `APP.constant`, the fake CRM API, `crm_post`, `add_action`, the
/// Modal, list selection with a mass action, and the advanced settings page.
const CONTRACT: &str = r#"define(['jquery', 'underscore', 'twigjs', 'moment', 'lib/components/base/modal',
  './lib/util.js', 'text!./templates/panel.twig'], function ($, _, twig, moment, Modal, util, panel) {
  'use strict';
  var Widget = function () {
    var self = this;
    var name = self.i18n('widget.name');
    this.callbacks = {
      render: function () {
        if (self.system().area !== 'lcard') return true;
        var controls =
          self.render({ref: '/tmpl/controls/button.twig'}, {text: 'Go', blue: true, class_name: 'fx-go'}) +
          self.render({ref: '/tmpl/controls/input.twig'}, {name: 'fx-input', value: 'v1'}) +
          self.render({ref: '/tmpl/controls/select.twig'}, {name: 'fx-select', selected: 2,
            items: [{id: 1, option: 'One'}, {id: 2, option: 'Two'}]}) +
          self.render({ref: '/tmpl/controls/checkbox.twig'}, {name: 'fx-check', text: 'Check', checked: true}) +
          self.render({ref: '/tmpl/controls/textarea.twig'}, {name: 'fx-area', value: 'text'}) +
          self.render({ref: '/tmpl/controls/radio.twig'}, {name: 'fx-radio', value: 'a', text: 'A', checked: true}) +
          self.render({ref: '/tmpl/controls/checkboxes_dropdown.twig'}, {class_name: 'fx-drop',
            items: [{id: 1, option: 'First', name: 'fx-drop[]', is_checked: true}, {id: 2, option: 'Second', name: 'fx-drop[]'}]}) +
          self.render({ref: '/tmpl/controls/date_field.twig'}, {name: 'fx-date', value: '2026-12-06'}) +
          self.render({ref: '/tmpl/controls/file.twig'}, {name: 'fx-file'}) +
          self.render({ref: '/tmpl/controls/cancel_button.twig'}, {text: 'Back', class_name: 'fx-cancel'}) +
          self.render({ref: '/tmpl/controls/delete_button.twig'}, {text: 'Remove', class_name: 'fx-delete'});
        self.render_template({caption: {class_name: 'fx-caption', html: name}, render: panel,
          body: '<div class="fx-controls">' + controls + '</div>'},
          {user: APP.constant('user').name, year: moment(0).utc().format('YYYY'), twice: util.twice(21),
           count: _.size({a: 1, b: 2})});
        return new Promise(function (resolve) {
          self.render({href: '/templates/late.twig', base_path: self.params.path, v: self.get_version(),
            load: function (t) { $('.fx-controls').append(t.render({n: 3})); resolve(true); }});
        });
      },
      init: function () {
        console.log('init in ' + self.system().area);
        return true;
      },
      bind_actions: function () {
        self.crm_post('https://backend.example.net/hook', {a: 1}, function () {}, 'json',
          function (e) { console.log('crm_post failed: ' + e.statusText); });
        $.ajax({url: '/api/v4/account', dataType: 'json'})
          .done(function (a) { console.log('account ' + a.subdomain); });
        self.add_action('phone', function (d) { console.log('calling ' + d.value); });
        if (self.system().area === 'lcard') {
          new Modal({class_name: 'fx-modal', init: function ($body) {
            $body.trigger('modal:loaded').html('<p class="fx-modal-text">modal</p>');
          }});
        }
        return true;
      },
      settings: function () { return true; },
      onSave: function () { return true; },
      destroy: function () {},
      advancedSettings: function () {
        $('#work-area-' + self.params.widget_code).append('<p class="fx-advanced">advanced page</p>');
        return true;
      },
      leads: {
        selected: function () {
          var s = self.list_selected();
          console.log('selected ' + s.selected.map(function (x) { return x.id; }).join(','));
          return true;
        }
      }
    };
    return this;
  };
  return Widget;
});
"#;

const UTIL: &str =
    "define([], function () { return { twice: function (n) { return n * 2; } }; });\n";
const PANEL: &str =
    "<p class=\"fx-panel\">Hello {{ user }} {{ year }} {{ twice }} {{ count }}</p>\n";
const LATE: &str = "<p class=\"fx-late\">late {{ n }}</p>\n";

/// A widget written as an ES class: amoCRM cannot inject its methods.
const ES_CLASS: &str = "define([], function () {
  class Widget {
    constructor() { this.area = this.system().area; this.callbacks = {}; }
  }
  return Widget;
});
";

/// A widget needing a module that is not in its package.
const MISSING: &str = "define(['./lib/absent.js'], function (absent) {
  return function () { this.callbacks = {}; return this; };
});
";

/// A widget that tries to reach Widgetry: its cookies, storage, its parent page and its API
/// (at `pages`, the frame's own URL origin, and at `other`, the same server by another name).
fn escape_script(pages: &str, other: &str) -> String {
    format!(
        "define(['jquery'], function ($) {{
  return function () {{
    var self = this;
    this.callbacks = {{
      render: function () {{
        try {{ console.log('cookie read: [' + document.cookie + ']'); }} catch (e) {{ console.log('cookie denied: ' + e.name); }}
        try {{ localStorage.setItem('x', '1'); console.log('storage open'); }} catch (e) {{ console.log('storage denied: ' + e.name); }}
        try {{ console.log('parent read: ' + window.parent.document.cookie); }} catch (e) {{ console.log('parent denied: ' + e.name); }}
        return true;
      }},
      init: function () {{
        return fetch('{other}/api/v1/me', {{credentials: 'include'}})
          .then(function (r) {{ console.log('api answered ' + r.status); }}, function () {{ console.log('api blocked'); }})
          .then(function () {{ return fetch('{pages}/api/v1/me', {{credentials: 'include'}}); }})
          .then(function (r) {{ console.log('same origin answered ' + r.status); return true; }});
      }},
      bind_actions: function () {{
        $.ajax({{url: '/api/v1/me', dataType: 'json'}}).fail(function (x) {{ console.log('relative api ' + x.status); }});
        return true;
      }},
      settings: function () {{ return true; }},
      onSave: function () {{ return true; }},
      destroy: function () {{}}
    }};
    return this;
  }};
}});
"
    )
}

/// A widget module (with jQuery) whose constructor keeps `self` and sets `callbacks`, the
/// members of `this.callbacks`; `prelude` runs in the module first.
fn widget_script(prelude: &str, callbacks: &str) -> String {
    format!(
        "define(['jquery'], function ($) {{
  {prelude}
  return function () {{
    var self = this;
    this.callbacks = {{
      render: function () {{ return true; }},
      init: function () {{ return true; }},
      bind_actions: function () {{ return true; }},
      {callbacks}
    }};
    return this;
  }};
}});
"
    )
}

/// A settings window saved: `onSave` gets the fields and answers with a Promise.
fn settings_script() -> String {
    widget_script(
        "",
        "settings: function ($body) { $body.find('.widget_settings_block__descr').append('<b class=\"fx-settings\">mine</b>'); return true; },
      onSave: function (data) {
        console.log('saving ' + data.active + ' ' + JSON.stringify(data.fields));
        return Promise.resolve(true);
      },
      destroy: function () { console.log('destroyed'); }",
    )
}

/// A digital pipeline action, and `init_once`: moving to another page and back renders again
/// without a second `init`.
fn pipeline_script() -> String {
    widget_script(
        "var inits = 0;",
        "settings: function () { return true; },
      onSave: function () { return true; },
      destroy: function () { console.log('destroy'); },
      dpSettings: function () { $('.dp-action').append('<p class=\"fx-dp\">pipeline action</p>'); return true; },
      init: function () { inits += 1; console.log('init ' + inits); return true; }",
    )
}

/// A `custom` settings field drawn by the widget and saved through `onSave`.
fn custom_script() -> String {
    widget_script(
        "",
        "settings: function () {
        var code = self.get_settings().widget_code;
        $('#' + code + '_custom_content').html('<input class=\"fx-columns\" value=\"3\">');
        $('#' + code + '_custom').val(JSON.stringify({columns: 3})).trigger('change');
        return true;
      },
      onSave: function (data) { console.log('custom ' + data.fields.layout); return true; },
      destroy: function () {}",
    )
}

/// Left-menu pages and a Salesbot designer block: `initMenuPage` draws which page it was
/// given, the designer adds a row with `renderRow`, and saving gives `steps` (an expression
/// of `code` and `params`) as the bot's steps.
fn menu_script(steps: &str) -> String {
    widget_script(
        "",
        &format!(
            "settings: function () {{ return true; }},
      onSave: function () {{ return true; }},
      destroy: function () {{}},
      initMenuPage: function (p) {{
        $('#work-area-' + self.params.widget_code).html('<p class=\"fx-menu\">' +
          [p.location, p.item_code || '', p.subitem_code || ''].join('/') + '</p>');
        console.log('menu ' + JSON.stringify(p));
      }},
      salesbotDesignerSettings: function ($body, renderRow, params) {{
        $body.append(renderRow('Extra', '<input name=\"extra\" class=\"fx-extra\" value=\"e\">'));
        console.log('designer ' + JSON.stringify(params));
        return {{exits: [{{code: 'sent', title: 'Sent'}}]}};
      }},
      onSalesbotDesignerSave: function (code, params) {{
        console.log('bot ' + code + ' ' + JSON.stringify(params));
        return {steps};
      }}"
        ),
    )
}

/// The manifest and i18n of [`menu_script`]'s widgets: a submenu of two pages under the
/// widget's own item (sorted by `sort`), and a page added to amoCRM's `stats` section.
fn menu_manifest(path: &str, v: &mut Value) {
    if path == "manifest.json" {
        let menu = v["left_menu"].as_object_mut().unwrap();
        let own = menu.values_mut().next().unwrap();
        own["submenu"] = json!({
            "weekly": {"title": "menu.weekly", "sort": 2},
            "daily": {"title": "menu.daily", "sort": 1},
        });
        menu.insert(
            "stats".into(),
            json!({"submenu": {"funnel": {"title": "menu.funnel"}}}),
        );
    } else {
        v["menu"]["daily"] = "Daily".into();
        v["menu"]["weekly"] = "Weekly".into();
        v["menu"]["funnel"] = "Funnel".into();
    }
}

/// A widget that logs in a loop: the run keeps 2,000 events and says it dropped the rest.
fn flood_script() -> String {
    widget_script(
        "",
        "settings: function () { return true; },
      onSave: function () { return true; },
      destroy: function () {},
      init: function () { for (var i = 0; i < 5000; i++) { console.log('line ' + i); } return true; }",
    )
}

/// Uploads `bytes` as a new integration's first version: `(code, widget.version)`.
async fn upload(s: &TestServer, token: &str, bytes: Vec<u8>) -> (String, String) {
    let id = s.integration(token).await;
    let r = s.upload(token, id, bytes).await;
    let status = r.status();
    let v: Value = r.json().await.unwrap();
    assert_eq!(status, 201, "{v:#}");
    (
        v["version"]["code"].as_str().unwrap().to_string(),
        v["version"]["widget_version"].as_str().unwrap().to_string(),
    )
}

fn kinds(result: &Value) -> Vec<String> {
    result["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_string())
        .collect()
}

fn events<'a>(result: &'a Value, kind: &str) -> Vec<&'a Value> {
    result["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == kind)
        .map(|e| &e["data"])
        .collect()
}

fn console(result: &Value) -> Vec<String> {
    events(result, "console")
        .into_iter()
        .map(|d| d["text"].as_str().unwrap().to_string())
        .collect()
}

fn callbacks(result: &Value) -> Vec<String> {
    events(result, "callback")
        .into_iter()
        .map(|d| d["callback"].as_str().unwrap().to_string())
        .collect()
}

/// Another account's admin, and a moderator before anything is submitted, do not find the
/// preview of a private version; the owner does, and so does the moderator once the version
/// is submitted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_owner_and_moderators_of_submitted_versions_preview() {
    let s = TestServer::start().await;
    s.user("dev@vendor.test", "vendor", Role::Admin).await;
    s.user("admin@shop.test", "shop", Role::Admin).await;
    s.moderator("mod@platform.test", "platform").await;
    let token = s
        .token_for("dev@vendor.test", &[Scope::Upload, Scope::Submit])
        .await;
    let id = s.integration(&token).await;
    let r = s
        .upload(&token, id, publishable_zip("Deal Notes", "1.0.0"))
        .await;
    assert_eq!(r.status(), 201);
    let v: Value = r.json().await.unwrap();
    let code = v["version"]["code"].as_str().unwrap().to_string();
    let version = v["version"]["widget_version"].as_str().unwrap().to_string();
    let path = format!("/preview/{code}/{version}");
    let get = |cookie: String, path: String| {
        let s = &s;
        async move { s.get(&path).header("cookie", cookie).send().await.unwrap() }
    };
    let owner = s.login("dev@vendor.test").await;
    let r = get(owner.cookie.clone(), path.clone()).await;
    assert_eq!(r.status(), 200);
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("frame-src 'self'"), "{csp}");
    let body = r.text().await.unwrap();
    assert!(
        body.contains(r#"sandbox="allow-scripts allow-forms""#),
        "{body}"
    );
    let frame = get(owner.cookie.clone(), format!("{path}/frame?area=lcard")).await;
    assert_eq!(frame.status(), 200);
    let csp = frame.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        csp.starts_with("sandbox allow-scripts allow-forms;"),
        "{csp}"
    );
    assert_eq!(frame.headers()["x-frame-options"], "SAMEORIGIN");
    // The frame's configuration carries a signed prefix on the files origin, not a session.
    let html = frame.text().await.unwrap();
    assert!(
        html.contains(&s.files_url("")[..s.files_url("").len() - 1]),
        "{html}"
    );
    assert!(
        !html.contains(&owner.csrf),
        "the frame carries the session's CSRF token"
    );
    // The fixture panel's card fields and list rows reach the frame's data, and the page keeps
    // them in its form.
    let q = "area=lcard&f.101=%2B7%20555%2000%2000&rows=Alpha%20deal%0ABeta%20deal&user=Vera";
    let frame = get(owner.cookie.clone(), format!("{path}/frame?{q}")).await;
    let html = frame.text().await.unwrap();
    for needle in [
        r#""value":"+7 555 00 00""#,
        r#""name":"Alpha deal""#,
        r#""name":"Beta deal""#,
        r#""name":"Vera""#,
    ] {
        assert!(html.contains(needle), "{needle} in {html}");
    }
    let page = get(owner.cookie.clone(), format!("{path}?{q}")).await;
    let html = page.text().await.unwrap();
    assert!(html.contains("Alpha deal\nBeta deal</textarea>"), "{html}");
    assert!(
        html.contains(r#"name="f.101" value="+7 555 00 00""#),
        "{html}"
    );
    // The host's assets: open to the opaque frame, cached by their hash; unknown ones 404.
    let r = s.get("/sandbox/host.js").send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["cross-origin-resource-policy"], "cross-origin");
    let etag = r.headers()["etag"].to_str().unwrap().to_string();
    let r = s
        .get("/sandbox/host.js")
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 304);
    assert_eq!(
        s.get("/sandbox/../Cargo.toml")
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(
        s.get("/sandbox/vendor/none.js")
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    // An area the manifest does not open: 404.
    let r = get(owner.cookie.clone(), format!("{path}/frame?area=leads-dp")).await;
    assert_eq!(r.status(), 404);

    for (who, email) in [
        ("stranger", "admin@shop.test"),
        ("moderator", "mod@platform.test"),
    ] {
        let session = s.login(email).await;
        for p in [path.clone(), format!("{path}/frame")] {
            let r = get(session.cookie.clone(), p.clone()).await;
            assert_eq!(r.status(), 404, "{who} {p}");
        }
    }
    // Submitted: the moderator previews it, with the way back to the console.
    let sid = s.submit(&token, id, 1).await["id"].as_i64().unwrap();
    let moderator = s.login("mod@platform.test").await;
    let r = get(moderator.cookie.clone(), path.clone()).await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains(r#"href="/moderation""#));
    let r = get(
        moderator.cookie.clone(),
        format!("{path}/frame?area=settings"),
    )
    .await;
    assert_eq!(r.status(), 200);
    // The moderator saves a run with the submission: bounded, checked, then listed with its
    // findings on the submission page. Bad runs store nothing.
    let post_run_with = |cookie: String, csrf: String, area: &str, events: String, shot: String| {
        let s = &s;
        let area = area.to_string();
        async move {
            reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap()
                .post(s.url(&format!("/moderation/{sid}/preview-runs")))
                .header("cookie", cookie)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(
                    url::form_urlencoded::Serializer::new(String::new())
                        .append_pair("csrf", &csrf)
                        .append_pair("area", &area)
                        .append_pair("lang", "en")
                        .append_pair("events", &events)
                        .append_pair("screenshot", &shot)
                        .finish(),
                )
                .send()
                .await
                .unwrap()
        }
    };
    let post_run = |cookie: String, csrf: String, area: &str, events: String| {
        post_run_with(cookie, csrf, area, events, String::new())
    };
    let threw = json!([
        {"t": 0, "area": "lcard", "kind": "start", "data": {}},
        {"t": 5, "area": "lcard", "kind": "callback_threw",
         "data": {"callback": "bind_actions", "message": "data is null", "file": "script.js", "line": 7}},
        {"t": 6, "area": "lcard", "kind": "done", "data": {}},
    ]);
    let too_many = serde_json::to_string(&vec![json!({"kind": "console"}); 2001]).unwrap();
    let principal = s
        .registry
        .session(moderator.cookie.split_once('=').unwrap().1)
        .await
        .unwrap()
        .unwrap();
    let runs = || {
        s.registry
            .preview_runs(&principal, widgetry_registry::SubmissionId(sid))
    };
    for (area, events) in [
        ("lcard", "not json".to_string()),
        ("lcard", too_many),
        ("lcard", "x".repeat(widgetry_registry::MAX_RUN_BYTES + 1)),
        ("no such area!", threw.to_string()),
    ] {
        let r = post_run(
            moderator.cookie.clone(),
            moderator.csrf.clone(),
            area,
            events,
        )
        .await;
        assert_eq!(r.status(), 400, "{area}");
        assert!(runs().await.unwrap().is_empty());
    }
    // A screenshot that is not a bounded PNG data URL: refused, nothing stored.
    let png_url = |bytes: &[u8]| {
        use base64::Engine as _;
        format!(
            "data:image/png;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(bytes)
        )
    };
    for shot in [
        "data:image/jpeg;base64,/9j/4AAQ".to_string(),
        png_url(b"GIF89a not a png at all"),
        png_url(&vec![
            0u8;
            widgetry_validator::preview::MAX_SCREENSHOT_BYTES + 1
        ]),
        "data:image/png;base64,%%%".to_string(),
    ] {
        let r = post_run_with(
            moderator.cookie.clone(),
            moderator.csrf.clone(),
            "lcard",
            threw.to_string(),
            shot.clone(),
        )
        .await;
        assert_eq!(r.status(), 400, "{}", &shot[..30]);
        let body = r.text().await.unwrap();
        assert!(body.contains("PNG"), "{body}");
        assert!(runs().await.unwrap().is_empty());
    }
    // Without the session's CSRF token, or by the owner (no moderator): refused.
    let r = post_run(
        moderator.cookie.clone(),
        "forged".into(),
        "lcard",
        threw.to_string(),
    )
    .await;
    assert_eq!(r.status(), 403);
    let r = post_run(
        owner.cookie.clone(),
        owner.csrf.clone(),
        "lcard",
        threw.to_string(),
    )
    .await;
    assert_eq!(r.status(), 403);
    assert!(runs().await.unwrap().is_empty());
    // A 1x1 PNG.
    let pixel: &[u8] = &[
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
        0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f,
        0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0b, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8,
        0x0f, 0x04, 0x00, 0x09, 0xfb, 0x03, 0xfd, 0xfb, 0x5e, 0x6b, 0x2b, 0x00, 0x00, 0x00, 0x00,
        0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
    ];
    let r = post_run_with(
        moderator.cookie.clone(),
        moderator.csrf.clone(),
        "lcard",
        threw.to_string(),
        png_url(pixel),
    )
    .await;
    assert_eq!(r.status(), 303);
    let saved = runs().await.unwrap();
    assert_eq!(saved.len(), 1);
    assert_eq!(
        (saved[0].screenshot_width, saved[0].screenshot_height),
        (Some(1), Some(1))
    );
    // The screenshot, for moderators only, served as a PNG that runs nothing; 404 for a run
    // of another submission or one that does not exist.
    let shot = format!(
        "/moderation/{sid}/preview-runs/{}/screenshot.png",
        saved[0].id
    );
    let r = get(moderator.cookie.clone(), shot.clone()).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/png");
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    assert!(
        r.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .starts_with("sandbox")
    );
    assert_eq!(r.bytes().await.unwrap().as_ref(), pixel);
    assert_eq!(get(owner.cookie.clone(), shot.clone()).await.status(), 403);
    for other in [
        format!(
            "/moderation/{}/preview-runs/{}/screenshot.png",
            sid + 1,
            saved[0].id
        ),
        format!(
            "/moderation/{sid}/preview-runs/{}/screenshot.png",
            saved[0].id + 1
        ),
        format!("/moderation/{sid}/preview-runs/x/screenshot.png"),
    ] {
        assert_eq!(
            get(moderator.cookie.clone(), other.clone()).await.status(),
            404,
            "{other}"
        );
    }
    assert_eq!((saved[0].errors, saved[0].area.as_str()), (1, "lcard"));
    assert_eq!(
        saved[0].report.diagnostics[0].code,
        "preview.callback_threw"
    );
    let page = get(moderator.cookie.clone(), format!("/moderation/{sid}")).await;
    let html = page.text().await.unwrap();
    assert!(
        html.contains("<code>preview.callback_threw</code>"),
        "{html}"
    );
    assert!(html.contains("(script.js:7)"), "{html}");
    // (The page escapes `/` in attributes.)
    let src = shot.replace('/', "&#x2f;");
    assert!(
        html.contains(&format!(r#"<img src="{src}" width="1" height="1""#)),
        "{html}"
    );
    // The console offers the preview's codes as reasons to cite.
    assert!(widgetry_registry::is_reason_code("preview.callback_threw"));

    // The stranger still does not find it.
    let stranger = s.login("admin@shop.test").await;
    assert_eq!(get(stranger.cookie, path.clone()).await.status(), 404);

    // Anonymous: to the sign-in page.
    let r = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(s.url(&format!("{path}/frame")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(widgetry_test_browser),
    ignore = "needs node, Chromium (WIDGETRY_CHROMIUM, default /usr/bin/chromium) and playwright-core (npm ci --prefix crates/server/tests/browser)"
)]
async fn widgets_run_in_the_preview() {
    let s = TestServer::start().await;
    s.user("dev@vendor.test", "vendor", Role::Admin).await;
    let token = s
        .token_for("dev@vendor.test", &[Scope::Upload, Scope::Submit])
        .await;
    let pages = s.url("");
    let pages = pages.trim_end_matches('/');
    let contract = upload(
        &s,
        &token,
        fixture(
            "Contract",
            &["lcard-1", "llist-0", "settings", "advanced_settings"],
            CONTRACT,
            &[
                ("lib/util.js", UTIL),
                ("templates/panel.twig", PANEL),
                ("templates/late.twig", LATE),
            ],
        ),
    )
    .await;
    let throws = upload(
        &s,
        &token,
        fixture(
            "Throws",
            &["lcard-1", "settings"],
            widgetry_testkit::THROWING_SCRIPT,
            &[],
        ),
    )
    .await;
    let es_class = upload(
        &s,
        &token,
        fixture("Class", &["lcard-1", "settings"], ES_CLASS, &[]),
    )
    .await;
    let missing = upload(
        &s,
        &token,
        fixture("Missing", &["lcard-1", "settings"], MISSING, &[]),
    )
    .await;
    let escape = upload(
        &s,
        &token,
        fixture(
            "Escape",
            &["lcard-1", "settings"],
            &escape_script(pages, &pages.replace("127.0.0.1", "localhost")),
            &[],
        ),
    )
    .await;
    let settings = upload(
        &s,
        &token,
        fixture("Saver", &["lcard-1", "settings"], &settings_script(), &[]),
    )
    .await;
    let scaffold = upload(&s, &token, widget_zip("Deal Notes", "1.0.0")).await;
    let flood = upload(
        &s,
        &token,
        fixture("Flood", &["lcard-1", "settings"], &flood_script(), &[]),
    )
    .await;
    let pipeline = upload(
        &s,
        &token,
        fixture_with(
            "Pipeline",
            &["lcard-1", "settings", "digital_pipeline"],
            &pipeline_script(),
            &[],
            |path, v| {
                if path == "manifest.json" {
                    v["widget"]["init_once"] = true.into();
                }
            },
        ),
    )
    .await;
    let custom = upload(
        &s,
        &token,
        fixture_with(
            "Custom",
            &["lcard-1", "settings"],
            &custom_script(),
            &[],
            |path, v| {
                if path == "manifest.json" {
                    v["settings"]["layout"] =
                        json!({"name": "settings.layout", "type": "custom", "required": false});
                } else {
                    v["settings"]["layout"] = "Layout".into();
                }
            },
        ),
    )
    .await;
    let menu_locations = ["settings", "widget_page", "salesbot_designer"];
    let menu = upload(
        &s,
        &token,
        fixture_with(
            "Menu",
            &menu_locations,
            &menu_script("JSON.stringify([{question: [{handler: 'widget_request', params: {url: 'https://bot.example.net', data: params}}]}])"),
            &[],
            menu_manifest,
        ),
    )
    .await;
    let bad_bot = upload(
        &s,
        &token,
        fixture_with(
            "Bad Bot",
            &menu_locations,
            &menu_script("params"),
            &[],
            menu_manifest,
        ),
    )
    .await;
    // A submitted version the moderator previews and saves with the submission.
    s.moderator("mod@platform.test", "platform").await;
    let submitted_id = s.integration(&token).await;
    let r = s
        .upload(&token, submitted_id, publishable_zip("Deal Notes", "1.0.0"))
        .await;
    let v: Value = r.json().await.unwrap();
    let submitted = (
        v["version"]["code"].as_str().unwrap().to_string(),
        v["version"]["widget_version"].as_str().unwrap().to_string(),
    );
    let sid = s.submit(&token, submitted_id, 1).await["id"]
        .as_i64()
        .unwrap();
    let moderator = s.login("mod@platform.test").await;

    let frame =
        |w: &(String, String), query: &str| format!("/preview/{}/{}/frame?{query}", w.0, w.1);
    let cases = json!([
        {"name": "contract-card", "url": frame(&contract, "area=lcard&scenario=phone-click")},
        {"name": "contract-list", "url": frame(&contract, "area=llist&scenario=mass-action")},
        {"name": "contract-advanced", "url": frame(&contract, "area=advanced-settings")},
        {"name": "throws", "url": frame(&throws, "area=lcard")},
        {"name": "es-class", "url": frame(&es_class, "area=lcard")},
        {"name": "missing", "url": frame(&missing, "area=lcard")},
        {"name": "escape", "url": frame(&escape, "area=lcard")},
        {"name": "settings-save", "url": frame(&settings, "area=settings&scenario=save&s.api_key=k-42")},
        {"name": "pipeline-dp", "url": frame(&pipeline, "area=leads-dp")},
        {"name": "flood", "url": frame(&flood, "area=lcard")},
        {"name": "pipeline-switch", "url": frame(&pipeline, "area=lcard&scenario=area-switch")},
        {"name": "custom-save", "url": frame(&custom, "area=settings&scenario=save")},
        {"name": "menu-pages", "url": frame(&menu, "area=widget_page&scenario=menu-pages")},
        {"name": "salesbot-save", "url": frame(&menu, "area=salesbot_designer&scenario=save")},
        {"name": "salesbot-bad", "url": frame(&bad_bot, "area=salesbot_designer&scenario=save")},
        {"name": "moderator-save", "page": true, "save": true, "cookie": moderator.cookie,
         "url": format!("/preview/{}/{}?area=lcard", submitted.0, submitted.1)},
        {"name": "moderator-save-all", "page": true, "saveAll": true, "cookie": moderator.cookie,
         "url": format!("/preview/{}/{}?area=settings&lang=ru", submitted.0, submitted.1)},
        {"name": "scaffold-page", "page": true,
         "url": format!("/preview/{}/{}?area=lcard&lang=ru", scaffold.0, scaffold.1)},
    ]);
    let session = s.login("dev@vendor.test").await;
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("preview-screenshots");
    let _ = std::fs::remove_dir_all(&shots);
    std::fs::create_dir_all(&shots).unwrap();
    let mut command = Command::new("node");
    command
        .arg(flow_dir().join("preview.mjs"))
        .current_dir(flow_dir())
        .env("WIDGETRY_BASE_URL", pages)
        .env("WIDGETRY_COOKIE", &session.cookie)
        .env("WIDGETRY_PREVIEW_CASES", cases.to_string())
        .env("WIDGETRY_SCREENSHOTS", &shots);
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .unwrap()
        .expect("node starts");
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    assert!(
        output.status.success(),
        "the preview run failed ({}); screenshots in {}\n--- stdout\n{stdout}\n--- stderr\n{}",
        output.status,
        shots.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    let results: std::collections::HashMap<String, Value> = stdout
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            (v["name"].as_str().unwrap().to_string(), v)
        })
        .collect();
    let case = |name: &str| {
        let r = &results[name];
        println!("--- {name}: {:?}\n{:?}", kinds(r), console(r));
        r
    };

    // The contract widget in a card: the callbacks in amoCRM's order (render answered with a
    // Promise), each system control, the relative module and both templates, the fake CRM
    // API, crm_post recorded and never sent, the Modal, the phone action.
    let r = case("contract-card");
    assert_eq!(callbacks(r), ["render", "init", "bind_actions"], "{r:#}");
    assert!(events(r, "callback")[0]["promise"].as_bool().unwrap());
    let html = r["html"].as_str().unwrap();
    for needle in [
        "button-input_blue fx-go",
        r#"name="fx-input" value="v1""#,
        r#"<option value="2" class="" selected="">Two</option>"#,
        r#"name="fx-check" value="Y" checked"#,
        r#"name="fx-area""#,
        r#"type="radio" name="fx-radio" value="a" checked"#,
        r#"name="fx-drop[]" value="1" checked"#,
        r#"type="date" class="date_field " name="fx-date" value="2026-12-06""#,
        r#"type="file" class="control--file " name="fx-file""#,
        "button-cancel fx-cancel",
        "button-input_red fx-delete",
        "Hello Anna Preview 1970 42 2",
        r#"<p class="fx-late">late 3</p>"#,
        "card-widgets__widget-",
    ] {
        assert!(html.contains(needle), "{needle} in {html}");
    }
    let log = console(r);
    assert!(log.contains(&"init in lcard".to_string()), "{log:?}");
    assert!(log.iter().any(|l| l.starts_with("account ")), "{log:?}");
    assert!(
        log.iter().any(|l| l.starts_with("crm_post failed")),
        "{log:?}"
    );
    assert!(
        log.contains(&"calling +7 900 000-00-01".to_string()),
        "{log:?}"
    );
    assert_eq!(
        events(r, "crm_post")[0]["url"],
        "https://backend.example.net/hook"
    );
    assert_eq!(events(r, "crm_api")[0]["status"], 200);
    assert!(kinds(r).contains(&"modal".to_string()));
    // The area drawn when the run ended.
    let shot = events(r, "screenshot");
    assert_eq!(shot.len(), 1, "{r:#}");
    assert!(shot[0]["width"].as_u64().unwrap() >= 320, "{r:#}");
    assert!(shot[0]["bytes"].as_u64().unwrap() > 1000, "{r:#}");
    for bad in [
        "error",
        "callback_threw",
        "missing_module",
        "missing_template",
        "external_request",
    ] {
        assert!(events(r, bad).is_empty(), "{bad}: {r:#}");
    }

    // In the list, two ticked rows and the mass action.
    let r = case("contract-list");
    assert!(
        console(r).contains(&"selected 7001,7002".to_string()),
        "{r:#}"
    );
    assert!(callbacks(r).contains(&"leads.selected".to_string()));
    // The advanced settings page.
    let r = case("contract-advanced");
    assert!(callbacks(r).contains(&"advancedSettings".to_string()));
    assert!(r["html"].as_str().unwrap().contains("fx-advanced"));

    // A callback that throws: reported with the file and line.
    let r = case("throws");
    let threw = events(r, "callback_threw");
    assert_eq!(threw.len(), 1, "{r:#}");
    assert_eq!(threw[0]["callback"], "bind_actions");
    assert_eq!(threw[0]["file"], "script.js");
    assert_eq!(threw[0]["line"], widgetry_testkit::THROWING_LINE, "{r:#}");

    // An ES class, and a module that is not in the package.
    let r = case("es-class");
    assert!(!events(r, "es_class").is_empty(), "{r:#}");
    assert!(!events(r, "constructor_threw").is_empty(), "{r:#}");
    let r = case("missing");
    let m = events(r, "missing_module");
    assert!(!m.is_empty(), "{r:#}");
    assert!(
        m[0]["modules"].to_string().contains("lib/absent.js"),
        "{r:#}"
    );

    // The frame is an opaque origin: no cookie, no storage, no parent, and Widgetry's API is
    // out of reach: calls to the frame's own origin are the CRM's, answered by the preview
    // (404 for Widgetry's paths), and any other host is blocked and reported.
    let r = case("escape");
    assert_eq!(r["origin"], "null", "{r:#}");
    let log = console(r);
    assert!(
        log.contains(&"cookie denied: SecurityError".to_string()),
        "{log:?}"
    );
    assert!(
        log.contains(&"storage denied: SecurityError".to_string()),
        "{log:?}"
    );
    assert!(
        log.contains(&"parent denied: SecurityError".to_string()),
        "{log:?}"
    );
    assert!(log.contains(&"api blocked".to_string()), "{log:?}");
    assert!(log.contains(&"relative api 404".to_string()), "{log:?}");
    assert!(
        log.contains(&"same origin answered 404".to_string()),
        "{log:?}"
    );
    assert!(events(r, "callback_rejected").is_empty(), "{r:#}");
    let external = events(r, "external_request");
    assert!(
        external
            .iter()
            .any(|e| e["url"].as_str().unwrap().contains("/api/v1/me")),
        "{r:#}"
    );

    // The settings window: the fields from the manifest with the panel's value, then save.
    let r = case("settings-save");
    let log = console(r);
    assert!(
        log.contains(&r#"saving Y {"api_key":"k-42"}"#.to_string()),
        "{log:?}"
    );
    assert!(callbacks(r).contains(&"onSave".to_string()), "{r:#}");
    assert!(!events(r, "set_settings").is_empty());
    assert!(r["html"].as_str().unwrap().contains("fx-settings"));

    // A widget logging in a loop: 2,000 events kept, the cut said, the run still over.
    let r = &results["flood"];
    let all = kinds(r);
    assert_eq!(all.len(), 2000, "{:?}", &all[all.len() - 3..]);
    assert_eq!(all[all.len() - 2..], ["truncated", "done"]);

    // The digital pipeline action, and init_once across a page change.
    let r = case("pipeline-dp");
    assert!(callbacks(r).contains(&"dpSettings".to_string()), "{r:#}");
    assert!(r["html"].as_str().unwrap().contains("fx-dp"));
    let r = case("pipeline-switch");
    assert_eq!(console(r), ["init 1", "destroy"], "{r:#}");
    assert_eq!(
        callbacks(r).iter().filter(|c| *c == "render").count(),
        2,
        "{r:#}"
    );
    assert!(kinds(r).contains(&"init_skipped".to_string()), "{r:#}");
    // A custom settings field saved through onSave.
    let r = case("custom-save");
    assert!(
        console(r).contains(&r#"custom {"columns":3}"#.to_string()),
        "{r:#}"
    );
    assert!(r["html"].as_str().unwrap().contains("fx-columns"));

    // The left menu: the widget's item, its submenu in `sort` order and the page added to
    // amoCRM's statistics, each opened with the parameters amoCRM passes to initMenuPage.
    let r = case("menu-pages");
    let opened: Vec<String> = events(r, "menu_page")
        .iter()
        .map(|e| {
            format!(
                "{}/{}/{}",
                e["location"].as_str().unwrap_or(""),
                e["item_code"].as_str().unwrap_or(""),
                e["subitem_code"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(
        opened,
        [
            "widget_page/menu/",
            "widget_page/menu/daily",
            "widget_page/menu/weekly",
            "stats//funnel"
        ],
        "{r:#}"
    );
    assert_eq!(
        callbacks(r).iter().filter(|c| *c == "initMenuPage").count(),
        4
    );
    let html = r["html"].as_str().unwrap();
    assert!(
        html.contains(r#"<p class="fx-menu">stats//funnel</p>"#),
        "{html}"
    );
    assert!(html.contains("Weekly") && html.contains("Funnel"), "{html}");
    assert!(
        console(r).contains(
            &r#"menu {"location":"widget_page","item_code":"menu","subitem_code":"daily"}"#
                .to_string()
        ),
        "{r:#}"
    );
    // The Salesbot designer: the handler's declared field and the widget's own row, saved as
    // the bot's steps; a widget giving an object instead of JSON is reported.
    let r = case("salesbot-save");
    assert_eq!(
        callbacks(r),
        [
            "render",
            "init",
            "bind_actions",
            "salesbotDesignerSettings",
            "onSalesbotDesignerSave"
        ],
        "{r:#}"
    );
    assert_eq!(events(r, "salesbot_exits")[0]["exits"], json!(["sent"]));
    assert_eq!(events(r, "salesbot_steps")[0]["steps"], 1, "{r:#}");
    let log = console(r);
    assert!(
        log.iter()
            .any(|l| l.starts_with("bot send_message {\"text\":") && l.ends_with(r#""extra":"e"}"#)),
        "{log:?}"
    );
    assert!(events(r, "salesbot_not_json").is_empty(), "{r:#}");
    let r = case("salesbot-bad");
    let bad = events(r, "salesbot_not_json");
    assert_eq!(bad.len(), 1, "{r:#}");
    assert_eq!(bad[0]["handler"], "send_message");

    // The moderator runs the submitted version and saves the run: the console lists it.
    let r = case("moderator-save");
    let saved = r["saved"].as_str().unwrap();
    assert!(saved.contains("lcard (en)"), "{saved}");
    let runs = s
        .registry
        .preview_runs(
            &s.registry
                .session(moderator.cookie.split_once('=').unwrap().1)
                .await
                .unwrap()
                .unwrap(),
            widgetry_registry::SubmissionId(sid),
        )
        .await
        .unwrap();
    // Then every area at once: one run per area the manifest opens, in the page's language,
    // each with its screenshot (newest first, after the single run above).
    let r = case("moderator-save-all");
    let files = support::publishable_files("Deal Notes", "1.0.0");
    let manifest = &files.iter().find(|(p, _)| p == "manifest.json").unwrap().1;
    let areas: Vec<&str> =
        widgetry_preview::areas::of_manifest(&serde_json::from_slice(manifest).unwrap())
            .0
            .iter()
            .map(|a| a.id)
            .collect();
    assert!(areas.len() >= 2, "{areas:?}");
    assert_eq!(
        runs.len(),
        areas.len() + 1,
        "{:?}\n{:#}",
        r["status"],
        json!({"log": r["log"], "error": r["error"], "page_errors": r["page_errors"]})
    );
    let mut saved_areas: Vec<&str> = runs[..areas.len()]
        .iter()
        .map(|r| r.area.as_str())
        .collect();
    saved_areas.reverse();
    assert_eq!(saved_areas, areas, "{r:#}");
    assert!(
        runs[..areas.len()]
            .iter()
            .all(|r| r.lang == "ru" && r.screenshot_width.is_some()),
        "{runs:?}"
    );
    assert_eq!(runs.len(), areas.len() + 1);
    let single = runs.last().unwrap();
    assert_eq!(single.area, "lcard");
    assert!(single.screenshot_width.is_some(), "{single:?}");

    // The scaffolded widget on the preview page, in Russian: its panel drawn, the event log
    // filled from the frame, the frame sandboxed.
    let r = case("scaffold-page");
    assert_eq!(r["sandbox"], "allow-scripts allow-forms");
    assert!(
        r["html"].as_str().unwrap().contains("card-widgets__widget"),
        "{r:#}"
    );
    let log: Vec<&str> = r["log"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    assert!(
        log.iter().any(|l| l.contains("callback: bind_actions")),
        "{log:?}"
    );
    assert!(r["page_errors"].as_array().unwrap().is_empty(), "{r:#}");
    assert!(events(r, "error").is_empty(), "{r:#}");
}
