/**
 * Otzyvus Client Reviews: the review of a won lead in its card.
 */
define(['jquery'], function ($) {
  'use strict';

  var API = 'https://api.otzyvus.ru/v1';
  var ROOT = 'otzyvus-review';

  var OtzyvusWidget = function () {
    var self = this;

    function t(key) {
      return (self.i18n('review') || {})[key] || key;
    }

    function leadId() {
      return APP.data.current_card ? APP.data.current_card.id : 0;
    }

    function call(method, path) {
      return $.ajax({
        url: API + path,
        method: method,
        dataType: 'json',
        headers: { Authorization: 'Bearer ' + self.get_settings().api_token },
        data: method === 'GET' ? { account: self.system().subdomain } : undefined
      });
    }

    function stars(score) {
      var out = '';
      for (var i = 1; i <= 5; i += 1) {
        out += '<span class="' + ROOT + '__star' + (i <= score ? ' ' + ROOT + '__star--on' : '') + '">★</span>';
      }
      return out;
    }

    function draw(review) {
      var $body = $('.' + ROOT + '__body');
      if (!review) {
        $body.html(
          '<p>' + t('none') + '</p><button type="button" class="' + ROOT + '__send">' + t('send') + '</button>'
        );
      } else if (!review.answered) {
        $body.html('<p>' + t('waiting') + '</p>');
      } else {
        $body.html(
          '<div class="' + ROOT + '__score">' + t('score') + ': ' + stars(review.score) + '</div>' +
            '<blockquote class="' + ROOT + '__text"></blockquote>'
        );
        $body.find('.' + ROOT + '__text').text(review.text || '');
      }
    }

    this.callbacks = {
      render: function () {
        if (self.system().area !== 'lcard') {
          return true;
        }
        self.render_template({
          caption: { class_name: ROOT + '__caption' },
          body: '',
          render: '<div class="' + ROOT + '"><div class="' + ROOT + '__body"></div></div>'
        });
        return true;
      },
      init: function () {
        if (leadId()) {
          call('GET', '/leads/' + leadId() + '/review').done(function (response) {
            draw(response.review);
          });
        }
        return true;
      },
      bind_actions: function () {
        $(document).on('click.otzyvus', '.' + ROOT + '__send', function () {
          var $button = $(this).prop('disabled', true);
          call('POST', '/leads/' + leadId() + '/request').done(function () {
            $button.replaceWith('<p>' + t('sent') + '</p>');
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
        $(document).off('click.otzyvus');
      }
    };

    return this;
  };

  return OtzyvusWidget;
});
