/**
 * Raspredelitel: hands the selected leads to the chosen managers, in turn.
 *
 * Mass action in the lead list: tick leads, choose "More" → "Raspredelitel", pick managers
 * in the select2 box and press "Distribute". One PATCH request updates all leads.
 *
 * select2 4.0.13 needs a newer jQuery than some accounts still load, so both libraries are
 * bundled in vendor/ (unmodified npm builds).
 */
define(['./vendor/jquery.min.js', './vendor/select2.min.js'], function ($) {
  'use strict';

  var ROOT = 'rspr-distribute';
  var MAX_LEADS = 250;

  var RaspredelitelWidget = function () {
    var self = this;

    function texts() {
      return self.i18n('distribute') || {};
    }

    function loadStyles() {
      var settings = self.get_settings();
      var base = settings.path;
      var version = '?v=' + settings.version;
      [base + '/vendor/select2.min.css' + version, base + '/style.css' + version].forEach(
        function (href) {
          if (!$('link[href="' + href + '"]').length) {
            $('head').append('<link rel="stylesheet" type="text/css" href="' + href + '">');
          }
        }
      );
    }

    function managers() {
      var users = APP.constant('managers') || {};
      return Object.keys(users)
        .map(function (id) {
          return { id: id, text: users[id].title, active: users[id].active };
        })
        .filter(function (user) {
          return user.active;
        });
    }

    // Round robin: lead i goes to manager i mod n.
    function plan(leadIds, managerIds) {
      return leadIds.map(function (leadId, i) {
        return {
          id: Number(leadId),
          responsible_user_id: Number(managerIds[i % managerIds.length])
        };
      });
    }

    // amoCRM accepts up to 250 leads in one PATCH, and a list page never shows more.
    function patch(updates) {
      return $.ajax({
        url: '/api/v4/leads',
        method: 'PATCH',
        contentType: 'application/json',
        data: JSON.stringify(updates.slice(0, MAX_LEADS))
      });
    }

    function openModal(leadIds) {
      var t = texts();
      var $box = $(
        '<div class="' + ROOT + '">' +
          '<h2 class="' + ROOT + '__title">' + t.title + '</h2>' +
          '<p class="' + ROOT + '__count">' + t.selected + ': ' + leadIds.length + '</p>' +
          '<select class="' + ROOT + '__managers" multiple="multiple"></select>' +
          '<div class="' + ROOT + '__actions">' +
          '<button type="button" class="' + ROOT + '__go">' + t.go + '</button>' +
          '</div>' +
          '<p class="' + ROOT + '__status"></p>' +
          '</div>'
      );
      $('.' + ROOT + '__holder').remove();
      $('<div class="' + ROOT + '__holder"></div>').append($box).appendTo('body');

      $box.find('.' + ROOT + '__managers').select2({
        data: managers(),
        width: '100%',
        placeholder: t.placeholder,
        dropdownParent: $box,
        language: {
          noResults: function () {
            return t.no_results;
          }
        }
      });

      $box.on('click', '.' + ROOT + '__go', function () {
        var chosen = $box.find('.' + ROOT + '__managers').val() || [];
        var $status = $box.find('.' + ROOT + '__status');
        if (!chosen.length) {
          $status.text(t.choose);
          return;
        }
        $(this).prop('disabled', true);
        patch(plan(leadIds, chosen))
          .then(function () {
            $status.text(t.done);
          })
          .fail(function (xhr) {
            console.error('Raspredelitel: PATCH failed', xhr && xhr.status);
            $status.text(t.failed);
          });
      });
    }

    this.callbacks = {
      render: function () {
        loadStyles();
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
      destroy: function () {
        $('.' + ROOT + '__holder').remove();
      },
      leads: {
        selected: function () {
          var selected = self.list_selected().selected || [];
          openModal(
            selected.map(function (item) {
              return item.id;
            })
          );
        }
      }
    };

    return this;
  };

  return RaspredelitelWidget;
});
