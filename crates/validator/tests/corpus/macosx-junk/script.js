/**
 * Mayak Birthdays: reminds managers of their clients' birthdays.
 *
 * In the contact card the widget shows how many days are left until the birthday and a
 * button that creates a congratulation task for the responsible user.
 */
define(['jquery', 'moment'], function ($, moment) {
  'use strict';

  var ROOT = 'mayak-bday';

  var MayakBirthdays = function () {
    var self = this;

    function texts() {
      return self.i18n('birthday') || {};
    }

    function birthdayField() {
      return String(self.get_settings().field_id || '');
    }

    function readBirthday() {
      var raw = $('[data-id="' + birthdayField() + '"] input').val();
      var date = moment(raw, ['DD.MM.YYYY', 'YYYY-MM-DD'], true);
      return date.isValid() ? date : null;
    }

    function daysUntil(birthday) {
      var today = moment().startOf('day');
      var next = birthday.clone().year(today.year());
      if (next.isBefore(today)) {
        next.add(1, 'year');
      }
      return next.diff(today, 'days');
    }

    function createTask(contactId, birthday) {
      var due = birthday.clone().year(moment().year()).hour(10);
      return $.ajax({
        url: '/api/v4/tasks',
        method: 'POST',
        contentType: 'application/json',
        data: JSON.stringify([
          {
            entity_id: contactId,
            entity_type: 'contacts',
            text: texts().task_text,
            complete_till: due.unix()
          }
        ])
      });
    }

    this.callbacks = {
      render: function () {
        if (self.system().area !== 'ccard') {
          return true;
        }
        var t = texts();
        var birthday = readBirthday();
        var body = birthday
          ? '<p class="' + ROOT + '__days">' + t.days_left + ': ' + daysUntil(birthday) + '</p>' +
            '<button type="button" class="' + ROOT + '__task">' + t.create_task + '</button>'
          : '<p class="' + ROOT + '__none">' + t.no_date + '</p>';
        self.render_template({
          caption: { class_name: ROOT + '__caption' },
          body: '',
          render: '<div class="' + ROOT + '">' + body + '</div>'
        });
        return true;
      },
      init: function () {
        return true;
      },
      bind_actions: function () {
        $(document).on('click.mayak_bday', '.' + ROOT + '__task', function () {
          var card = APP.data.current_card;
          var birthday = readBirthday();
          var $button = $(this);
          if (!card || !birthday) {
            return;
          }
          $button.prop('disabled', true);
          createTask(card.id, birthday)
            .done(function () {
              $button.text(texts().task_created);
            })
            .fail(function () {
              $button.prop('disabled', false);
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
        $(document).off('click.mayak_bday');
      }
    };

    return this;
  };

  return MayakBirthdays;
});
