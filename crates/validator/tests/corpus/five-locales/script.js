/**
 * Replyco Quick Replies: reply templates in the lead and contact card.
 * Texts in five languages; the host picks i18n/<locale>.json by the user's language.
 */
define(['jquery', 'underscore'], function ($, _) {
  'use strict';

  var ROOT = 'replyco-replies';
  var API = 'https://api.replyco.io/v2';

  var ReplycoWidget = function () {
    var self = this;
    var templates = [];

    function t(key) {
      var texts = self.i18n('replies') || {};
      return texts[key] || key;
    }

    function fetchTemplates() {
      var settings = self.get_settings();
      return $.ajax({
        url: API + '/workspaces/' + encodeURIComponent(settings.workspace) + '/templates',
        dataType: 'json',
        headers: { Authorization: 'Bearer ' + settings.token },
        data: { lang: self.system().lang }
      });
    }

    function fill(text) {
      var card = APP.data.current_card;
      var name = $('.js-linked-entity-name, .card-entity-form__top input[name="name"]').first();
      return text
        .replace(/\{(name|nombre|nome|isim|имя)\}/g, $.trim(name.val() || name.text()))
        .replace(/\{(lead|сделка)\}/g, card ? String(card.id) : '');
    }

    function list(filter) {
      var needle = String(filter || '').toLowerCase();
      var shown = _.filter(templates, function (tpl) {
        return !needle || tpl.title.toLowerCase().indexOf(needle) !== -1;
      });
      if (!templates.length) {
        return '<p class="' + ROOT + '__empty">' + _.escape(t('empty')) + '</p>';
      }
      return (
        '<ul class="' + ROOT + '__list">' +
        _.map(shown, function (tpl) {
          return (
            '<li class="' + ROOT + '__item" data-id="' + _.escape(tpl.id) + '">' +
            '<span class="' + ROOT + '__title">' + _.escape(tpl.title) + '</span>' +
            '<button type="button" class="' + ROOT + '__insert">' + _.escape(t('insert')) + '</button>' +
            '</li>'
          );
        }).join('') +
        '</ul>'
      );
    }

    function insert(id) {
      var tpl = _.findWhere(templates, { id: id });
      if (!tpl) {
        return;
      }
      var text = fill(tpl.text);
      var $field = $('.feed-compose .js-control-contenteditable, .feed-compose textarea').first();
      if ($field.is('textarea')) {
        $field.val(text).trigger('input');
      } else {
        $field.text(text).trigger('input');
      }
      $('.' + ROOT + '__status').text(t('copied'));
    }

    this.callbacks = {
      render: function () {
        self.render_template({
          caption: { class_name: ROOT + '__caption' },
          body: '',
          render:
            '<div class="' + ROOT + '">' +
            '<input type="search" class="' + ROOT + '__search" placeholder="' + _.escape(t('search')) + '">' +
            '<div class="' + ROOT + '__body"></div>' +
            '<p class="' + ROOT + '__status"></p>' +
            '</div>'
        });
        return true;
      },
      init: function () {
        fetchTemplates()
          .done(function (response) {
            templates = response.templates || [];
            $('.' + ROOT + '__body').html(list(''));
          })
          .fail(function () {
            $('.' + ROOT + '__body').text(t('failed'));
          });
        return true;
      },
      bind_actions: function () {
        $(document)
          .on('input.replyco', '.' + ROOT + '__search', function () {
            $('.' + ROOT + '__body').html(list($(this).val()));
          })
          .on('click.replyco', '.' + ROOT + '__insert', function () {
            insert($(this).closest('.' + ROOT + '__item').data('id'));
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
        $(document).off('.replyco');
      }
    };

    return this;
  };

  return ReplycoWidget;
});
