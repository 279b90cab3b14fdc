/**
 * Planerka Checklist: the loader.
 *
 * amoCRM loads this file and instantiates the constructor it returns. The widget itself
 * (Vue app and callbacks) is built into dist/app.js by `npm run build`; this file only
 * creates the widget object and hands it to the bundle, so it never changes between
 * releases.
 */
define(['./dist/app.js'], function (App) {
  'use strict';

  return function () {
    var self = this;

    // dist/app.js sets self.callbacks and returns the widget.
    return App.default.call(this, self);
  };
});
