/* Sprintbase Deal SLA 1.4.0 | https://sprintbase.ru */
define(['jquery', 'moment'], (function ($, moment) { 'use strict';

  // Working-hours arithmetic: how many working minutes lie between two moments.

  const DEFAULT_SCHEDULE = {
    start: 9 * 60, // 09:00
    end: 18 * 60, // 18:00
    weekend: [0, 6], // Sunday, Saturday
  };

  function parseTime(value, fallback) {
    const match = /^(\d{1,2}):(\d{2})$/.exec(String(value || '').trim());
    if (!match) {
      return fallback;
    }
    const hours = Number(match[1]);
    const minutes = Number(match[2]);
    if (hours > 23 || minutes > 59) {
      return fallback;
    }
    return hours * 60 + minutes;
  }

  function scheduleFrom(settings) {
    return {
      start: parseTime(settings.work_start, DEFAULT_SCHEDULE.start),
      end: parseTime(settings.work_end, DEFAULT_SCHEDULE.end),
      weekend: DEFAULT_SCHEDULE.weekend,
    };
  }

  // Walks day by day; a deal rarely sits in a stage for more than a few weeks.
  function workingMinutes(from, to, schedule) {
    if (to <= from) {
      return 0;
    }
    let total = 0;
    const day = new Date(from.getFullYear(), from.getMonth(), from.getDate());
    for (let guard = 0; day < to && guard < 400; guard += 1) {
      if (schedule.weekend.indexOf(day.getDay()) === -1) {
        const open = new Date(day.getTime() + schedule.start * 60000);
        const close = new Date(day.getTime() + schedule.end * 60000);
        const start = from > open ? from : open;
        const end = to < close ? to : close;
        if (end > start) {
          total += Math.round((end - start) / 60000);
        }
      }
      day.setDate(day.getDate() + 1);
    }
    return total;
  }

  const ROOT = 'sb-deal-sla';

  function pad(n) {
    return n < 10 ? '0' + n : String(n);
  }

  function formatMinutes(minutes) {
    const hours = Math.floor(minutes / 60);
    return hours + ':' + pad(minutes % 60);
  }

  function stateOf(minutes, limit) {
    if (!limit) {
      return 'none';
    }
    if (minutes >= limit) {
      return 'late';
    }
    if (minutes >= limit * 0.8) {
      return 'soon';
    }
    return 'ok';
  }

  function panel(texts, minutes, limit) {
    const state = stateOf(minutes, limit);
    const label = texts['state_' + state] || '';
    return (
      '<div class="' + ROOT + ' ' + ROOT + '--' + state + '">' +
      '<div class="' + ROOT + '__time">' + formatMinutes(minutes) + '</div>' +
      '<div class="' + ROOT + '__label">' + label + '</div>' +
      (limit
        ? '<div class="' + ROOT + '__limit">' + texts.limit + ': ' + formatMinutes(limit) + '</div>'
        : '') +
      '</div>'
    );
  }

  const REFRESH_MS = 60 * 1000;

  // Sprintbase Deal SLA: how long, in working hours, the open lead has been in its stage.
  function DealSlaWidget() {
    const self = this;
    let timer = null;

    function texts() {
      return self.i18n('sla') || {};
    }

    function stageEnteredAt() {
      const card = window.APP && APP.data && APP.data.current_card;
      const model = card && card.model;
      const changed = model && model.get ? model.get('lead[STATUS_UPDATED_AT]') : null;
      return changed ? moment.unix(Number(changed)).toDate() : null;
    }

    function limitMinutes() {
      const hours = parseFloat(String(self.get_settings().limit_hours || '').replace(',', '.'));
      return hours > 0 ? Math.round(hours * 60) : 0;
    }

    function draw() {
      const since = stageEnteredAt();
      const $holder = $('.' + ROOT + '__holder');
      if (!since || !$holder.length) {
        return;
      }
      const minutes = workingMinutes(since, new Date(), scheduleFrom(self.get_settings()));
      $holder.html(panel(texts(), minutes, limitMinutes()));
    }

    this.callbacks = {
      render() {
        if (self.system().area !== 'lcard') {
          return true;
        }
        const settings = self.get_settings();
        $('head').append(
          '<link rel="stylesheet" href="' + settings.path + '/style.css?v=' + settings.version + '">'
        );
        self.render_template({
          caption: { class_name: ROOT + '__caption' },
          body: '',
          render: '<div class="' + ROOT + '__holder"></div>',
        });
        return true;
      },
      init() {
        draw();
        timer = window.setInterval(draw, REFRESH_MS);
        return true;
      },
      bind_actions() {
        $(document).on('click.sb_deal_sla', '.' + ROOT + '__time', draw);
        return true;
      },
      settings($modal) {
        $modal.find('input[name="limit_hours"]').attr('inputmode', 'decimal');
        return true;
      },
      onSave() {
        return true;
      },
      destroy() {
        if (timer) {
          window.clearInterval(timer);
          timer = null;
        }
        $(document).off('click.sb_deal_sla');
      },
    };

    return this;
  }

  return DealSlaWidget;

}));
//# sourceMappingURL=script.js.map
