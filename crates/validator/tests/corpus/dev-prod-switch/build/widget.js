define(['jquery'], (function ($) { 'use strict';

  // Shipment statuses from the Trekpost API and how to show them.

  const API = 'https://api.trekpost.ru/v1';

  const STATUS_ORDER = ['created', 'accepted', 'in_transit', 'arrived', 'delivered'];

  function trackNumberOf(fields) {
    for (let i = 0; i < fields.length; i += 1) {
      const value = String(fields[i] || '').trim().toUpperCase();
      if (/^[A-Z]{2}\d{9}[A-Z]{2}$/.test(value) || /^\d{10,14}$/.test(value)) {
        return value;
      }
    }
    return '';
  }

  function fetchShipment($, apiKey, number) {
    return $.ajax({
      url: API + '/shipments/' + encodeURIComponent(number),
      dataType: 'json',
      headers: { 'X-Api-Key': apiKey },
      timeout: 10000,
    });
  }

  function stepIndex(status) {
    const i = STATUS_ORDER.indexOf(status);
    return i === -1 ? 0 : i;
  }

  const ROOT = 'trekpost-track';

  // Trekpost Delivery Tracker: the status of the lead's shipment, by the tracking number
  // kept in a custom field of the lead.
  function TrekpostWidget() {
    const self = this;

    function texts() {
      return self.i18n('tracking') || {};
    }

    function trackingFields() {
      const fieldId = String(self.get_settings().field_id || '');
      return $('[data-id="' + fieldId + '"] input, [name="CFV[' + fieldId + ']"]')
        .map(function () {
          return $(this).val();
        })
        .get();
    }

    function show(shipment) {
      const t = texts();
      const current = stepIndex(shipment.status);
      const steps = STATUS_ORDER.map(function (status, i) {
        const cls = i < current ? 'done' : i === current ? 'current' : 'todo';
        return '<li class="' + ROOT + '__step ' + ROOT + '__step--' + cls + '">' + t[status] + '</li>';
      });
      $('.' + ROOT + '__body').html(
        '<div class="' + ROOT + '__number">' + shipment.number + '</div>' +
          '<ol class="' + ROOT + '__steps">' + steps.join('') + '</ol>' +
          (shipment.eta ? '<div class="' + ROOT + '__eta">' + t.eta + ': ' + shipment.eta + '</div>' : '')
      );
    }

    function refresh() {
      const number = trackNumberOf(trackingFields());
      const $body = $('.' + ROOT + '__body');
      if (!number) {
        $body.text(texts().no_number);
        return;
      }
      $body.text(texts().loading);
      fetchShipment($, self.get_settings().api_key, number)
        .done(show)
        .fail(function (xhr) {
          console.error('Trekpost: tracking failed', xhr.status);
          $body.text(texts().failed);
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
          render:
            '<div class="' + ROOT + '"><div class="' + ROOT + '__body"></div>' +
            '<button type="button" class="' + ROOT + '__refresh">' + texts().refresh + '</button></div>',
        });
        return true;
      },
      init: function () {
        refresh();
        return true;
      },
      bind_actions: function () {
        $(document).on('click.trekpost', '.' + ROOT + '__refresh', refresh);
        return true;
      },
      settings: function () {
        return true;
      },
      onSave: function () {
        return true;
      },
      destroy: function () {
        $(document).off('click.trekpost');
      },
    };

    return this;
  }

  return TrekpostWidget;

}));
//# sourceMappingURL=widget.js.map
