// The Schetovod invoicing API, reached through amoCRM's crm_post proxy so that the
// browser needs no CORS access to our server.
define(["require", "exports"], function (require, exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.API_URL = void 0;
    exports.total = total;
    exports.createInvoice = createInvoice;
    exports.isValidInn = isValidInn;
    exports.API_URL = 'https://api.schetovod.ru/amocrm/v1';
    function total(lines) {
        return lines.reduce((sum, line) => sum + line.quantity * line.price, 0);
    }
    function createInvoice(host, draft) {
        const settings = host.get_settings();
        return new Promise((resolve, reject) => {
            host.crm_post(exports.API_URL + '/invoices', {
                token: settings.token,
                inn: settings.inn,
                subdomain: host.system().subdomain,
                draft: JSON.stringify(draft),
            }, (response) => {
                if (response && response.ok) {
                    resolve(response.invoice);
                }
                else {
                    reject(new Error((response && response.error) || 'invoice_failed'));
                }
            }, 'json', (xhr) => reject(new Error('http_' + (xhr && xhr.status))));
        });
    }
    function isValidInn(inn) {
        return /^(\d{10}|\d{12})$/.test(inn.trim());
    }
});
//# sourceMappingURL=api.js.map