/*
 * Callstat: call statistics of a contact or company.
 * Widget code callstat_reports (registered in 2017, before amoMarket).
 */
define(['jquery', 'underscore', 'twigjs'], function ($, _, Twig) {
  var CallstatWidget = function () {
    var self = this;
    var api = 'https://callstat.ru/api/v3/';

    this.getTemplate = function (template, params, callback) {
      params = typeof params === 'object' ? params : {};
      template = template || '';
      return self.render(
        {
          href: '/templates/' + template + '.twig',
          base_path: self.params.path,
          load: callback
        },
        params
      );
    };

    this.stats = function (phones, done) {
      var settings = self.get_settings();
      self.crm_post(
        api + 'stats',
        {
          login: settings.login,
          key: settings.api_key,
          domain: self.system().domain,
          phones: phones.join(',')
        },
        function (response) {
          done(response && response.result ? response.result : null);
        },
        'json',
        function () {
          done(null);
        }
      );
    };

    this.phones = function () {
      var phones = [];
      $('input[name^="CFV"][data-type="phone"], .js-control-phone input').each(function () {
        var value = $.trim($(this).val());
        if (value) {
          phones.push(value.replace(/[^\d+]/g, ''));
        }
      });
      return _.uniq(phones);
    };

    this.callbacks = {
      render: function () {
        var lang = self.i18n('userLang');
        var phones = self.phones();
        if (!phones.length) {
          return true;
        }
        self.stats(phones, function (result) {
          self.getTemplate('panel', {}, function (template) {
            self.render_template({
              caption: { class_name: 'callstat-caption' },
              body: '',
              render: template.render({
                lang: lang,
                result: result,
                total: result ? result.incoming + result.outgoing : 0
              })
            });
          });
        });
        return true;
      },
      init: function () {
        return true;
      },
      bind_actions: function () {
        $(document).on('click', '.callstat-panel__more', function () {
          $('.callstat-panel__details').toggle();
        });
        return true;
      },
      settings: function () {
        return true;
      },
      onSave: function () {
        return true;
      },
      destroy: function () {
        $(document).off('click', '.callstat-panel__more');
      }
    };
    return this;
  };

  return CallstatWidget;
});
