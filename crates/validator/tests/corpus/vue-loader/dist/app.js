define(['exports', './vendor/vue.min', 'jquery'], (function (exports, Vue, $) { 'use strict';

  // The checklist panel, as plain Vue 2 options (templates compiled by the full Vue build).

  const ChecklistItem = {
    props: ['item'],
    template:
      '<li class="planerka-checklist__item" :class="{ \'planerka-checklist__item--done\': item.done }">' +
      '<label><input type="checkbox" v-model="item.done" @change="$emit(\'changed\')"> {{ item.title }}</label>' +
      '<button type="button" class="planerka-checklist__remove" @click="$emit(\'remove\')">×</button>' +
      '</li>',
  };

  const Checklist = {
    components: { ChecklistItem },
    props: ['texts', 'initial'],
    data: function () {
      return { items: this.initial.slice(), draft: '' };
    },
    computed: {
      progress: function () {
        if (!this.items.length) {
          return 0;
        }
        const done = this.items.filter(function (i) {
          return i.done;
        }).length;
        return Math.round((done / this.items.length) * 100);
      },
    },
    methods: {
      add: function () {
        const title = this.draft.trim();
        if (title) {
          this.items.push({ title: title, done: false });
          this.draft = '';
          this.$emit('save', this.items);
        }
      },
      remove: function (index) {
        this.items.splice(index, 1);
        this.$emit('save', this.items);
      },
    },
    template:
      '<div class="planerka-checklist">' +
      '<div class="planerka-checklist__progress"><span :style="{ width: progress + \'%\' }"></span></div>' +
      '<ul class="planerka-checklist__items">' +
      '<checklist-item v-for="(item, index) in items" :key="index" :item="item"' +
      ' @changed="$emit(\'save\', items)" @remove="remove(index)"></checklist-item>' +
      '</ul>' +
      '<p v-if="!items.length" class="planerka-checklist__empty">{{ texts.empty }}</p>' +
      '<form class="planerka-checklist__add" @submit.prevent="add">' +
      '<input v-model="draft" :placeholder="texts.placeholder">' +
      '<button type="submit">{{ texts.add }}</button>' +
      '</form>' +
      '</div>',
  };

  // Checklists are stored on the Planerka server, one per lead.

  const API = 'https://app.planerka-crm.ru/api/amo';

  function loadChecklist($, settings, system, leadId) {
    return $.ajax({
      url: API + '/checklists/' + leadId,
      method: 'GET',
      dataType: 'json',
      headers: { Authorization: 'Bearer ' + settings.token, 'X-Account': system.subdomain },
    });
  }

  function saveChecklist($, settings, system, leadId, items) {
    return $.ajax({
      url: API + '/checklists/' + leadId,
      method: 'PUT',
      contentType: 'application/json',
      data: JSON.stringify({ items: items }),
      headers: { Authorization: 'Bearer ' + settings.token, 'X-Account': system.subdomain },
    });
  }

  // Planerka Checklist. script.js creates the widget object and hands it here: the callbacks
  // live in this bundle, so the loader stays tiny and never changes between releases.
  function PlanerkaChecklist(self) {
    let app = null;

    function texts() {
      return self.i18n('checklist') || {};
    }

    function leadId() {
      return APP.data.current_card ? APP.data.current_card.id : 0;
    }

    function mount(items) {
      if (app) {
        app.$destroy();
      }
      app = new Vue({
        el: '#planerka-checklist-root',
        render: function (h) {
          return h(Checklist, {
            props: { texts: texts(), initial: items },
            on: {
              save: function (list) {
                saveChecklist($, self.get_settings(), self.system(), leadId(), list).fail(
                  function (xhr) {
                    console.error('Planerka: checklist not saved', xhr.status);
                  }
                );
              },
            },
          });
        },
      });
    }

    this.callbacks = {
      render: function () {
        if (self.system().area !== 'lcard') {
          return true;
        }
        const settings = self.get_settings();
        $('head').append(
          '<link rel="stylesheet" href="' + settings.path + '/style.css?v=' + settings.version + '">'
        );
        self.render_template({
          caption: { class_name: 'planerka-checklist__caption' },
          body: '',
          render: '<div id="planerka-checklist-root"></div>',
        });
        return true;
      },
      init: function () {
        if (!leadId()) {
          return true;
        }
        loadChecklist($, self.get_settings(), self.system(), leadId())
          .done(function (response) {
            mount(response.items || []);
          })
          .fail(function () {
            mount([]);
          });
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
        if (app) {
          app.$destroy();
          app = null;
        }
      },
    };

    return this;
  }

  exports.default = PlanerkaChecklist;

  Object.defineProperty(exports, '__esModule', { value: true });

}));
//# sourceMappingURL=app.js.map
