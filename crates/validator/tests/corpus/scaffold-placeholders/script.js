/**
 * My widget: the widget's code.
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
    var ROOT_CLASS = 'my-widget-root';

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
          .off('click.my_widget')
          .on('click.my_widget', '.' + ROOT_CLASS + '__hello', function () {
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
        $(document).off('click.my_widget');
      }
    };

    return this;
  };

  return CustomWidget;
});
