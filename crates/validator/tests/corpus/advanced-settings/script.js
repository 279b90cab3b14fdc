/**
 * Lead Router (Routemap).
 *
 * - settings($modal_body): draws the consent checkbox of the `custom` settings field; its
 *   value is stored as JSON in the hidden input #<code>_custom.
 * - advancedSettings(): the widget's own page under Settings, where the rules are edited.
 */
define(['jquery', 'underscore'], function ($, _) {
  'use strict';

  var API = 'https://api.routemap-crm.ru/v2';

  var RoutemapWidget = function () {
    var self = this;
    var rules = [];

    function t(group) {
      return self.i18n(group) || {};
    }

    function code() {
      return self.get_settings().widget_code;
    }

    function request(method, path, data) {
      return $.ajax({
        url: API + path,
        method: method,
        contentType: 'application/json',
        data: data ? JSON.stringify(data) : undefined,
        headers: {
          'X-Api-Key': self.get_settings().api_key,
          'X-Account': self.system().subdomain
        }
      });
    }

    function readConsent() {
      try {
        return JSON.parse($('#' + code() + '_custom').val() || '{}');
      } catch (e) {
        return {};
      }
    }

    function drawConsent() {
      var lang = t('consent');
      var consent = readConsent();
      var $content = $('#' + code() + '_custom_content');
      $content.html(
        '<label class="routemap-consent">' +
          '<input type="checkbox" class="routemap-consent__box"' + (consent.accepted ? ' checked' : '') + '> ' +
          _.escape(lang.text) +
          '</label> <a class="routemap-consent__policy" target="_blank" href="https://routemap-crm.ru/privacy">' +
          _.escape(lang.policy) + '</a>'
      );
      $content.on('change', '.routemap-consent__box', function () {
        var value = this.checked ? JSON.stringify({ accepted: true, at: Date.now() }) : '';
        $('#' + code() + '_custom').val(value).trigger('change');
      });
    }

    function renderRules($page) {
      var lang = t('advanced');
      var fields = { source: lang.source, city: lang.city, budget_from: lang.budget_from };
      var $list = $page.find('.routemap-page__rules').empty();
      _.each(rules, function (rule, index) {
        self.render(
          {
            href: '/templates/rule.twig',
            base_path: self.params.path,
            load: function (template) {
              $list.append(template.render({ rule: rule, index: index, fields: fields, lang: lang }));
            }
          },
          {}
        );
      });
    }

    function collect($page) {
      return $page
        .find('.routemap-page__rule')
        .map(function () {
          var $rule = $(this);
          return {
            field: $rule.find('[name="field"]').val(),
            value: $rule.find('[name="value"]').val(),
            managers: _.compact(String($rule.find('[name="managers"]').val()).split(','))
          };
        })
        .get();
    }

    this.callbacks = {
      render: function () {
        return true;
      },
      init: function () {
        return true;
      },
      bind_actions: function () {
        return true;
      },
      settings: function ($modal_body) {
        $modal_body.find('.widget_settings_block').addClass('routemap-settings');
        drawConsent();
        return true;
      },
      onSave: function () {
        return Boolean(readConsent().accepted);
      },
      advancedSettings: function () {
        var lang = t('advanced');
        var $page = $('#work-area-' + code());
        $page.html(
          '<div class="routemap-page">' +
            '<h1 class="routemap-page__title">' + _.escape(lang.title) + '</h1>' +
            '<h2 class="routemap-page__subtitle">' + _.escape(lang.rules) + '</h2>' +
            '<div class="routemap-page__rules"></div>' +
            '<button type="button" class="routemap-page__add">' + _.escape(lang.add_rule) + '</button> ' +
            '<button type="button" class="routemap-page__save">' + _.escape(lang.save) + '</button>' +
            '<p class="routemap-page__status"></p>' +
            '</div>'
        );
        request('GET', '/rules').done(function (response) {
          rules = response.rules || [];
          renderRules($page);
        });
        $page
          .off('.routemap')
          .on('click.routemap', '.routemap-page__add', function () {
            rules = collect($page).concat([{ field: 'source', value: '', managers: [] }]);
            renderRules($page);
          })
          .on('click.routemap', '.routemap-page__remove', function () {
            var index = $(this).closest('.routemap-page__rule').data('index');
            rules = collect($page);
            rules.splice(index, 1);
            renderRules($page);
          })
          .on('click.routemap', '.routemap-page__save', function () {
            rules = collect($page);
            request('PUT', '/rules', { rules: rules })
              .done(function () {
                $page.find('.routemap-page__status').text(lang.saved);
              })
              .fail(function () {
                $page.find('.routemap-page__status').text(lang.failed);
              });
          });
      },
      destroy: function () {}
    };

    return this;
  };

  return RoutemapWidget;
});
