/**
 * Phone Mask: an input mask on every phone field of the CRM.
 *
 * Inputmask 5 is a jQuery plugin; it is bundled with the jQuery it was tested with,
 * both in libs/ as downloaded from npm.
 */
define(['./libs/jquery-3.4.1.min.js', './libs/jquery.inputmask.min.js'], function ($) {
  'use strict';

  var DEFAULT_MASK = '+7 (999) 999-99-99';
  var SELECTOR = '.control-phone input[type="text"], input[data-type="phone"], .js-control-phone input';
  var MARK = 'maska-crm-applied';

  var PhoneMaskWidget = function () {
    var self = this;
    var observer = null;

    function mask() {
      var value = $.trim(self.get_settings().mask || '');
      return value || DEFAULT_MASK;
    }

    function apply(root) {
      $(root)
        .find(SELECTOR)
        .not('.' + MARK)
        .addClass(MARK)
        .inputmask({ mask: mask(), showMaskOnHover: false, clearIncomplete: false });
    }

    this.callbacks = {
      render: function () {
        return true;
      },
      init: function () {
        apply(document.body);
        // Cards and lists draw their fields later: watch for new phone inputs.
        observer = new MutationObserver(function (mutations) {
          mutations.forEach(function (mutation) {
            if (mutation.addedNodes.length) {
              apply(mutation.target);
            }
          });
        });
        observer.observe(document.body, { childList: true, subtree: true });
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
        if (observer) {
          observer.disconnect();
          observer = null;
        }
      }
    };

    return this;
  };

  return PhoneMaskWidget;
});
