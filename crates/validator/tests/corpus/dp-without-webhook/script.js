/**
 * Stage Checklist (chek-list.pro).
 *
 * The digital pipeline action only stores its settings (template, deadline): our server
 * follows the account's stage changes through the amoCRM API and reads the action settings
 * of the stage, so the manifest needs no dp.webhook_url.
 */
define(['jquery'], function ($) {
  'use strict';

  var API = 'https://api.chek-list.pro/amo/v1';
  var ROOT = 'cheklist';

  var ChecklistWidget = function () {
    var self = this;
    var templates = [];

    function t(key) {
      return (self.i18n('card') || {})[key] || key;
    }

    function get(path) {
      return $.ajax({
        url: API + path,
        dataType: 'json',
        headers: { 'X-Api-Key': self.get_settings().api_key, 'X-Account': self.system().subdomain }
      });
    }

    function drawChecklist(items) {
      var done = items.filter(function (item) {
        return item.done;
      }).length;
      var $body = $('.' + ROOT + '__body');
      if (!items.length) {
        $body.text(t('empty'));
        return;
      }
      $body.html(
        '<div class="' + ROOT + '__progress">' + done + ' / ' + items.length + ' ' + t('done') + '</div>' +
          '<ul class="' + ROOT + '__items">' +
          items
            .map(function (item) {
              return (
                '<li class="' + ROOT + '__item' + (item.done ? ' ' + ROOT + '__item--done' : '') + '">' +
                $('<span>').text(item.text).html() +
                '</li>'
              );
            })
            .join('') +
          '</ul>'
      );
    }

    this.callbacks = {
      render: function () {
        if (self.system().area === 'lcard') {
          self.render_template({
            caption: { class_name: ROOT + '__caption' },
            body: '',
            render: '<div class="' + ROOT + '"><div class="' + ROOT + '__body"></div></div>'
          });
        }
        return true;
      },
      init: function () {
        var card = APP.data.current_card;
        if (card && self.system().area === 'lcard') {
          get('/leads/' + card.id + '/checklist').done(function (response) {
            drawChecklist(response.items || []);
          });
        }
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
        // Turn the free-text template field into a list of the account's templates.
        var $field = $('.digital-pipeline__edit-forms [name="template"]').last();
        if (!$field.length) {
          return;
        }
        get('/templates').done(function (response) {
          templates = response.templates || [];
          var $select = $('<select class="' + ROOT + '-dp__select"></select>');
          templates.forEach(function (template) {
            $('<option>')
              .val(template.id)
              .text(template.title)
              .prop('selected', String(template.id) === String($field.val()))
              .appendTo($select);
          });
          $select.on('change', function () {
            $field.val($(this).val()).trigger('change');
          });
          $field.hide().after($select);
        });
      },
      destroy: function () {}
    };

    return this;
  };

  return ChecklistWidget;
});
