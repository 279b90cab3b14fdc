define(["require", "exports", "jquery", "./api"], function (require, exports, $, api_1) {
    "use strict";
    const ROOT = 'schetovod-invoice';
    /**
     * Schetovod Invoices: builds an invoice from the lead card and attaches its PDF link.
     * amoCRM instantiates the constructor this module returns (`export =` compiles to
     * `return Widget`), with its own methods already mixed into `this`.
     */
    class Widget {
        constructor() {
            const self = this;
            const texts = () => self.i18n('invoice') || {};
            const readLines = () => {
                const lines = [];
                $('.' + ROOT + '__line').each(function () {
                    const $row = $(this);
                    const name = String($row.find('[name="line_name"]').val() || '').trim();
                    const quantity = Number($row.find('[name="line_qty"]').val()) || 0;
                    const price = Number(String($row.find('[name="line_price"]').val()).replace(',', '.')) || 0;
                    if (name && quantity > 0) {
                        lines.push({ name, quantity, price });
                    }
                });
                return lines;
            };
            const lineRow = () => '<div class="' + ROOT + '__line">' +
                '<input name="line_name" placeholder="' + texts().item + '">' +
                '<input name="line_qty" type="number" min="1" value="1">' +
                '<input name="line_price" inputmode="decimal" placeholder="0.00">' +
                '</div>';
            const refreshTotal = () => {
                $('.' + ROOT + '__total-value').text((0, api_1.total)(readLines()).toFixed(2));
            };
            this.callbacks = {
                render: () => {
                    if (self.system().area !== 'lcard') {
                        return true;
                    }
                    const t = texts();
                    self.render_template({
                        caption: { class_name: ROOT + '__caption' },
                        body: '',
                        render: '<div class="' + ROOT + '">' +
                            '<div class="' + ROOT + '__lines">' + lineRow() + '</div>' +
                            '<button type="button" class="' + ROOT + '__add">' + t.add_line + '</button>' +
                            '<div class="' + ROOT + '__total">' + t.total + ': <span class="' + ROOT +
                            '__total-value">0.00</span></div>' +
                            '<button type="button" class="' + ROOT + '__create">' + t.create + '</button>' +
                            '<div class="' + ROOT + '__result"></div>' +
                            '</div>',
                    });
                    return true;
                },
                init: () => true,
                bind_actions: () => {
                    $(document)
                        .on('click.schetovod', '.' + ROOT + '__add', () => {
                        $('.' + ROOT + '__lines').append(lineRow());
                    })
                        .on('input.schetovod', '.' + ROOT + '__line input', refreshTotal)
                        .on('click.schetovod', '.' + ROOT + '__create', () => {
                        const card = APP.data.current_card;
                        const lines = readLines();
                        const $result = $('.' + ROOT + '__result');
                        if (!card || !lines.length) {
                            $result.text(texts().empty);
                            return;
                        }
                        (0, api_1.createInvoice)(self, { lead_id: card.id, lines, vat: 'none', comment: '' })
                            .then((invoice) => {
                            $result.html('<a target="_blank" rel="noopener" href="' + invoice.pdf_url + '">' +
                                texts().invoice + ' № ' + invoice.number + '</a>');
                        })
                            .catch((error) => {
                            console.error('Schetovod:', error.message);
                            $result.text(texts().failed);
                        });
                    });
                    return true;
                },
                settings: ($body) => {
                    $body.find('input[name="inn"]').attr('maxlength', 12);
                    return true;
                },
                onSave: (params) => {
                    const inn = (params && params.fields && params.fields.inn) || '';
                    return inn === '' || (0, api_1.isValidInn)(inn);
                },
                destroy: () => {
                    $(document).off('.schetovod');
                },
            };
        }
    }
    return Widget;
});
//# sourceMappingURL=script.js.map