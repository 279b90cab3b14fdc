/**
 * Trekpost Delivery Tracker: loader.
 *
 * In production the widget is the bundle packaged in build/widget.js. During development
 * run `npm run dev` and switch this browser to the dev server from the console:
 *
 *   localStorage.setItem('trekpost_widget_dev', '1');
 *   localStorage.setItem('trekpost_widget_dev_url', 'https://<tunnel>/app.js'); // optional
 *
 * and reload the page. `localStorage.removeItem('trekpost_widget_dev')` switches back.
 */
var TREKPOST_DEV_URL = 'http://localhost:8080/app.js';

var trekpostDev = false;
try {
  trekpostDev = window.localStorage.getItem('trekpost_widget_dev') === '1';
} catch (e) {
  // Storage can be disabled (private mode): always use the packaged build then.
  trekpostDev = false;
}

if (trekpostDev) {
  define([window.localStorage.getItem('trekpost_widget_dev_url') || TREKPOST_DEV_URL], function (
    Widget
  ) {
    return Widget['default'] || Widget;
  });
} else {
  define(['./build/widget.js'], function (Widget) {
    return Widget;
  });
}
