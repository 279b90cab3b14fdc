/**
 * Client Purchase Charts.
 *
 * Chart.js is loaded from the jsDelivr CDN as a RequireJS dependency (its UMD build
 * registers as an anonymous AMD module) instead of being bundled in the widget.
 */
define([
  'jquery',
  'moment',
  'https://cdn.jsdelivr.net/npm/chart.js@4.4.1/dist/chart.umd.min.js'
], function ($, moment, Chart) {
  'use strict';

  var ROOT = 'grafiki-purchases';
  var WON_STATUS_ID = 142; // "Closed - won" in every amoCRM pipeline

  var PurchaseChartsWidget = function () {
    var self = this;
    var chart = null;

    function t(key) {
      return (self.i18n('chart') || {})[key] || key;
    }

    function period() {
      var months = parseInt(self.get_settings().months, 10);
      return months > 0 && months <= 36 ? months : 12;
    }

    function entity() {
      return self.system().area === 'comcard' ? 'companies' : 'contacts';
    }

    function loadLeads(id) {
      return $.ajax({
        url: '/api/v4/' + entity() + '/' + id,
        data: { with: 'leads' },
        dataType: 'json'
      }).then(function (card) {
        var ids = ((card._embedded && card._embedded.leads) || []).map(function (lead) {
          return lead.id;
        });
        if (!ids.length) {
          return { _embedded: { leads: [] } };
        }
        return $.ajax({
          url: '/api/v4/leads',
          data: { filter: { id: ids, statuses: [{ status_id: WON_STATUS_ID }] }, limit: 250 },
          dataType: 'json'
        });
      });
    }

    function byMonth(leads) {
      var months = period();
      var labels = [];
      var amounts = [];
      var counts = [];
      for (var i = months - 1; i >= 0; i -= 1) {
        var month = moment().subtract(i, 'months');
        labels.push(month.format('MM.YY'));
        var inMonth = leads.filter(function (lead) {
          return moment.unix(lead.closed_at).isSame(month, 'month');
        });
        amounts.push(
          inMonth.reduce(function (sum, lead) {
            return sum + (lead.price || 0);
          }, 0)
        );
        counts.push(inMonth.length);
      }
      return { labels: labels, amounts: amounts, counts: counts };
    }

    function draw(leads) {
      var $holder = $('.' + ROOT + '__holder');
      if (!leads.length) {
        $holder.text(t('empty'));
        return;
      }
      var data = byMonth(leads);
      $holder.html('<canvas class="' + ROOT + '__canvas" height="180"></canvas>');
      chart = new Chart($holder.find('canvas')[0], {
        type: 'bar',
        data: {
          labels: data.labels,
          datasets: [
            { label: t('amount'), data: data.amounts, backgroundColor: '#4c8bf5', yAxisID: 'y' },
            { label: t('count'), data: data.counts, type: 'line', borderColor: '#f5a623', yAxisID: 'y1' }
          ]
        },
        options: {
          responsive: true,
          plugins: { legend: { position: 'bottom' } },
          scales: { y: { beginAtZero: true }, y1: { beginAtZero: true, position: 'right' } }
        }
      });
    }

    this.callbacks = {
      render: function () {
        self.render_template({
          caption: { class_name: ROOT + '__caption' },
          body: '',
          render: '<div class="' + ROOT + '"><div class="' + ROOT + '__holder"></div></div>'
        });
        return true;
      },
      init: function () {
        var card = APP.data.current_card;
        if (card) {
          loadLeads(card.id)
            .done(function (response) {
              draw((response._embedded && response._embedded.leads) || []);
            })
            .fail(function () {
              $('.' + ROOT + '__holder').text(t('failed'));
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
      destroy: function () {
        if (chart) {
          chart.destroy();
          chart = null;
        }
      }
    };

    return this;
  };

  return PurchaseChartsWidget;
});
