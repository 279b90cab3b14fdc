// Остатки 1С в сделке
// Запросы идут через crm_post: сервер amoCRM сам обращается к опубликованной базе 1С.
define(['jquery', 'underscore'], function ($, _) {
    'use strict';

    var ROOT = 'ostatki1c';

    var Ostatki1CWidget = function () {
        var self = this;
        var timer = null;

        function t(key) {
            return (self.i18n('stock') || {})[key] || key;
        }

        function search(query) {
            var settings = self.get_settings();
            var url = settings.base_url.replace(/\/+$/, '') + '/hs/amocrm/stock';
            var $result = $('.' + ROOT + '__result');
            self.crm_post(
                url,
                { q: query, login: settings.login, password: settings.password },
                function (response) {
                    var rows = (response && response.items) || [];
                    if (!rows.length) {
                        $result.text(t('nothing'));
                        return;
                    }
                    $result.html(
                        '<table class="' + ROOT + '__table"><tr><th></th><th>' + t('warehouse') +
                        '</th><th>' + t('quantity') + '</th><th>' + t('price') + '</th></tr>' +
                        _.map(rows, function (row) {
                            return '<tr><td>' + _.escape(row.name) + '</td><td>' + _.escape(row.warehouse) +
                                '</td><td>' + row.quantity + '</td><td>' + row.price + '</td></tr>';
                        }).join('') +
                        '</table>'
                    );
                },
                'json',
                function () {
                    $result.text(t('failed'));
                }
            );
        }

        this.callbacks = {
            render: function () {
                if (self.system().area !== 'lcard') {
                    return true;
                }
                self.render_template({
                    caption: { class_name: ROOT + '__caption' },
                    body: '',
                    render: '<div class="' + ROOT + '"><input type="search" class="' + ROOT +
                        '__query" placeholder="' + t('search') + '"><div class="' + ROOT + '__result"></div></div>'
                });
                return true;
            },
            init: function () {
                return true;
            },
            bind_actions: function () {
                $(document).on('input.ostatki1c', '.' + ROOT + '__query', function () {
                    var query = $.trim($(this).val());
                    clearTimeout(timer);
                    if (query.length >= 3) {
                        timer = setTimeout(function () {
                            search(query);
                        }, 400);
                    }
                });
                return true;
            },
            settings: function () {
                return true;
            },
            onSave: function () {
                return true;
            },
            destroy: function () {
                clearTimeout(timer);
                $(document).off('input.ostatki1c');
            }
        };

        return this;
    };

    return Ostatki1CWidget;
});
