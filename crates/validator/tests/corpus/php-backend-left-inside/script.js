/**
 * Botkit Telegram Notifier.
 *
 * Sends a message to a Telegram chat when a lead is created or changes stage. The widget
 * only connects the account: the notifications themselves are sent by our server, which
 * receives amoCRM webhooks.
 */
define(['jquery'], function ($) {
  'use strict';

  var CONNECT_URL = 'https://api.botkit-studio.ru/amo/telegram/connect';
  var STATUS_URL = 'https://api.botkit-studio.ru/amo/telegram/status';

  var BotkitNotifier = function () {
    var self = this;

    function texts() {
      return self.i18n('telegram') || {};
    }

    function account() {
      var system = self.system();
      return { subdomain: system.subdomain, user_id: system.amouser_id };
    }

    function showStatus($holder) {
      var t = texts();
      $holder.text(t.checking);
      self.crm_post(
        STATUS_URL,
        account(),
        function (response) {
          if (response && response.connected) {
            $holder.text(t.connected + ' ' + response.chat_title);
          } else {
            $holder.text(t.not_connected);
          }
        },
        'json',
        function () {
          $holder.text(t.unreachable);
        }
      );
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
        var $status = $('<p class="botkit-notifier__status"></p>');
        $modal_body.find('.widget_settings_block').append($status);
        showStatus($status);
        return true;
      },
      onSave: function (params) {
        var fields = (params && params.fields) || {};
        if (!fields.bot_token || !fields.chat_id) {
          return true;
        }
        return new Promise(function (resolve) {
          self.crm_post(
            CONNECT_URL,
            $.extend(account(), {
              bot_token: fields.bot_token,
              chat_id: fields.chat_id,
              events: fields.events || 'lead_add,lead_status'
            }),
            function (response) {
              resolve(Boolean(response && response.ok));
            },
            'json',
            function () {
              resolve(false);
            }
          );
        });
      },
      destroy: function () {}
    };

    return this;
  };

  return BotkitNotifier;
});
