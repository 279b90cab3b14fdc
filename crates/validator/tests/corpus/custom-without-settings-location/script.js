/**
 * GorodKod Phone Region: city, carrier and local time of the client in the card.
 *
 * The `regions` settings field is a custom field (a table of region → manager), drawn in
 * settings() into #<code>_custom_content and saved as JSON in #<code>_custom.
 */
define(['jquery', 'underscore'], function ($, _) {
  'use strict';

  var API = 'https://api.gorodkod.ru/v1/phone/';
  var ROOT = 'gorodkod';

  var GorodKodWidget = function () {
    var self = this;

    function t(key) {
      return (self.i18n('card') || {})[key] || key;
    }

    function regions() {
      try {
        return JSON.parse(self.get_settings().regions || '{}');
      } catch (e) {
        return {};
      }
    }

    function firstPhone() {
      var value = $('.card-entity-form .control-phone input[type="text"]').first().val() || '';
      return value.replace(/\D+/g, '');
    }

    function localTime(offsetMinutes) {
      var now = new Date();
      var utc = now.getTime() + now.getTimezoneOffset() * 60000;
      return new Date(utc + offsetMinutes * 60000);
    }

    function draw(info) {
      var $body = $('.' + ROOT + '__body');
      if (!info || !info.city) {
        $body.text(t('unknown'));
        return;
      }
      var time = localTime(info.utc_offset);
      var hours = time.getHours();
      var manager = regions()[info.region_code];
      $body.html(
        '<div>' + t('city') + ': <b>' + _.escape(info.city) + '</b></div>' +
          '<div>' + t('operator') + ': ' + _.escape(info.operator) + '</div>' +
          '<div>' + t('local_time') + ': ' + (hours < 10 ? '0' : '') + hours + ':' +
          ('0' + time.getMinutes()).slice(-2) + '</div>' +
          (hours < 8 || hours >= 22 ? '<div class="' + ROOT + '__night">' + t('night') + '</div>' : '') +
          (manager ? '<div>' + t('region_manager') + ': ' + _.escape(manager) + '</div>' : '')
      );
    }

    this.callbacks = {
      render: function () {
        self.render_template({
          caption: { class_name: ROOT + '__caption' },
          body: '',
          render: '<div class="' + ROOT + '"><div class="' + ROOT + '__body"></div></div>'
        });
        return true;
      },
      init: function () {
        var phone = firstPhone();
        if (phone.length >= 10) {
          $.ajax({
            url: API + phone,
            dataType: 'json',
            headers: { 'X-Api-Key': self.get_settings().api_key }
          }).done(draw);
        }
        return true;
      },
      bind_actions: function () {
        return true;
      },
      settings: function () {
        var code = self.get_settings().widget_code;
        var current = regions();
        var rows = _.map(current, function (manager, region) {
          return '<tr><td>' + _.escape(region) + '</td><td>' + _.escape(manager) + '</td></tr>';
        }).join('');
        $('#' + code + '_custom_content').html(
          '<table class="' + ROOT + '-regions">' + rows + '</table>' +
            '<textarea class="' + ROOT + '-regions__json" rows="4">' + _.escape(JSON.stringify(current)) + '</textarea>'
        );
        $('.' + ROOT + '-regions__json').on('change', function () {
          $('#' + code + '_custom').val($(this).val()).trigger('change');
        });
        return true;
      },
      onSave: function () {
        return true;
      },
      destroy: function () {}
    };

    return this;
  };

  return GorodKodWidget;
});
