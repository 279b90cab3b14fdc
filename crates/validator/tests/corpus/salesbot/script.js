/**
 * MagazConnect for Salesbot.
 *
 * The Salesbot designer calls onSalesbotDesignerSave(handler_code, params) when a step of
 * this widget is saved; it must return the bot steps as a JSON string. Here each step is a
 * widget_request to our server, which answers the bot with the order data.
 */
define(['jquery'], function ($) {
  'use strict';

  var HOOK = 'https://bot.magazconnect.ru/amocrm/salesbot/';

  var MagazConnectWidget = function () {
    var self = this;

    function texts() {
      return self.i18n('designer') || {};
    }

    function requestStep(handler, data) {
      var settings = self.get_settings();
      return [
        {
          question: [
            {
              handler: 'widget_request',
              params: {
                url: HOOK + handler,
                data: $.extend(
                  {
                    shop_id: settings.shop_id,
                    subdomain: self.system().subdomain,
                    lead_id: '{{lead.id}}',
                    contact_id: '{{contact.id}}'
                  },
                  data
                )
              }
            },
            {
              handler: 'goto',
              params: { type: 'question', step: 1 }
            }
          ]
        },
        {
          question: [
            {
              handler: 'conditions',
              params: {
                logic: 'and',
                conditions: [{ term1: '{{json.found}}', term2: '1', operation: '=' }],
                result: [{ handler: 'exits', params: { value: 'found' } }]
              }
            },
            { handler: 'exits', params: { value: 'not_found' } }
          ]
        }
      ];
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
      settings: function () {
        return true;
      },
      onSave: function () {
        return true;
      },
      salesbotDesignerSettings: function ($body, renderRow, params) {
        var t = texts();
        $body.append('<p class="magazconnect-designer__hint">' + t.hint + '</p>');
        return {
          exits: [
            { code: 'found', title: t.exit_found },
            { code: 'not_found', title: t.exit_not_found }
          ]
        };
      },
      onSalesbotDesignerSave: function (handlerCode, params) {
        var steps;
        if (handlerCode === 'repeat_order') {
          steps = requestStep('repeat-order', {
            phone: params.phone,
            catalog_url: params.catalog_url
          });
        } else {
          steps = requestStep('order-status', {
            order_number: params.order_number,
            reply: params.reply
          });
        }
        return JSON.stringify(steps);
      },
      destroy: function () {}
    };

    return this;
  };

  return MagazConnectWidget;
});
