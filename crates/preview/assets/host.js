// Widgetry's widget preview: the host a widget's script.js expects from amoCRM's page,
// inside a sandboxed frame (an opaque origin: no cookie, no storage, no session of Widgetry).
//
// Parts, in order: the recorder (everything the widget does that a moderator should see),
// the loader (RequireJS with the host modules amoCRM preloads), the system templates
// (`/tmpl/controls/*.twig`, markup of our own with amoCRM's parameter names), the fake CRM
// API (same-origin `/api/v4/*` and `/ajax/*` answered from the fixtures), the widget object
// (`params`, `system()`, `i18n`, `render`, `crm_post`, ...), the areas (card, list, settings
// modal, advanced settings page, digital pipeline, left-menu pages, Salesbot designer block)
// and the lifecycle that calls the widget's
// callbacks in amoCRM's order. The page around the frame gets every event by postMessage;
// tests read `window.__sandbox`, people `<pre id="sandbox-report">` once the run is over, and
// `widgetry preview` gets the events posted to `report_url`.
//
// The contract is described in docs/preview.md; the configuration comes from the server in
// `<script type="application/json" id="sandbox-config">`.
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("sandbox-config").textContent);
  var code = config.code;
  var started = Date.now();
  var reportNode = document.getElementById("sandbox-report");
  var state = (window.__sandbox = { events: [], done: false, config: config });
  var native = {
    log: console.log, info: console.info, warn: console.warn, error: console.error,
    debug: console.debug, fetch: window.fetch, open: XMLHttpRequest.prototype.open,
    setTimeout: window.setTimeout.bind(window), clearTimeout: window.clearTimeout.bind(window),
  };
  // The screenshot drawer (vendor/html-to-image.js, loaded before RequireJS): kept here and
  // taken out of the widget's sight.
  var drawing = window.htmlToImage;
  try { delete window.htmlToImage; } catch (e) { window.htmlToImage = undefined; }

  // ---------------------------------------------------------------- recorder
  /** Most events a run keeps before `truncated` and `done` (in all what a saved run and the
   *  validator take, `config.limits.events`); past it one `truncated` event says so and the
   *  rest are dropped, so a widget logging in a loop cannot flood the page around the frame. */
  var MAX_EVENTS = config.limits.events - 2;

  /** Hands a message to the page around the frame. */
  function toParent(message) {
    try {
      window.parent.postMessage(message, config.parent_origin);
    } catch (e) {
      native.warn.call(console, "preview: cannot report", e);
    }
  }

  /** Records one event and hands it to the page around the frame. */
  function record(kind, data) {
    if (state.events.length >= MAX_EVENTS && kind !== "done") {
      if (state.truncated) return;
      state.truncated = true;
      kind = "truncated";
      data = { max: MAX_EVENTS };
    }
    var event = { t: Date.now() - started, area: config.area, kind: kind, data: data || {} };
    state.events.push(event);
    toParent({ widgetryPreview: event });
  }

  /** Text of any value, short. */
  function text(value) {
    var s;
    try {
      s = typeof value === "string" ? value : JSON.stringify(value);
    } catch (e) {
      s = String(value);
    }
    if (s === undefined) s = String(value);
    return s.length > 500 ? s.slice(0, 500) + "…" : s;
  }

  /** The widget file, line and column an error's stack points at first, if any. */
  function where(error, fallbackUrl, fallbackLine, fallbackColumn) {
    var stack = (error && error.stack) || "";
    var re = /(https?:\/\/[^\s()]+?):(\d+):(\d+)/g;
    var m;
    while ((m = re.exec(stack))) {
      var file = widgetPath(m[1]);
      if (file) return { file: file, line: +m[2], column: +m[3] };
    }
    var own = fallbackUrl && widgetPath(fallbackUrl);
    if (own) return { file: own, line: fallbackLine || 0, column: fallbackColumn || 0 };
    return {};
  }

  /** The path inside the package of a URL under the version's files, or null. */
  function widgetPath(url) {
    var base = config.path + "/";
    if (url.indexOf(base) !== 0) return null;
    return url.slice(base.length).split("?")[0].split("#")[0];
  }

  ["log", "info", "warn", "error", "debug"].forEach(function (level) {
    console[level] = function () {
      var args = Array.prototype.slice.call(arguments);
      record("console", { level: level, text: args.map(text).join(" ") });
      native[level].apply(console, args);
    };
  });

  window.addEventListener("error", function (e) {
    if (e.target && e.target !== window) return; // a failed <script>/<img>: RequireJS or the CSP says it
    record("error", Object.assign({ message: String(e.message) }, where(e.error, e.filename, e.lineno, e.colno)));
  });
  window.addEventListener("unhandledrejection", function (e) {
    var reason = e.reason;
    record("rejection", Object.assign({ message: text(reason && reason.message ? reason.message : reason) }, where(reason)));
  });
  var seenHosts = {};
  document.addEventListener("securitypolicyviolation", function (e) {
    var url = e.blockedURI || "";
    var host = /^[a-z]+:\/\//i.test(url) ? url.split("/")[2] : url;
    var key = host + " " + e.effectiveDirective;
    if (seenHosts[key]) return;
    seenHosts[key] = true;
    record("external_request", {
      url: url.slice(0, 300), host: host, directive: e.effectiveDirective,
      file: widgetPath(e.sourceFile || "") || undefined, line: e.lineNumber || undefined,
    });
  });
  window.alert = function (message) { record("alert", { text: text(message) }); };
  window.confirm = function (message) { record("alert", { text: text(message), confirm: true }); return true; };
  window.prompt = function (message) { record("alert", { text: text(message), prompt: true }); return ""; };

  /** Asynchronous work the widget started and the host waits for before saying `done`. */
  var pending = 0;
  function begin() { pending += 1; }
  function end() { pending = Math.max(0, pending - 1); }

  // ---------------------------------------------------------------- fake CRM API
  var fixtures = config.fixtures;

  /** Whether a URL is one of the CRM's own (same-origin on amoCRM's page). */
  function crmPath(url) {
    var path = String(url);
    var origin = window.location.origin && window.location.origin !== "null" ? window.location.origin : "";
    if (origin && path.indexOf(origin) === 0) path = path.slice(origin.length);
    if (/^(https?:)?\/\//i.test(path)) return null;
    return /^\/(api|ajax|private|v3)\//.test(path) ? path.split("#")[0] : null;
  }

  /** The fixture answer to a CRM API call: [status, body]. */
  function crmAnswer(method, path) {
    var p = path.split("?")[0];
    var users = fixtures.users.map(function (u) {
      return { id: u.id, name: u.name, email: u.login, rights: { is_admin: u.is_admin } };
    });
    if (method === "GET" && p === "/api/v4/account") {
      return [200, { id: fixtures.account.id, name: fixtures.account.name, subdomain: fixtures.account.subdomain,
        current_user_id: fixtures.user.id, country: "RU", currency: "RUB", timezone: fixtures.account.timezone,
        _embedded: { task_types: fixtures.task_types } }];
    }
    if (method === "GET" && p === "/api/v4/users") return [200, { _embedded: { users: users } }];
    if (method === "GET" && /^\/api\/v4\/users\/\d+$/.test(p)) {
      var one = users.filter(function (u) { return "/api/v4/users/" + u.id === p; })[0];
      return one ? [200, one] : [404, { title: "Not Found", status: 404 }];
    }
    var fields = /^\/api\/v4\/(leads|contacts|companies|customers)\/custom_fields$/.exec(p);
    if (method === "GET" && fields) return [200, { _embedded: { custom_fields: fixtures.custom_fields } }];
    var entity = /^\/api\/v4\/(leads|contacts|companies|customers)\/(\d+)$/.exec(p);
    if (method === "GET" && entity) {
      return [200, { id: +entity[2], name: fixtures.card.name, custom_fields_values: [] }];
    }
    var list = /^\/api\/v4\/(leads|contacts|companies|customers|tasks)$/.exec(p);
    if (method === "GET" && list) {
      var rows = {};
      rows[list[1]] = fixtures.rows.map(function (r) { return { id: r.id, name: r.name }; });
      return [200, { _embedded: rows }];
    }
    return [404, { title: "Not Found", status: 404, detail: "the preview's CRM has no " + method + " " + p }];
  }

  function crmCall(method, path, body) {
    var answer = crmAnswer(method, path);
    record("crm_api", { method: method, path: path.slice(0, 300), status: answer[0], body: body ? text(body) : undefined });
    return answer;
  }

  window.fetch = function (input, init) {
    var url = typeof input === "string" ? input : input && input.url;
    var path = crmPath(url || "");
    if (!path) return settleLater(native.fetch.apply(window, arguments));
    var method = ((init && init.method) || (input && input.method) || "GET").toUpperCase();
    var answer = crmCall(method, path, init && init.body);
    return settleLater(
    Promise.resolve(new Response(JSON.stringify(answer[1]), {
      status: answer[0], headers: { "Content-Type": "application/json" },
    })));
  };
  /** `promise`, counted as pending until it settles (and a tick after, for its handlers). */
  function settleLater(promise) {
    begin();
    var done = function () { setTimeout(end, 0); };
    promise.then(done, done);
    return promise;
  }

  XMLHttpRequest.prototype.open = function (method, url, async) {
    if (async === false) record("sync_request", { url: String(url).slice(0, 300) });
    return native.open.apply(this, arguments);
  };

  // ---------------------------------------------------------------- loader
  var sandbox = config.assets;
  requirejs.config({
    waitSeconds: 15,
    paths: {
      jquery: sandbox + "/vendor/jquery.min",
      underscore: sandbox + "/vendor/underscore-min",
      "twig-lib": sandbox + "/vendor/twig.min",
      moment: sandbox + "/vendor/moment.min",
      text: sandbox + "/vendor/text",
    },
    config: { text: { useXhr: function () { return true; } } },
  });
  requirejs.onError = function (err) {
    var modules = err.requireModules || [];
    record("missing_module", {
      modules: modules.map(function (m) { return widgetPath(m) || m; }),
      type: err.requireType, message: text(err.message),
    });
  };

  define("twigjs", ["twig-lib"], function (Twig) {
    var registered = {};
    Twig.extend(function (T) { window.Twig = T; });
    function twig(params) {
      if (params && params.ref && !params.id && !registered[params.ref] && !Twig.twig({ ref: params.ref })) {
        record("missing_template", { ref: text(params.ref) });
        return null;
      }
      var t = Twig.twig(params);
      if (params && params.id) registered[params.id] = true;
      return t;
    }
    Object.keys(Twig).forEach(function (k) { twig[k] = Twig[k]; });
    Object.keys(CONTROLS).forEach(function (name) {
      twig({ id: "/tmpl/controls/" + name + ".twig", data: CONTROLS[name], allowInlineIncludes: true });
    });
    return twig;
  });

  // The system templates a widget renders with `render({ref: '/tmpl/controls/<name>.twig'}, params)`:
  // our own markup, amoCRM's parameter names and visible classes.
  var CONTROLS = {
    button:
      '<button type="{{ type|default("button") }}" class="button-input{% if blue %} button-input_blue{% endif %}' +
      '{% if disabled %} button-input-disabled{% endif %} {{ class_name }}"{% if id %} id="{{ id }}"{% endif %}' +
      '{% if name %} name="{{ name }}"{% endif %}{% if title %} title="{{ title }}"{% endif %}' +
      '{% if disabled %} disabled{% endif %} {{ additional_data|raw }}>' +
      '{% if icon_class_name %}<span class="{{ icon_class_name }}"></span>{% endif %}' +
      '<span class="button-input-inner__text">{{ text }}</span></button>',
    cancel_button:
      '<button type="button" class="button-input button-cancel {{ class_name }}"{% if id %} id="{{ id }}"{% endif %}>' +
      '<span class="button-input-inner__text">{{ text|default("Cancel") }}</span></button>',
    delete_button:
      '<button type="button" class="button-input button-input_red {{ class_name }}"{% if id %} id="{{ id }}"{% endif %}>' +
      '<span class="button-input-inner__text">{{ text|default("Delete") }}</span></button>',
    input:
      '<input type="{{ type|default("text") }}" class="text-input {{ class_name }}" name="{{ name }}" value="{{ value }}"' +
      '{% if id %} id="{{ id }}"{% endif %}{% if placeholder %} placeholder="{{ placeholder }}"{% endif %}' +
      '{% if max_length %} maxlength="{{ max_length }}"{% endif %}{% if disabled %} disabled{% endif %}' +
      '{% if readonly %} readonly{% endif %}{% if required %} required{% endif %}>',
    textarea:
      '<textarea class="textarea-input {{ class_name }}" name="{{ name }}"{% if id %} id="{{ id }}"{% endif %}' +
      '{% if placeholder %} placeholder="{{ placeholder }}"{% endif %}{% if maxlength %} maxlength="{{ maxlength }}"{% endif %}' +
      '{% if disabled %} disabled{% endif %}{% if readonly %} readonly{% endif %}>{{ value }}</textarea>',
    select:
      '<div class="control--select {{ class_name }}"><select class="control--select--input {{ input_special_class }}"' +
      ' name="{{ name }}"{% if id %} id="{{ id }}"{% endif %}{% if disabled %} disabled{% endif %}>' +
      '{% for item in items %}<option value="{{ item.id }}" class="{{ item.class_name }}"' +
      '{% if item.id == selected %} selected{% endif %}>{{ item.option }}</option>{% endfor %}</select></div>',
    checkbox:
      '<label class="control-checkbox {{ class_name }}{% if small %} control-checkbox_small{% endif %}">' +
      '<input type="checkbox" class="{{ input_class_name }}" name="{{ name }}" value="{{ value|default("Y") }}"' +
      '{% if id %} id="{{ id }}"{% endif %}{% if checked %} checked{% endif %}{% if disabled %} disabled{% endif %}>' +
      '<span class="control-checkbox__text {{ text_class_name }}">{{ text }}</span></label>',
    radio:
      '<label class="control-radio {{ class_name }}"><input type="radio" name="{{ name }}" value="{{ value }}"' +
      '{% if id %} id="{{ id }}"{% endif %}{% if checked %} checked{% endif %}{% if disabled %} disabled{% endif %}>' +
      '<span>{{ text }}</span></label>',
    checkboxes_dropdown:
      '<div class="checkboxes_dropdown {{ class_name }}">{% for item in items %}<label class="checkboxes_dropdown__item">' +
      '<input type="checkbox" name="{{ item.name }}" value="{{ item.id }}"{% if item.is_checked %} checked{% endif %}' +
      '{% if disabled %} disabled{% endif %}> {{ item.option }}</label>{% endfor %}</div>',
    date_field:
      '<input type="date" class="date_field {{ class_name }}" name="{{ name }}" value="{{ value }}"' +
      '{% if id %} id="{{ id }}"{% endif %}{% if disabled %} disabled{% endif %}>',
    file:
      '<input type="file" class="control--file {{ class_name }}" name="{{ name }}"{% if id %} id="{{ id }}"{% endif %}>',
  };

  define("lib/components/base/modal", ["jquery"], function ($) {
    function Modal(options) {
      options = options || {};
      var self = this;
      this.options = options;
      this.$modal = $('<div class="modal preview-modal"><div class="modal-body"></div></div>')
        .addClass(options.class_name || "");
      this.$body = this.$modal.find(".modal-body");
      if (options.init) {
        $("body").append(this.$modal);
        record("modal", { action: "open", class_name: options.class_name || "" });
        setTimeout(function () { guard("Modal init", function () { options.init.call(self, self.$body); }); }, 0);
      }
    }
    Modal.prototype.destroy = function () {
      record("modal", { action: "close" });
      if (this.options.destroy) guard("Modal destroy", this.options.destroy.bind(this));
      this.$modal.remove();
    };
    Modal.prototype.showSuccess = function (message) { record("modal", { action: "success", text: text(message) }); };
    Modal.prototype.showError = function (message) { record("modal", { action: "error", text: text(message) }); };
    return Modal;
  });

  // ---------------------------------------------------------------- widget object
  /** Runs `fn`, recording a throw with the widget file and line it came from. */
  function guard(name, fn) {
    try {
      return fn();
    } catch (e) {
      record("callback_threw", Object.assign({ callback: name, message: text(e && e.message ? e.message : e) }, where(e)));
      return undefined;
    }
  }

  function lookup(object, key) {
    return String(key).split(".").reduce(function (o, k) { return o && typeof o === "object" ? o[k] : undefined; }, object);
  }

  function widgetBase($, twig, langs) {
    var settings = Object.assign({}, config.settings, {
      widget_code: code, path: config.path, version: config.version, active: "Y", status: "installed",
      oauth_client_uuid: config.client_uuid,
    });
    var system = {
      area: config.area, amouser_id: String(fixtures.user.id), amouser: fixtures.user.login,
      amohash: "preview", subdomain: fixtures.account.subdomain, domain: fixtures.account.subdomain + ".amocrm.ru",
    };
    var base = {
      params: Object.assign({}, settings, {
        id: "1", widget_active: "Y", images_path: config.path + "/images",
      }),
      langs: langs,
      system: function () { return system; },
      i18n: function (key) { return lookup(this.langs, key); },
      set_lang: function (l) { this.langs = l; return this; },
      get_settings: function () { return Object.assign({}, settings); },
      set_settings: function (values) {
        Object.assign(settings, values);
        Object.assign(this.params, values);
        record("set_settings", { values: text(values) });
      },
      get_version: function () { return config.version; },
      get_install_status: function () { return config.install_status; },
      set_status: function (s) { record("set_status", { status: text(s) }); },
      render: function (data, params) {
        data = data || {};
        params = params || {};
        if (data.href) {
          var url = (data.base_path || config.path) + data.href + (data.v ? "?v=" + data.v : "");
          var load = data.load;
          var promise = new Promise(function (resolve, reject) {
            twig({ id: url, href: url, async: true, allowInlineIncludes: true,
              load: function (t) { if (load) guard("render load", function () { load(t); }); resolve(t); },
              error: function (e) { record("missing_template", { ref: text(data.href) }); reject(e); } });
          });
          return data.promised ? promise : "";
        }
        var template = data.ref ? twig({ ref: data.ref }) : twig({ data: String(data.data || "") });
        return template ? template.render(params) : "";
      },
      render_template: function (data, params) {
        data = data || {};
        var caption = data.caption || {};
        var body = (data.body || "") + (data.render ? twig({ data: String(data.render) }).render(params || {}) : "");
        var panel = $('<div class="card-widgets__widget"><div class="card-widgets__widget__caption js-widget-caption-block"></div>' +
          '<div class="card-widgets__widget__body"></div></div>')
          .addClass("card-widgets__widget-" + code).attr("data-code", code);
        panel.find(".card-widgets__widget__caption").addClass(caption.class_name || "").html(caption.html || "");
        panel.find(".card-widgets__widget__body").html(body);
        $("#widgets_block").append(panel);
        record("render_template", { caption: text(caption.class_name || "") });
        return panel;
      },
      crm_post: function (url, data, success, dataType, error) {
        record("crm_post", { url: text(url), data: text(data) });
        begin();
        setTimeout(function () {
          if (typeof error === "function") {
            guard("crm_post error", function () { error({ status: 0, statusText: "not sent: the preview sends nothing to other hosts" }); });
          }
          end();
        }, 0);
      },
      $authorizedAjax: function (options) {
        record("authorized_ajax", { url: text(options && options.url) });
        return $.Deferred().reject({ status: 0, statusText: "not sent in the preview" }).promise();
      },
      list_selected: function () {
        var selected = fixtures.rows.filter(function (r) { return state.checked.indexOf(r.id) >= 0; }).map(function (r) {
          return { id: r.id, type: fixtures.entity, name: r.name, emails: r.emails || [], phones: r.phones || [] };
        });
        return { selected: selected, summary: { items: selected.length }, count_selected: selected.length };
      },
      widgetsOverlay: function (on) { record("overlay", { on: !!on }); },
      add_action: function (type, fn) { state.actions[type] = fn; record("add_action", { type: text(type) }); },
      add_source: function (type, fn) { state.sources[type] = fn; record("add_source", { type: text(type) }); },
      get_pipeline_id: function () { return $.Deferred().resolve(fixtures.pipeline_id).promise(); },
      setSdkCatalogId: function (id) { record("sdk_catalog", { id: text(id) }); },
    };
    return base;
  }
  state.checked = [];
  state.actions = {};
  state.sources = {};

  /** APP / AMOCRM: constants and helpers widgets read; writes to it are recorded. */
  function appGlobal($, widget) {
    var constants = {
      user: { id: fixtures.user.id, name: fixtures.user.name, login: fixtures.user.login },
      user_rights: { is_admin: fixtures.user.is_admin ? "Y" : "N" },
      account: { id: fixtures.account.id, subdomain: fixtures.account.subdomain, timezone: fixtures.account.timezone,
        cf: {}, products: {} },
      managers: fixtures.users.reduce(function (m, u) {
        m[u.id] = { id: u.id, title: u.name, option: u.name, login: u.login, is_admin: u.is_admin ? "Y" : "N", active: true };
        return m;
      }, {}),
      groups: {}, task_types: fixtures.task_types,
    };
    var card = config.family === "card";
    var notify = function (kind) { return function (m) { record("notification", { kind: kind, text: text(m) }); }; };
    var app = {
      lang_id: config.lang,
      constant: function (key) { return constants[key]; },
      getBaseEntity: function () { return fixtures.entity; },
      isCard: function () { return card; },
      getWidgetsArea: function () { return config.widgets_area; },
      data: {
        current_card: card ? { id: fixtures.card.id, element_type: fixtures.element_type, main_user: fixtures.user.id,
          model: { get: function (k) { return fixtures.card[k]; }, set: function () {} } } : false,
        current_entity: fixtures.entity,
        current_view: { $el: $("#page") },
      },
      element_types: { contacts: 1, leads: 2, companies: 3, todo: 4, catalogs: 10, customers: 12 },
      cf_types: { text: 1, numeric: 2, checkbox: 3, select: 4, multiselect: 5, date: 6, url: 7, textarea: 9,
        radiobutton: 10, streetaddress: 11, smart_address: 13, birthday: 14 },
      system: { format: { date: { date: "DD.MM.YYYY", date_short: "DD.MM", full: "DD.MM.YYYY HH:mm" } } },
      notifications: { show_message: notify("message"), show_message_error: notify("error"),
        show_notification: notify("notification"), add_error: notify("error"), add_call: notify("call") },
      sdk: { showUserStatus: notify("user_status"), setCallingStatus: notify("calling_status") },
      router: { navigate: function (url) { record("navigate", { url: text(url) }); } },
      widgets: { system: widget.system(), list: {} },
    };
    app.widgets.list[code] = { params: widget.params };
    if (typeof Proxy !== "function") return app;
    return new Proxy(app, {
      set: function (target, key, value) {
        record("app_write", { key: String(key) });
        target[key] = value;
        return true;
      },
    });
  }

  // ---------------------------------------------------------------- areas
  /** Builds the DOM of the frame's area; returns what the lifecycle needs. */
  function buildArea($) {
    var page = $("#page");
    var family = config.family;
    if (family === "card") {
      var fields = $('<div class="card-fields"></div>');
      fixtures.card.fields.forEach(function (f) {
        var row = $('<div class="linked-form__field"><label></label><input></div>').attr("data-id", f.id);
        row.find("label").text(f.name);
        row.find("input").val(f.value).attr("name", "CFV[" + f.id + "]");
        if (f.type === "phone" || f.type === "email") {
          var link = $('<a href="#" class="preview-action"></a>').text(f.value).attr("data-type", f.type);
          link.on("click", function (e) {
            e.preventDefault();
            var fn = state.actions[f.type];
            record("action_click", { type: f.type, handled: !!fn });
            if (fn) guard("add_action(" + f.type + ")", function () { fn({ value: f.value }); });
          });
          row.append(link);
        }
        fields.append(row);
      });
      page.append($('<div class="card-holder"></div>').append($("<h1></h1>").text(fixtures.card.name), fields))
        .append('<div id="widgets_block" class="card-widgets"></div>');
    } else if (family === "list") {
      var table = $('<table class="list"><thead><tr><th></th><th>Name</th></tr></thead><tbody></tbody></table>');
      fixtures.rows.forEach(function (r) {
        var tr = $('<tr><td><input type="checkbox" class="list-row__checkbox"></td><td></td></tr>').attr("data-id", r.id);
        tr.find("td").eq(1).text(r.name);
        tr.find("input").attr("aria-label", r.name).on("change", function () {
          var i = state.checked.indexOf(r.id);
          if (this.checked && i < 0) state.checked.push(r.id);
          if (!this.checked && i >= 0) state.checked.splice(i, 1);
        });
        table.find("tbody").append(tr);
      });
      page.append(table).append(
        $('<div class="list-actions"><button type="button" id="preview-more" class="button-input">More: </button></div>'),
      );
    } else if (family === "settings") {
      var modal = $('<div class="modal widget-settings"><div class="modal-body"><div class="widget_settings_block">' +
        '<div class="widget_settings_block__descr"></div><div class="widget_settings_block__controls"></div>' +
        '<div class="widget-settings__desc-space"></div>' +
        '<button type="button" class="button-input button-input_blue js-widget-save">Save</button> ' +
        '<button type="button" class="button-input js-widget-disable">Disable</button></div></div></div>').addClass(code);
      page.append(modal);
    } else if (family === "advanced") {
      page.append($('<div class="work-area"></div>').attr("id", "work-area-" + code));
    } else if (family === "dp") {
      page.append($('<div class="digital-pipeline"><div class="dp-action modal-body"></div></div>'));
    } else if (family === "menu") {
      page.append($('<nav class="left-menu" aria-label="Left menu"><ul></ul></nav>'))
        .append($('<div class="work-area"></div>').attr("id", "work-area-" + code));
    } else if (family === "salesbot") {
      page.append($('<div class="salesbot-designer"><ul class="salesbot-designer__handlers"></ul>' +
        '<div class="salesbot-designer__block modal-body"><div class="salesbot-designer__body"></div>' +
        '<button type="button" class="button-input button-input_blue js-salesbot-save">Save</button></div></div>'));
    }
  }

  // ---------------------------------------------------------------- left menu
  /** amoCRM's own left-menu sections: a manifest may add submenu items to `stats` and
   *  `settings` and hide the others; every other key of `left_menu` is the widget's item. */
  var SYSTEM_SECTIONS = ["dashboard", "leads", "customers", "tasks", "catalogs", "mail", "stats", "settings"];

  /** The menu entries the manifest's `left_menu` gives, each with the parameters amoCRM
   *  passes to `initMenuPage` when it is opened. */
  function menuEntries(widget) {
    var menu = (config.manifest && config.manifest.left_menu) || {};
    var entries = [];
    var title = function (key, fallback) {
      var t = key ? widget.i18n(key) : undefined;
      return typeof t === "string" ? t : String(key || fallback);
    };
    Object.keys(menu).forEach(function (item) {
      var entry = menu[item];
      if (!entry || typeof entry !== "object") return;
      var system = SYSTEM_SECTIONS.indexOf(item) >= 0;
      if (!system) entries.push({ label: title(entry.title, item), depth: 0, params: { location: "widget_page", item_code: item } });
      var sub = entry.submenu && typeof entry.submenu === "object" ? entry.submenu : {};
      Object.keys(sub).sort(function (a, b) {
        return ((sub[a] && Number(sub[a].sort)) || 0) - ((sub[b] && Number(sub[b].sort)) || 0);
      }).forEach(function (subitem) {
        var label = title(sub[subitem] && sub[subitem].title, subitem);
        entries.push(system
          ? { label: item + " \u203a " + label, depth: 1, params: { location: item, subitem_code: subitem } }
          : { label: label, depth: 1, params: { location: "widget_page", item_code: item, subitem_code: subitem } });
      });
    });
    if (!entries.length) entries.push({ label: title("widget.name", code), depth: 0, params: { location: "widget_page" } });
    return entries;
  }

  /** Marks the `index`th of `links` as the page shown. */
  function markCurrent(links, index) {
    links.removeAttr("aria-current").eq(index).attr("aria-current", "page");
  }

  /** Opens one left-menu page: an empty work area, then `initMenuPage(params)`. */
  function openMenuPage($, widget, entry) {
    $("#work-area-" + code).empty();
    markCurrent($(".left-menu a"), entry.index);
    record("menu_page", entry.params);
    return call(widget, "initMenuPage", [Object.assign({}, entry.params)]);
  }

  // ---------------------------------------------------------------- Salesbot designer
  /** The manifest's Salesbot handlers (`salesbot_designer` without its `logo`). */
  function salesbotHandlers() {
    var designer = (config.manifest && config.manifest.salesbot_designer) || {};
    return Object.keys(designer).filter(function (key) {
      return key !== "logo" && designer[key] && typeof designer[key] === "object";
    }).map(function (key) { return { code: key, handler: designer[key] }; });
  }

  /** One row of the designer block, as the `renderRow` amoCRM hands to
   *  `salesbotDesignerSettings`: a caption and the control's markup. */
  function renderRow(title, content) {
    var row = document.createElement("div");
    row.className = "widget_settings_block__item_field";
    var caption = document.createElement("div");
    caption.className = "widget_settings_block__title_field";
    caption.textContent = text(title && typeof title === "object" ? title.title : title);
    var body = document.createElement("div");
    body.className = "widget_settings_block__input_field";
    var html = title && typeof title === "object" ? title.html || title.content : content;
    if (html && html.jquery) window.jQuery(body).append(html);
    else body.innerHTML = html === undefined || html === null ? "" : String(html);
    row.appendChild(caption);
    row.appendChild(body);
    return row.outerHTML;
  }

  /** Draws one handler's block: a field per declared parameter (typed ones as inputs, the
   *  others as a choice of card fields), then `salesbotDesignerSettings($body, renderRow,
   *  params)`. */
  function openSalesbotHandler($, widget, one) {
    var body = $(".salesbot-designer__body").empty();
    var params = {};
    var declared = (one && one.handler.settings) || {};
    Object.keys(declared).forEach(function (key) {
      var field = declared[key] || {};
      var label = widget.i18n(field.name);
      var value = field.default_value === undefined ? "" : widget.i18n(field.default_value);
      value = typeof value === "string" ? value : text(field.default_value === undefined ? "" : field.default_value);
      params[key] = value;
      var control;
      if (field.manual === false) {
        control = $("<select></select>").attr("name", key);
        fixtures.card.fields.forEach(function (f) {
          control.append($("<option></option>").val("{{lead.cf." + f.id + "}}").text(f.name));
        });
      } else {
        control = $("<input>").attr("type", field.type === "numeric" ? "number" : field.type === "url" ? "url" : "text")
          .attr("name", key).val(value);
      }
      body.append($(renderRow(typeof label === "string" ? label : key, "")).find(".widget_settings_block__input_field")
        .append(control).end());
    });
    if (one) markCurrent($(".salesbot-designer__handlers a"), one.index);
    record("salesbot_block", { handler: one ? one.code : "" });
    return call(widget, "salesbotDesignerSettings", [body, renderRow, params]).then(function (result) {
      if (result && typeof result === "object" && Array.isArray(result.exits)) {
        record("salesbot_exits", { exits: result.exits.map(function (e) { return text(e && (e.code || e.title)); }) });
      }
    });
  }

  /** Saves the open handler's block: `onSalesbotDesignerSave(handler_code, params)` must give
   *  the bot's steps as a JSON string. */
  function saveSalesbot($, widget, one) {
    var handler = one ? one.code : "";
    var params = {};
    $(".salesbot-designer__body").find("input, select, textarea").each(function () {
      if (this.name) params[this.name] = $(this).val();
    });
    record("save", { handler: handler });
    return call(widget, "onSalesbotDesignerSave", [handler, params]).then(function (steps) {
      var parsed;
      try {
        parsed = typeof steps === "string" ? JSON.parse(steps) : undefined;
      } catch (e) {
        parsed = undefined;
      }
      if (!parsed || typeof parsed !== "object") {
        record("salesbot_not_json", { handler: handler, result: text(steps) });
      } else {
        record("salesbot_steps", { handler: handler, steps: Array.isArray(parsed) ? parsed.length : 1 });
      }
    });
  }

  /** The settings modal's fields, generated from the manifest's `settings`. */
  function settingsFields($, widget) {
    var controls = $(".widget_settings_block__controls");
    var declared = (config.manifest && config.manifest.settings) || {};
    var values = config.settings;
    Object.keys(declared).forEach(function (key) {
      var field = declared[key] || {};
      var label = widget.i18n(field.name) || field.name || key;
      var row = $('<div class="widget_settings_block__item_field"><div class="widget_settings_block__title_field"></div>' +
        '<div class="widget_settings_block__input_field"></div></div>');
      row.find(".widget_settings_block__title_field").text(label);
      var input = row.find(".widget_settings_block__input_field");
      if (field.type === "users" || field.type === "users_lp") {
        fixtures.users.forEach(function (u) {
          input.append($("<label></label>").text(u.name + " ").append(
            $('<input type="text">').attr("name", key + "[" + u.id + "]").val(lookup(values[key], String(u.id)) || "")));
        });
      } else if (field.type === "custom") {
        input.append($('<input type="hidden">').attr("id", code + "_custom").attr("name", key).val(values[key] || ""))
          .append($("<div></div>").attr("id", code + "_custom_content"));
      } else {
        input.append($("<input>").attr("type", field.type === "pass" ? "password" : "text").attr("name", key)
          .val(values[key] === undefined ? "" : values[key]));
      }
      controls.append(row);
    });
    var descr = widget.i18n("widget.description") || "";
    $(".widget_settings_block__descr").text(typeof descr === "string" ? descr : "");
  }

  /** The values the settings modal holds, as amoCRM passes them to `onSave`. */
  function settingsValues($) {
    var fields = {};
    $(".widget_settings_block__controls").find("input, select, textarea").each(function () {
      var name = this.name;
      if (!name) return;
      var m = /^(.+)\[(\d+)\]$/.exec(name);
      if (m) {
        fields[m[1]] = fields[m[1]] || {};
        fields[m[1]][m[2]] = $(this).val();
      } else {
        fields[name] = $(this).val();
      }
    });
    return fields;
  }

  // ---------------------------------------------------------------- lifecycle
  var WATCHDOG_MS = 10000;

  /** Calls one callback with `this` = the callbacks object; records its outcome. */
  function call(widget, name, args, optional) {
    var callbacks = widget.callbacks || {};
    var fn = lookup(callbacks, name);
    if (typeof fn !== "function") {
      record(optional ? "callback_absent" : "callback_missing", { callback: name });
      return Promise.resolve(undefined);
    }
    var holder = name.indexOf(".") > 0 ? lookup(callbacks, name.split(".")[0]) : callbacks;
    var result;
    try {
      result = fn.apply(holder, args || []);
    } catch (e) {
      record("callback_threw", Object.assign({ callback: name, message: text(e && e.message ? e.message : e) }, where(e)));
      return Promise.resolve(false);
    }
    if (result && typeof result.then === "function") {
      return new Promise(function (resolve) {
        var timer = setTimeout(function () {
          record("callback_timeout", { callback: name, ms: WATCHDOG_MS });
          resolve(false);
        }, WATCHDOG_MS);
        result.then(function (value) {
          clearTimeout(timer);
          record("callback", { callback: name, result: text(value), promise: true });
          resolve(value);
        }, function (reason) {
          clearTimeout(timer);
          record("callback_rejected", Object.assign({ callback: name, message: text(reason && reason.message ? reason.message : reason) }, where(reason)));
          resolve(false);
        });
      });
    }
    record("callback", { callback: name, result: text(result) });
    return Promise.resolve(result);
  }

  var initialised = false;

  /** render; when truthy init and bind_actions (only the first time when the manifest says
   *  `init_once`). */
  function standard(widget) {
    return call(widget, "render").then(function (ok) {
      if (!ok) {
        record("render_declined", { result: text(ok) });
        return false;
      }
      var once = !!(config.manifest && config.manifest.widget && config.manifest.widget.init_once);
      if (once && initialised) {
        record("init_skipped", { reason: "init_once" });
        return true;
      }
      initialised = true;
      return call(widget, "init").then(function () { return call(widget, "bind_actions"); }).then(function () { return true; });
    });
  }

  function lifecycle($, widget) {
    var family = config.family;
    var chain = standard(widget);
    if (family === "settings") {
      chain = chain.then(function () {
        settingsFields($, widget);
        return call(widget, "settings", [$(".modal." + code + " .modal-body")]);
      }).then(function () {
        $(".js-widget-save").on("click", function () { save($, widget, "Y"); });
        $(".js-widget-disable").on("click", function () { save($, widget, "N"); });
        if (config.scenario === "save") return save($, widget, "Y");
        if (config.scenario === "disable") return save($, widget, "N");
      });
    } else if (family === "advanced") {
      chain = chain.then(function () { return call(widget, "advancedSettings"); });
    } else if (family === "dp") {
      chain = chain.then(function () { return call(widget, "dpSettings"); });
    } else if (family === "list") {
      var name = widget.i18n("widget.name") || code;
      $("#preview-more").append(document.createTextNode(typeof name === "string" ? name : code))
        .on("click", function () { massAction(widget); });
      if (config.scenario === "mass-action") {
        chain = chain.then(function () {
          $(".list-row__checkbox").slice(0, 2).prop("checked", true).trigger("change");
          return massAction(widget);
        });
      }
    } else if (family === "menu") {
      var entries = menuEntries(widget);
      chain = chain.then(function () {
        var list = $(".left-menu ul");
        entries.forEach(function (entry, i) {
          entry.index = i;
          var link = $('<a href="#"></a>').text(entry.label).on("click", function (e) {
            e.preventDefault();
            openMenuPage($, widget, entry);
          });
          list.append($("<li></li>").addClass("left-menu__item_depth-" + entry.depth).append(link));
        });
        if (config.scenario !== "menu-pages") return openMenuPage($, widget, entries[0]);
        return entries.reduce(function (p, entry) {
          return p.then(function () { return openMenuPage($, widget, entry); });
        }, Promise.resolve());
      });
    } else if (family === "salesbot") {
      var handlers = salesbotHandlers();
      chain = chain.then(function () {
        var list = $(".salesbot-designer__handlers");
        handlers.forEach(function (one, i) {
          one.index = i;
          var label = widget.i18n(one.handler.name);
          list.append($("<li></li>").append($('<a href="#"></a>').text(typeof label === "string" ? label : one.code)
            .on("click", function (e) {
              e.preventDefault();
              state.handler = one;
              openSalesbotHandler($, widget, one);
            })));
        });
        state.handler = handlers[0];
        $(".js-salesbot-save").on("click", function () { saveSalesbot($, widget, state.handler); });
        return openSalesbotHandler($, widget, handlers[0]).then(function () {
          if (config.scenario === "save") return saveSalesbot($, widget, handlers[0]);
        });
      });
    } else if (family === "card" && config.scenario === "phone-click") {
      chain = chain.then(function () { $('.preview-action[data-type="phone"]').first().trigger("click"); });
    }
    if (config.scenario === "area-switch") {
      // The user moves to another page of the CRM and back: destroy, then the sequence again.
      chain = chain.then(function () { return call(widget, "destroy", [], true); }).then(function () {
        record("area_change", { area: config.area });
        $(document).trigger("page:changed");
        return standard(widget);
      });
    }
    return chain;
  }

  function massAction(widget) {
    return call(widget, fixtures.entity + ".selected");
  }

  function save($, widget, active) {
    var data = { active: active, fields: settingsValues($) };
    record("save", { active: active });
    return call(widget, "onSave", [data]).then(function (ok) {
      if (ok) {
        widget.set_settings(data.fields);
        if (active === "N") return call(widget, "destroy");
      } else {
        record("save_refused", { result: text(ok) });
      }
    });
  }

  /** Loads the locale's i18n file (the widget's own `langs`). */
  function loadLangs() {
    var url = config.path + "/i18n/" + config.lang + ".json";
    return native.fetch.call(window, url).then(function (r) {
      if (!r.ok) {
        record("missing_file", { file: "i18n/" + config.lang + ".json", status: r.status });
        return {};
      }
      return r.json();
    }).catch(function (e) {
      record("missing_file", { file: "i18n/" + config.lang + ".json", message: text(e.message) });
      return {};
    });
  }

  var SETTLE_MS = 5000;
  /** The screenshot's limits: the server refuses more PNG than `config.limits.screenshot_bytes`
   *  (as base64, 4/3 of it) or a side over 4,096 pixels; drawing stops after SHOT_MS. */
  var PNG_PREFIX = "data:image/png;base64,";
  var MAX_SHOT_BYTES = config.limits.screenshot_bytes;
  var MAX_SHOT_CHARS = Math.ceil(MAX_SHOT_BYTES / 3) * 4 + PNG_PREFIX.length;
  var SHOT_MS = 5000;
  var PIXEL = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7";

  /** The area as drawn now, as a PNG data URL (null when it cannot be drawn): the frame's
   *  DOM rendered into a canvas by the browser (html-to-image), images that cannot be read
   *  shown blank. The widget could alter it: it shows what the widget drew, not evidence. */
  function screenshot() {
    // The whole body (modals the widget opened included; it has no margin or padding, so
    // the copy lays out as the page does).
    var node = document.body;
    if (!drawing || typeof drawing.toPng !== "function" || !node) {
      record("screenshot_skipped", { reason: "no drawer" });
      return Promise.resolve(null);
    }
    // As wide as the page, as tall as what is drawn on it (fixed modals included).
    var bottom = node.scrollHeight;
    Array.prototype.forEach.call(node.children, function (child) {
      bottom = Math.max(bottom, Math.ceil(child.getBoundingClientRect().bottom) + 16);
    });
    var width = Math.min(Math.max(document.documentElement.scrollWidth, node.scrollWidth, 320), 1280);
    var height = Math.min(Math.max(bottom, 200), 2400);
    var timer;
    var began = Date.now();
    return Promise.race([
      drawing.toPng(node, {
        width: width, height: height, pixelRatio: 1, backgroundColor: "#ffffff",
        skipFonts: true, imagePlaceholder: PIXEL, cacheBust: false,
      }),
      new Promise(function (resolve, reject) {
        timer = native.setTimeout(function () { reject(new Error("took longer than " + SHOT_MS / 1000 + " s")); }, SHOT_MS);
      }),
    ]).then(function (url) {
      native.clearTimeout(timer);
      if (typeof url !== "string" || url.length > MAX_SHOT_CHARS) {
        record("screenshot_skipped", { reason: "larger than " + MAX_SHOT_BYTES + " bytes" });
        return null;
      }
      record("screenshot", {
        width: width, height: height, bytes: Math.floor((url.length - PNG_PREFIX.length) * 3 / 4), ms: Date.now() - began,
      });
      return url;
    }, function (e) {
      native.clearTimeout(timer);
      record("screenshot_skipped", { reason: text(e && e.message ? e.message : e && e.type ? e.type : e) });
      return null;
    });
  }

  /** Says `done` once the widget's pending work settled (at most SETTLE_MS after the
   *  lifecycle ended; what comes later is still recorded). */
  function finish() {
    var waited = 0;
    (function check() {
      if (pending > 0 && waited < SETTLE_MS) {
        waited += 25;
        setTimeout(check, 25);
        return;
      }
      screenshot().then(function (shot) {
        state.screenshot = shot;
        // Before `done`, so the page has it when it offers to save the run.
        if (shot) toParent({ widgetryPreviewShot: shot });
        state.done = true;
        record("done", { events: state.events.length, unsettled: pending });
        reportNode.textContent = JSON.stringify(state.events, null, 1);
        // `widgetry preview` collects the run here (the server's page gets the messages).
        if (config.report_url) {
          native.fetch.call(window, config.report_url, {
            method: "POST", mode: "no-cors", body: JSON.stringify({ events: state.events, screenshot: shot }),
          }).catch(function (e) { native.warn.call(console, "preview: cannot report", e); });
        }
      });
    })();
  }

  record("start", { code: code, version: config.version, area: config.area, lang: config.lang });
  require(["jquery", "underscore", "twigjs", "moment", "text", "lib/components/base/modal"], function ($, _, twig, moment) {
    window.moment = moment;
    window._ = _;
    if (window.jQuery && window.jQuery.ajaxTransport) {
      window.jQuery.ajaxTransport("+*", function (options) {
        var path = crmPath(options.url);
        if (!path) return undefined;
        return {
          send: function (headers, complete) {
            var answer = crmCall((options.type || "GET").toUpperCase(), path, options.data);
            begin();
            setTimeout(function () {
              try {
                complete(answer[0], answer[0] === 200 ? "OK" : "Not Found", { text: JSON.stringify(answer[1]) },
                  "Content-Type: application/json");
              } finally {
                end();
              }
            }, 0);
          },
          abort: function () {},
        };
      });
    }
    buildArea($);
    loadLangs().then(function (langs) {
      window.APP = window.AMOCRM = null;
      require([config.path + "/script.js"], function (Widget) {
        if (typeof Widget !== "function") {
          record("no_constructor", { type: typeof Widget });
          return finish();
        }
        var base = widgetBase($, twig, langs);
        window.APP = window.AMOCRM = appGlobal($, base);
        var widget;
        try {
          Widget.prototype = base;
        } catch (e) {
          record("es_class", { message: text(e.message) });
        }
        try {
          widget = new Widget();
        } catch (e) {
          record("constructor_threw", Object.assign({ message: text(e && e.message ? e.message : e) }, where(e)));
          return finish();
        }
        if (Object.getPrototypeOf(widget) !== base && !(widget && widget.system)) {
          record("es_class", { message: "the widget is not a plain constructor function: amoCRM injects its methods into the prototype" });
        }
        if (!widget || typeof widget.callbacks !== "object") {
          record("no_callbacks", {});
          return finish();
        }
        state.widget = widget;
        lifecycle($, widget).then(finish, function (e) {
          record("error", { message: text(e && e.message) });
          finish();
        });
      }, function (err) {
        var modules = ((err && err.requireModules) || []).map(function (m) { return widgetPath(m) || m; });
        var own = modules.length === 1 && modules[0] === "script.js";
        record(own ? "script_failed" : "missing_module", {
          modules: modules, type: err && err.requireType, message: text(err && err.message),
        });
        finish();
      });
    });
  });
})();
