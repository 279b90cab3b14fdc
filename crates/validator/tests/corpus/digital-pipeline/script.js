/**
 * Sendbox Client Messages: a Digital Pipeline action.
 *
 * amoCRM calls dpSettings() when the user opens the action's settings in the pipeline;
 * the messages themselves are sent by our server, which receives the DP webhook.
 */
define(['jquery'], function ($) {
  'use strict';

  var ROOT = 'sendbox-dp';
  var VARIABLES = ['{{name}}', '{{lead_id}}', '{{price}}'];

  var SendboxWidget = function () {
    var self = this;

    function help() {
      return self.i18n('dp_help') || {};
    }

    function variablesBlock() {
      var t = help();
      var names = [t.name, t.lead, t.price];
      return (
        '<div class="' + ROOT + '__vars">' + t.variables + ' ' +
        VARIABLES.map(function (variable, i) {
          return (
            '<button type="button" class="' + ROOT + '__var" data-var="' + variable + '" title="' +
            names[i] + '">' + variable + '</button>'
          );
        }).join(' ') +
        '</div>'
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
      settings: function () {
        return true;
      },
      onSave: function () {
        return true;
      },
      dpSettings: function () {
        var $form = $('[data-action="send_widget_hook"] .digital-pipeline__edit-forms, .digital-pipeline__edit-forms')
          .last();
        var $message = $form.find('[name="message"]');
        if (!$message.length || $form.find('.' + ROOT + '__vars').length) {
          return;
        }
        $message.after(variablesBlock());
        $form.on('click', '.' + ROOT + '__var', function () {
          var value = $message.val() || '';
          $message.val(value + (value ? ' ' : '') + $(this).data('var')).trigger('change');
        });
        var $channel = $form.find('[name="channel"]');
        if (!$channel.val()) {
          $channel.val('sms').trigger('change');
        }
      },
      destroy: function () {}
    };

    return this;
  };

  return SendboxWidget;
});
