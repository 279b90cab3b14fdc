/**
 * Finplan Payment Schedule.
 *
 * Texts come from i18n/<locale>.json through self.i18n(): `calendar` holds arrays (month
 * and weekday names) and numbers (first day of week, defaults, limits), `payments` the
 * labels. Settings hints sit next to their names (settings.<field>.hint).
 */
define(['jquery'], function ($) {
  'use strict';

  var ROOT = 'finplan-schedule';
  var API = 'https://api.finplan-crm.ru/v1';

  var FinplanWidget = function () {
    var self = this;
    var payments = [];

    function calendar() {
      return self.i18n('calendar') || { months_genitive: [], max_payments: 24 };
    }

    function labels() {
      return self.i18n('payments') || {};
    }

    function formatDate(iso) {
      var parts = String(iso).split('-');
      var month = calendar().months_genitive[Number(parts[1]) - 1] || parts[1];
      return Number(parts[2]) + ' ' + month + ' ' + parts[0];
    }

    function formatAmount(amount) {
      var currency = self.get_settings().currency || 'RUB';
      var locale = self.system().lang === 'ru' ? 'ru-RU' : 'en-GB';
      return Number(amount).toLocaleString(locale, { style: 'currency', currency: currency });
    }

    function reminderDays() {
      var days = parseInt(self.get_settings().reminder_days, 10);
      return days >= 1 && days <= 14 ? days : calendar().default_reminder_days;
    }

    function request(method, path, data) {
      return $.ajax({
        url: API + path,
        method: method,
        contentType: 'application/json',
        data: data ? JSON.stringify(data) : undefined,
        headers: { 'X-Api-Key': self.get_settings().api_key }
      });
    }

    function draw() {
      var t = labels();
      var today = new Date().toISOString().slice(0, 10);
      var left = 0;
      var rows = payments.map(function (p, i) {
        var state = p.paid ? 'paid' : p.due < today ? 'overdue' : 'open';
        if (!p.paid) {
          left += Number(p.amount);
        }
        return (
          '<tr class="' + ROOT + '__row ' + ROOT + '__row--' + state + '" data-index="' + i + '">' +
          '<td>' + formatDate(p.due) + '</td>' +
          '<td>' + formatAmount(p.amount) + '</td>' +
          '<td><label><input type="checkbox" class="' + ROOT + '__paid"' + (p.paid ? ' checked' : '') +
          '> ' + t.paid + '</label></td>' +
          '</tr>'
        );
      });
      $('.' + ROOT + '__body').html(
        '<table class="' + ROOT + '__table"><thead><tr><th>' + t.due + '</th><th>' + t.amount +
          '</th><th></th></tr></thead><tbody>' + rows.join('') + '</tbody></table>' +
          '<p class="' + ROOT + '__left">' + t.left + ': ' + formatAmount(left) + '</p>'
      );
    }

    function load() {
      var card = APP.data.current_card;
      if (!card) {
        return;
      }
      request('GET', '/leads/' + card.id + '/payments')
        .done(function (response) {
          payments = response.payments || [];
          draw();
        })
        .fail(function (xhr) {
          console.error('Finplan: schedule not loaded', xhr.status);
        });
    }

    function addPayment() {
      var t = labels();
      var max = calendar().max_payments;
      if (payments.length >= max) {
        $('.' + ROOT + '__message').text(t.too_many.replace('{max}', max));
        return;
      }
      var next = new Date();
      next.setMonth(next.getMonth() + payments.length + 1);
      payments.push({ due: next.toISOString().slice(0, 10), amount: 0, paid: false });
      draw();
    }

    this.callbacks = {
      render: function () {
        if (self.system().area !== 'lcard') {
          return true;
        }
        var t = labels();
        self.render_template({
          caption: { class_name: ROOT + '__caption' },
          body: '',
          render:
            '<div class="' + ROOT + '"><div class="' + ROOT + '__body"></div>' +
            '<p class="' + ROOT + '__message"></p>' +
            '<button type="button" class="' + ROOT + '__add">' + t.add + '</button></div>'
        });
        return true;
      },
      init: function () {
        load();
        return true;
      },
      bind_actions: function () {
        $(document)
          .on('click.finplan', '.' + ROOT + '__add', addPayment)
          .on('change.finplan', '.' + ROOT + '__paid', function () {
            var index = $(this).closest('tr').data('index');
            var card = APP.data.current_card;
            payments[index].paid = this.checked;
            request('PUT', '/leads/' + card.id + '/payments', {
              payments: payments,
              remind_days: reminderDays()
            });
            draw();
          });
        return true;
      },
      settings: function ($modal_body) {
        // Show each field's hint under it: settings.<field>.hint from the i18n file.
        var texts = self.i18n('settings') || {};
        $.each(texts, function (field, text) {
          if (text && text.hint) {
            $modal_body
              .find('input[name="' + field + '"]')
              .after('<div class="' + ROOT + '__hint">' + text.hint + '</div>');
          }
        });
        return true;
      },
      onSave: function () {
        return true;
      },
      destroy: function () {
        $(document).off('.finplan');
      }
    };

    return this;
  };

  return FinplanWidget;
});
