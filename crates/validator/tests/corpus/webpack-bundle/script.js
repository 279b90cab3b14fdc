define(["jquery"], (__WEBPACK_EXTERNAL_MODULE_jquery__) => { return /******/ (() => { // webpackBootstrap
/******/ 	"use strict";
/******/ 	var __webpack_modules__ = ({

/***/ "./src/api.js"
(__unused_webpack_module, __webpack_exports__, __webpack_require__) {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   x: () => (/* binding */ createApi)
/* harmony export */ });
/* harmony import */ var jquery__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__("jquery");
/* harmony import */ var jquery__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(jquery__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _config__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__("./src/config.js");
/* harmony import */ var _format__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__("./src/format.js");




// A thin client of the Telefonika REST API. Every request carries the account's API key
// and the amoCRM subdomain, so the cloud knows which PBX the calls come from.
function createApi(getSettings, system) {
  function request(method, path, data) {
    const settings = getSettings();
    return jquery__WEBPACK_IMPORTED_MODULE_0___default().ajax({
      url: _config__WEBPACK_IMPORTED_MODULE_1__/* .API_BASE */ .t + path,
      method: method,
      data: method === 'GET' ? data : JSON.stringify(data),
      contentType: 'application/json; charset=utf-8',
      dataType: 'json',
      timeout: (/* inlined export .REQUEST_TIMEOUT_MS */8000),
      headers: {
        'X-Api-Key': settings.api_key || '',
        'X-Amo-Subdomain': system().subdomain,
      },
    });
  }

  return {
    checkKey(apiKey) {
      return jquery__WEBPACK_IMPORTED_MODULE_0___default().ajax({
        url: _config__WEBPACK_IMPORTED_MODULE_1__/* .API_BASE */ .t + '/account',
        method: 'GET',
        dataType: 'json',
        timeout: (/* inlined export .REQUEST_TIMEOUT_MS */8000),
        headers: { 'X-Api-Key': apiKey, 'X-Amo-Subdomain': system().subdomain },
      });
    },

    recentCalls(phones) {
      return request('GET', '/calls', {
        phones: phones.map(_format__WEBPACK_IMPORTED_MODULE_2__/* .normalizePhone */ .cz).filter(Boolean).join(','),
        limit: (/* inlined export .CALLS_PAGE_SIZE */5),
      });
    },

    saveNote(callId, text) {
      return request('POST', '/calls/' + encodeURIComponent(callId) + '/note', { text: text });
    },
  };
}


/***/ },

/***/ "./src/config.js"
(__unused_webpack_module, __webpack_exports__, __webpack_require__) {

// Where the Telefonika cloud lives and how long we wait for it.
const API_BASE = 'https://api.telefonika-soft.ru/v2';
const REQUEST_TIMEOUT_MS = 8000;
const CALLS_PAGE_SIZE = 5;
const ROOT_CLASS = 'tlf-call-notes';

/* harmony export */ __webpack_require__.d(__webpack_exports__, [
/* harmony export */   "A", 0, /* binding */ ROOT_CLASS,
/* harmony export */   "t", 0, /* binding */ API_BASE
/* harmony export */ ]);


/***/ },

/***/ "./src/format.js"
(__unused_webpack_module, __webpack_exports__, __webpack_require__) {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Yq: () => (/* binding */ formatDate),
/* harmony export */   ZD: () => (/* binding */ escapeHtml),
/* harmony export */   a3: () => (/* binding */ formatDuration),
/* harmony export */   cz: () => (/* binding */ normalizePhone)
/* harmony export */ });
// Small formatting helpers shared by the panel and the settings form.

function formatDuration(seconds) {
  const total = Math.max(0, Math.round(Number(seconds) || 0));
  const minutes = Math.floor(total / 60);
  const rest = total % 60;
  return minutes + ':' + (rest < 10 ? '0' + rest : String(rest));
}

function formatDate(iso, locale) {
  const date = new Date(iso);
  if (isNaN(date.getTime())) {
    return '';
  }
  return date.toLocaleString(locale === 'ru' ? 'ru-RU' : 'en-GB', {
    day: '2-digit',
    month: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
}

function escapeHtml(text) {
  return String(text == null ? '' : text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function normalizePhone(phone) {
  const digits = String(phone || '').replace(/\D+/g, '');
  if (digits.length === 11 && digits.charAt(0) === '8') {
    return '7' + digits.slice(1);
  }
  return digits;
}


/***/ },

/***/ "./src/panel.js"
(__unused_webpack_module, __webpack_exports__, __webpack_require__) {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   bY: () => (/* binding */ renderLoading),
/* harmony export */   gA: () => (/* binding */ renderCalls),
/* harmony export */   vr: () => (/* binding */ renderError)
/* harmony export */ });
/* harmony import */ var _config__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__("./src/config.js");
/* harmony import */ var _format__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__("./src/format.js");



// The HTML of the right-hand panel in lead and contact cards.

function renderCalls(calls, lang, locale) {
  if (!calls.length) {
    return '<p class="' + _config__WEBPACK_IMPORTED_MODULE_0__/* .ROOT_CLASS */ .A + '__empty">' + (0,_format__WEBPACK_IMPORTED_MODULE_1__/* .escapeHtml */ .ZD)(lang.no_calls) + '</p>';
  }
  const rows = calls.map(function (call) {
    const direction = call.direction === 'in' ? lang.incoming : lang.outgoing;
    return (
      '<li class="' + _config__WEBPACK_IMPORTED_MODULE_0__/* .ROOT_CLASS */ .A + '__call" data-call-id="' + (0,_format__WEBPACK_IMPORTED_MODULE_1__/* .escapeHtml */ .ZD)(call.id) + '">' +
      '<div class="' + _config__WEBPACK_IMPORTED_MODULE_0__/* .ROOT_CLASS */ .A + '__meta">' +
      '<span class="' + _config__WEBPACK_IMPORTED_MODULE_0__/* .ROOT_CLASS */ .A + '__direction ' + _config__WEBPACK_IMPORTED_MODULE_0__/* .ROOT_CLASS */ .A + '__direction--' +
      (call.direction === 'in' ? 'in' : 'out') + '">' + (0,_format__WEBPACK_IMPORTED_MODULE_1__/* .escapeHtml */ .ZD)(direction) + '</span> ' +
      '<span class="' + _config__WEBPACK_IMPORTED_MODULE_0__/* .ROOT_CLASS */ .A + '__date">' + (0,_format__WEBPACK_IMPORTED_MODULE_1__/* .escapeHtml */ .ZD)((0,_format__WEBPACK_IMPORTED_MODULE_1__/* .formatDate */ .Yq)(call.started_at, locale)) +
      '</span> ' +
      '<span class="' + _config__WEBPACK_IMPORTED_MODULE_0__/* .ROOT_CLASS */ .A + '__duration">' + (0,_format__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a3)(call.duration) + '</span>' +
      '</div>' +
      '<textarea class="' + _config__WEBPACK_IMPORTED_MODULE_0__/* .ROOT_CLASS */ .A + '__note" rows="2" placeholder="' +
      (0,_format__WEBPACK_IMPORTED_MODULE_1__/* .escapeHtml */ .ZD)(lang.note_placeholder) + '">' + (0,_format__WEBPACK_IMPORTED_MODULE_1__/* .escapeHtml */ .ZD)(call.note || '') + '</textarea>' +
      '<button type="button" class="' + _config__WEBPACK_IMPORTED_MODULE_0__/* .ROOT_CLASS */ .A + '__save">' + (0,_format__WEBPACK_IMPORTED_MODULE_1__/* .escapeHtml */ .ZD)(lang.save) +
      '</button>' +
      '</li>'
    );
  });
  return '<ul class="' + _config__WEBPACK_IMPORTED_MODULE_0__/* .ROOT_CLASS */ .A + '__list">' + rows.join('') + '</ul>';
}

function renderError(lang) {
  return '<p class="' + _config__WEBPACK_IMPORTED_MODULE_0__/* .ROOT_CLASS */ .A + '__error">' + (0,_format__WEBPACK_IMPORTED_MODULE_1__/* .escapeHtml */ .ZD)(lang.load_error) + '</p>';
}

function renderLoading(lang) {
  return '<p class="' + _config__WEBPACK_IMPORTED_MODULE_0__/* .ROOT_CLASS */ .A + '__loading">' + (0,_format__WEBPACK_IMPORTED_MODULE_1__/* .escapeHtml */ .ZD)(lang.loading) + '</p>';
}


/***/ },

/***/ "jquery"
(module) {

module.exports = __WEBPACK_EXTERNAL_MODULE_jquery__;

/***/ }

/******/ 	});
/************************************************************************/
/******/ 	// The module cache
/******/ 	const __webpack_module_cache__ = {};
/******/ 	
/******/ 	// The require function
/******/ 	function __webpack_require__(moduleId) {
/******/ 		// Check if module is in cache
/******/ 		const cachedModule = __webpack_module_cache__[moduleId];
/******/ 		if (cachedModule !== undefined) {
/******/ 			return cachedModule.exports;
/******/ 		}
/******/ 		// Create a new module (and put it into the cache)
/******/ 		const module = __webpack_module_cache__[moduleId] = {
/******/ 			// no module.id needed
/******/ 			// no module.loaded needed
/******/ 			exports: {}
/******/ 		};
/******/ 	
/******/ 		// Execute the module function
/******/ 		__webpack_modules__[moduleId](module, module.exports, __webpack_require__);
/******/ 	
/******/ 		// Return the exports of the module
/******/ 		return module.exports;
/******/ 	}
/******/ 	
/************************************************************************/
/******/ 	/* webpack/runtime/compat get default export */
/******/ 	// getDefaultExport function for compatibility with non-harmony modules
/******/ 	__webpack_require__.n = (module) => {
/******/ 		const getter = module && module.__esModule ?
/******/ 			() => (module['default']) :
/******/ 			() => (module);
/******/ 		__webpack_require__.d(getter, { a: getter });
/******/ 		return getter;
/******/ 	};
/******/ 	
/******/ 	/* webpack/runtime/define property getters */
/******/ 	// define getter/value functions for harmony exports
/******/ 	__webpack_require__.d = (exports, definition) => {
/******/ 		if(Array.isArray(definition)) {
/******/ 			var i = 0;
/******/ 			while(i < definition.length) {
/******/ 				var key = definition[i++];
/******/ 				var binding = definition[i++];
/******/ 				var descriptor = binding ? { enumerable: true, get: binding } : { enumerable: true, value: definition[i++] };
/******/ 				if(!__webpack_require__.o(exports, key)) Object.defineProperty(exports, key, descriptor);
/******/ 			}
/******/ 		} else {
/******/ 			for(var key in definition) {
/******/ 				if(__webpack_require__.o(definition, key) && !__webpack_require__.o(exports, key)) {
/******/ 					Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 				}
/******/ 			}
/******/ 		}
/******/ 	};
/******/ 	
/******/ 	/* webpack/runtime/hasOwnProperty shorthand */
/******/ 	__webpack_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop));
/******/ 	
/************************************************************************/
let __webpack_exports__ = {};
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   "default": () => (/* binding */ CallNotesWidget)
/* harmony export */ });
/* harmony import */ var jquery__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__("jquery");
/* harmony import */ var jquery__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(jquery__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _config__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__("./src/config.js");
/* harmony import */ var _api__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__("./src/api.js");
/* harmony import */ var _panel__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__("./src/panel.js");





// Telefonika Call Notes: the last calls of a contact in the card, with a note per call.
function CallNotesWidget() {
  const self = this;
  const api = (0,_api__WEBPACK_IMPORTED_MODULE_2__/* .createApi */ .x)(
    function () {
      return self.get_settings();
    },
    function () {
      return self.system();
    }
  );

  function lang() {
    return self.i18n('panel') || {};
  }

  function cardPhones() {
    const phones = [];
    jquery__WEBPACK_IMPORTED_MODULE_0___default()('.card-holder .control-phone__formatted, [data-pei-code="phone"] input[type="text"]').each(
      function () {
        const value = jquery__WEBPACK_IMPORTED_MODULE_0___default().trim(jquery__WEBPACK_IMPORTED_MODULE_0___default()(this).val() || jquery__WEBPACK_IMPORTED_MODULE_0___default()(this).text());
        if (value) {
          phones.push(value);
        }
      }
    );
    return phones;
  }

  function loadCalls() {
    const $body = jquery__WEBPACK_IMPORTED_MODULE_0___default()('.' + _config__WEBPACK_IMPORTED_MODULE_1__/* .ROOT_CLASS */ .A + '__body');
    const phones = cardPhones();
    if (!phones.length) {
      $body.html((0,_panel__WEBPACK_IMPORTED_MODULE_3__/* .renderCalls */ .gA)([], lang(), self.system().lang));
      return;
    }
    $body.html((0,_panel__WEBPACK_IMPORTED_MODULE_3__/* .renderLoading */ .bY)(lang()));
    api
      .recentCalls(phones)
      .done(function (response) {
        $body.html((0,_panel__WEBPACK_IMPORTED_MODULE_3__/* .renderCalls */ .gA)(response.items || [], lang(), self.system().lang));
      })
      .fail(function (xhr) {
        console.error('Telefonika: calls failed to load', xhr.status);
        $body.html((0,_panel__WEBPACK_IMPORTED_MODULE_3__/* .renderError */ .vr)(lang()));
      });
  }

  this.callbacks = {
    render: function () {
      const settings = self.get_settings();
      if (!jquery__WEBPACK_IMPORTED_MODULE_0___default()('link[href="' + settings.path + '/style.css?v=' + settings.version + '"]').length) {
        jquery__WEBPACK_IMPORTED_MODULE_0___default()('head').append(
          '<link type="text/css" rel="stylesheet" href="' +
            settings.path + '/style.css?v=' + settings.version + '">'
        );
      }
      if (self.system().area === 'lcard' || self.system().area === 'ccard') {
        self.render_template({
          caption: { class_name: _config__WEBPACK_IMPORTED_MODULE_1__/* .ROOT_CLASS */ .A + '__caption' },
          body: '',
          render: '<div class="' + _config__WEBPACK_IMPORTED_MODULE_1__/* .ROOT_CLASS */ .A + '"><div class="' + _config__WEBPACK_IMPORTED_MODULE_1__/* .ROOT_CLASS */ .A + '__body"></div></div>',
        });
      }
      return true;
    },

    init: function () {
      if (jquery__WEBPACK_IMPORTED_MODULE_0___default()('.' + _config__WEBPACK_IMPORTED_MODULE_1__/* .ROOT_CLASS */ .A + '__body').length) {
        loadCalls();
      }
      return true;
    },

    bind_actions: function () {
      jquery__WEBPACK_IMPORTED_MODULE_0___default()(document)
        .off('click.tlf_call_notes')
        .on('click.tlf_call_notes', '.' + _config__WEBPACK_IMPORTED_MODULE_1__/* .ROOT_CLASS */ .A + '__save', function () {
          const $call = jquery__WEBPACK_IMPORTED_MODULE_0___default()(this).closest('.' + _config__WEBPACK_IMPORTED_MODULE_1__/* .ROOT_CLASS */ .A + '__call');
          const $button = jquery__WEBPACK_IMPORTED_MODULE_0___default()(this).prop('disabled', true);
          api
            .saveNote($call.data('call-id'), $call.find('.' + _config__WEBPACK_IMPORTED_MODULE_1__/* .ROOT_CLASS */ .A + '__note').val())
            .always(function () {
              $button.prop('disabled', false);
            })
            .fail(function (xhr) {
              console.error('Telefonika: note not saved', xhr.status);
            });
        });
      return true;
    },

    settings: function ($modal_body) {
      $modal_body.find('.widget_settings_block').addClass(_config__WEBPACK_IMPORTED_MODULE_1__/* .ROOT_CLASS */ .A + '__settings');
      return true;
    },

    onSave: function (params) {
      const apiKey = params && params.fields ? params.fields.api_key : '';
      if (!apiKey) {
        return true;
      }
      return new Promise(function (resolve) {
        api
          .checkKey(apiKey)
          .done(function () {
            resolve(true);
          })
          .fail(function () {
            self.set_status('error');
            resolve(false);
          });
      });
    },

    destroy: function () {
      jquery__WEBPACK_IMPORTED_MODULE_0___default()(document).off('click.tlf_call_notes');
    },

    contacts: {
      selected: function () {
        return true;
      },
    },
  };

  return this;
}

__webpack_exports__ = __webpack_exports__["default"];
/******/ 	return __webpack_exports__;
/******/ })()
;
});;
//# sourceMappingURL=script.js.map