/**
 * Analitika Pro: report pages in the left menu.
 *
 * amoCRM calls initMenuPage({ location, item_code, subitem_code }) when one of the widget's
 * menu items is opened; the page is drawn into #work-area-<widget code>.
 */
define(['jquery'], function ($) {
  'use strict';

  var API = 'https://api.analitika-pro.ru/v1/reports/';
  var ROOT = 'ap-report';

  var REPORTS = {
    ap_dashboard: 'sales',
    'ap_dashboard/sales': 'sales',
    'ap_dashboard/managers': 'managers',
    'ap_dashboard/sources': 'sources',
    ap_plan: 'plan',
    'stats/ap_funnel': 'funnel'
  };

  var AnalitikaWidget = function () {
    var self = this;

    function texts() {
      return self.i18n('page') || {};
    }

    function workArea() {
      return $('#work-area-' + self.get_settings().widget_code);
    }

    function reportFor(params) {
      var key = params.subitem_code ? params.item_code + '/' + params.subitem_code : params.item_code;
      if (params.location === 'stats') {
        key = 'stats/' + params.subitem_code;
      }
      return REPORTS[key] || 'sales';
    }

    function drawTable(report) {
      var head = report.columns
        .map(function (column) {
          return '<th>' + $('<span>').text(column).html() + '</th>';
        })
        .join('');
      var rows = report.rows
        .map(function (row) {
          return (
            '<tr>' +
            row
              .map(function (cell) {
                return '<td>' + $('<span>').text(cell).html() + '</td>';
              })
              .join('') +
            '</tr>'
          );
        })
        .join('');
      return (
        '<table class="' + ROOT + '__table"><thead><tr>' + head + '</tr></thead><tbody>' + rows +
        '</tbody></table>'
      );
    }

    function open(params) {
      var t = texts();
      var $area = workArea();
      $area.html('<div class="' + ROOT + '"><p class="' + ROOT + '__status">' + t.loading + '</p></div>');
      $.ajax({
        url: API + reportFor(params),
        dataType: 'json',
        headers: { Authorization: 'Bearer ' + self.get_settings().token },
        data: { subdomain: self.system().subdomain }
      })
        .done(function (report) {
          $area
            .find('.' + ROOT)
            .html(
              '<h1 class="' + ROOT + '__title">' + $('<span>').text(report.title).html() + '</h1>' +
                drawTable(report) +
                '<p class="' + ROOT + '__updated">' + t.updated + ': ' + report.updated_at + '</p>'
            );
        })
        .fail(function () {
          $area.find('.' + ROOT + '__status').text(t.failed);
        });
    }

    this.callbacks = {
      render: function () {
        return true;
      },
      init: function () {
        var settings = self.get_settings();
        $('head').append(
          '<link rel="stylesheet" href="' + settings.path + '/style.css?v=' + settings.version + '">'
        );
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
      initMenuPage: function (params) {
        open(params || {});
      },
      destroy: function () {}
    };

    return this;
  };

  return AnalitikaWidget;
});
