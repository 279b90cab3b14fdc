/**
 * Chekbox receipts: a fiscal receipt for the lead, sent to the client.
 *
 * The receipt form is a separate module; during development it is served by `npm run dev`
 * through a tunnel so that it can be reloaded without re-uploading the widget.
 */
define([
  'jquery',
  'https://7c1e-85-143-112-41.ngrok-free.app/receipt-form.js'
], function ($, ReceiptForm) {
  'use strict';

  var API = 'https://api.chekbox-online.ru/v1';
  var ROOT = 'chekbox-receipt';

  var ChekboxWidget = function () {
    var self = this;

    function t(key) {
      return (self.i18n('receipt') || {})[key] || key;
    }

    function clientContacts() {
      var emails = [];
      var phones = [];
      $('.linked-forms__item [data-pei-code="email"] input').each(function () {
        if ($(this).val()) {
          emails.push($(this).val());
        }
      });
      $('.linked-forms__item [data-pei-code="phone"] input').each(function () {
        if ($(this).val()) {
          phones.push($(this).val());
        }
      });
      return { email: emails[0] || '', phone: phones[0] || '' };
    }

    function sendReceipt(items) {
      var settings = self.get_settings();
      var contact = clientContacts();
      if (!contact.email && !contact.phone) {
        return $.Deferred().reject({ reason: 'no_contact' }).promise();
      }
      return $.ajax({
        url: API + '/kassa/' + encodeURIComponent(settings.kassa_id) + '/receipts',
        method: 'POST',
        contentType: 'application/json',
        headers: { Authorization: 'Bearer ' + settings.token },
        data: JSON.stringify({
          lead_id: APP.data.current_card.id,
          client: contact,
          items: items
        })
      });
    }

    this.callbacks = {
      render: function () {
        if (self.system().area !== 'lcard') {
          return true;
        }
        self.render_template({
          caption: { class_name: ROOT + '__caption' },
          body: '',
          render: '<div class="' + ROOT + '"><div class="' + ROOT + '__form"></div>' +
            '<button type="button" class="' + ROOT + '__send">' + t('button') + '</button>' +
            '<p class="' + ROOT + '__status"></p></div>'
        });
        return true;
      },
      init: function () {
        ReceiptForm.mount($('.' + ROOT + '__form')[0], { leadId: APP.data.current_card.id });
        return true;
      },
      bind_actions: function () {
        $(document).on('click.chekbox', '.' + ROOT + '__send', function () {
          var $status = $('.' + ROOT + '__status');
          sendReceipt(ReceiptForm.items())
            .done(function () {
              $status.text(t('sent'));
            })
            .fail(function (error) {
              $status.text(error && error.reason === 'no_contact' ? t('no_contact') : t('failed'));
            });
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
        $(document).off('click.chekbox');
        ReceiptForm.unmount();
      }
    };

    return this;
  };

  return ChekboxWidget;
});
