//! `script.js`: the AMD module the CRM loads, with the callbacks every widget needs and the
//! callback of each declared location, commented for a newcomer.

use crate::Plan;

const HEAD: &str = r#"/**
 * {NAME}: the widget's code.
 *
 * The CRM loads this file as a RequireJS (AMD) module and calls the functions in
 * `this.callbacks` at the right moments. Inside a callback `this` is not the widget,
 * so always use `self`.
 *
 * Useful widget methods: self.i18n('ui') (texts from i18n/<locale>.json),
 * self.get_settings() (values of the settings form, plus `path` and `version`),
 * self.system() (current area, user, account), self.render_template() (right panel).
 */
define(['jquery'], function ($) {
  'use strict';

  var CustomWidget = function () {
    var self = this;

    // Every element the widget draws lives under this class, so style.css never
    // touches the CRM's own elements.
    var ROOT_CLASS = '{ROOT}';

    // Adds style.css once; `?v=` makes browsers fetch it again after each new version.
    function loadStyles() {
      var settings = self.get_settings();
      var href = settings.path + '/style.css?v=' + settings.version;
      if (!$('link[href="' + href + '"]').length) {
        $('head').append('<link type="text/css" rel="stylesheet" href="' + href + '">');
      }
    }

    // Texts of the current language: the `ui` section of i18n/<locale>.json.
    function text(key) {
      var ui = self.i18n('ui') || {};
      return ui[key] || key;
    }

    this.callbacks = {
      // Called first, each time the widget loads in one of its locations.
      // Must return true, otherwise init and bind_actions are skipped.
      render: function () {
        loadStyles();
        var area = self.system().area;
        // In cards the widget has a panel on the right: draw it.
        if (area === 'lcard' || area === 'ccard' || area === 'comcard' || area === 'cucard') {
          self.render_template({
            caption: { class_name: ROOT_CLASS + '__caption' },
            body: '',
            render: '<div class="' + ROOT_CLASS + '"><p class="' + ROOT_CLASS +
              '__hello"></p></div>'
          });
          $('.' + ROOT_CLASS + '__hello').text(text('hello'));
        }
        return true;
      },

      // Called right after render: prepare data, start timers, and so on.
      init: function () {
        return true;
      },

      // Attach event handlers here. Use delegated handlers under the root class.
      bind_actions: function () {
        $(document)
          .off('click.{SLUG}')
          .on('click.{SLUG}', '.' + ROOT_CLASS + '__hello', function () {
            $(this).toggleClass(ROOT_CLASS + '__hello--active');
          });
        return true;
      },

      // The settings modal was opened; $modal_body is its right-hand part.
      settings: function ($modal_body) {
        $modal_body.find('.widget_settings_block').addClass(ROOT_CLASS);
        return true;
      },

      // Install or Save was pressed (also called when the widget is switched off).
      // Return true to let the CRM save the settings.
      onSave: function () {
        return true;
      },

      // The widget is switched off, or the user moves to another area: clean up.
      destroy: function () {
        $(document).off('click.{SLUG}');
      }"#;

const ADVANCED: &str = r#",

      // Location `advanced_settings`: the widget's own page under Settings.
      advancedSettings: function () {
        var $page = $('#work-area-' + self.get_settings().widget_code);
        $page.html('<div class="' + ROOT_CLASS + '"><h2 class="' + ROOT_CLASS +
          '__title"></h2></div>');
        $page.find('.' + ROOT_CLASS + '__title').text(text('panel_title'));
      }"#;

const DP: &str = r#",

      // Location `digital_pipeline`: the action's settings in the Digital Pipeline.
      dpSettings: function () {
        return true;
      }"#;

const MENU: &str = r#",

      // Location `widget_page`: the widget's item in the left menu was opened.
      // params.location, params.item_code and params.subitem_code say which one.
      initMenuPage: function (params) {
        var $page = $('#work-area-' + self.get_settings().widget_code);
        $page.html('<div class="' + ROOT_CLASS + '"><h1 class="' + ROOT_CLASS +
          '__title"></h1></div>');
        $page.find('.' + ROOT_CLASS + '__title').text(text('panel_title'));
        return params;
      }"#;

const SALESBOT: &str = r#",

      // Location `salesbot_designer`: the block's settings in the Salesbot designer.
      salesbotDesignerSettings: function ($body, renderRow, params) {
        return { exits: [] };
      },

      // The block was saved in the Salesbot designer: return the bot steps as a JSON
      // string. Here the bot sends the message text to your server.
      onSalesbotDesignerSave: function (handler_code, params) {
        return JSON.stringify([{
          question: [{
            handler: 'widget_request',
            params: {
              url: '{ORIGIN}/widget/salesbot',
              data: { handler: handler_code, text: params.text }
            }
          }]
        }]);
      }"#;

const CARD_SDK: &str = r#",

      // Location `card_sdk`: the widget's tab in cards. Each returns a Promise of
      // items: { id, sku, name, price, quantity }.
      loadPreloadedData: function () {
        return Promise.resolve([]);
      },

      loadElements: function (type, id) {
        return Promise.resolve([]);
      },

      linkCard: function (links) {
        return Promise.resolve();
      },

      searchDataInCard: function (query, type, id) {
        return Promise.resolve([]);
      }"#;

const CATALOGS: &str = r#",

      // Location `catalogs`: an element of the widget's catalog is being edited.
      loadCatalogElement: function (element) {
        return true;
      }"#;

const LEAD_SOURCES: &str = r#",

      // Location `lead_sources`: the widget was added as a source in a pipeline.
      onAddAsSource: function (pipeline_id) {
        return true;
      }"#;

const SMS: &str = r#",

      // Location `sms`: the widget is used as a message source.
      onSource: function () {
        return true;
      }"#;

/// A list area's callback group: (area, callbacks key, what is selected).
const LISTS: &[(&str, &str, &str)] = &[
    ("llist", "leads", "leads"),
    ("clist", "contacts", "contacts"),
    ("tlist", "todo", "tasks"),
];

const LIST: &str = r#",

      // Location `{AREA}`: {WHAT} were ticked in the list and the widget was chosen in
      // the "More" menu. self.list_selected().selected holds them.
      {KEY}: {
        selected: function () {
          var selected = self.list_selected().selected || [];
          return selected.length > 0;
        }
      }"#;

const TAIL: &str = r#"
    };

    return this;
  };

  return CustomWidget;
});
"#;

pub(crate) fn script(plan: &Plan<'_>) -> String {
    let mut s = String::from(HEAD);
    let parts: &[(&str, &str)] = &[
        ("advanced_settings", ADVANCED),
        ("digital_pipeline", DP),
        ("widget_page", MENU),
        ("salesbot_designer", SALESBOT),
        ("card_sdk", CARD_SDK),
        ("catalogs", CATALOGS),
        ("lead_sources", LEAD_SOURCES),
        ("sms", SMS),
    ];
    for (area, part) in parts {
        if plan.has(area) {
            s.push_str(part);
        }
    }
    for (area, key, what) in LISTS {
        if plan.has(area) {
            s.push_str(
                &LIST
                    .replace("{AREA}", area)
                    .replace("{KEY}", key)
                    .replace("{WHAT}", what),
            );
        }
    }
    s.push_str(TAIL);
    fill(&s, plan)
}

/// `amoforms.js`, loaded next to script.js for the `amoforms` location.
pub(crate) fn amoforms(plan: &Plan<'_>) -> String {
    fill(
        r#"/**
 * {NAME}: the widget's part inside web forms (location `amoforms`).
 * It is loaded as an AMD module next to script.js.
 */
define(['jquery'], function ($) {
  'use strict';

  return function () {
    // Called when the form with the widget's field is drawn.
    this.render = function ($field) {
      $field.addClass('{ROOT}');
      return true;
    };
    return this;
  };
});
"#,
        plan,
    )
}

fn fill(template: &str, plan: &Plan<'_>) -> String {
    template
        .replace("{NAME}", &js_comment_safe(&plan.opts.name))
        .replace("{ROOT}", &plan.root_class)
        .replace("{SLUG}", &plan.slug)
        .replace("{ORIGIN}", &plan.origin)
}

/// The name with anything that could end a comment or a line taken out.
fn js_comment_safe(name: &str) -> String {
    name.replace("*/", "* /")
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}
