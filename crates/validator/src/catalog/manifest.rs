//! Rules about `manifest.json`: presence, structure, fields, locations and their companion
//! objects, settings, tour, files the manifest names, and the code and secret key.

use super::Rule;

rule!(MANIFEST_MISSING, "manifest.missing", Error / Error,
    en: "the package has no `manifest.json` at its root",
    ru: "в корне пакета нет `manifest.json`",
    hint_en: "every widget needs `manifest.json` beside `script.js`; `widgetry init` creates one",
    hint_ru: "каждому виджету нужен `manifest.json` рядом со `script.js`; `widgetry init` создаёт его",
    why: "The manifest names the widget, its languages, where it runs and its settings; without it the CRM cannot load the widget.",
    example: "a widget.zip holding only script.js");

rule!(MANIFEST_TOO_LARGE, "manifest.too_large", Error / Error,
    en: "`manifest.json` is {size} bytes, over the limit of {limit} bytes",
    ru: "размер `manifest.json` {size} байт превышает предел {limit} байт",
    hint_en: "a manifest is a few kilobytes; move texts to the i18n files",
    hint_ru: "манифест занимает несколько килобайт; перенесите тексты в файлы i18n",
    why: "The manifest is parsed on every upload and page load; its size is capped to keep that cheap and safe.",
    example: "a 50 MB manifest.json");

rule!(MANIFEST_MISSING_FIELD, "manifest.missing_field", Error / Error,
    en: "`{field}` is missing",
    ru: "нет обязательного поля `{field}`",
    hint_en: "add `{field}` to `manifest.json` ({expected})",
    hint_ru: "добавьте в `manifest.json` поле `{field}` ({expected})",
    why: "The CRM needs these fields to list, install and run the widget: widget.name, description, short_description, version, interface_version, locale, installation, locations, and settings when the widget is installable.",
    example: "{\"widget\": {\"name\": \"widget.name\"}, \"locations\": [\"lcard-1\"]}");

rule!(MANIFEST_WRONG_TYPE, "manifest.wrong_type", Error / Error,
    en: "`{field}` must be {expected}, found {found}",
    ru: "`{field}` должно быть {expected}, а найдено: {found}",
    hint_en: "change the value of `{field}` to {expected}",
    hint_ru: "замените значение `{field}` на {expected}",
    why: "The CRM reads each field with a fixed type; a string where a boolean is expected, or a number given as text, behaves differently from what the author meant.",
    example: "\"interface_version\": \"2\" or \"installation\": \"true\"");

rule!(MANIFEST_EMPTY_VALUE, "manifest.empty_value", Error / Error,
    en: "`{field}` is empty",
    ru: "поле `{field}` пустое",
    hint_en: "give `{field}` a value; texts are usually i18n keys such as `widget.name`",
    hint_ru: "заполните `{field}`; тексты обычно задаются ключами i18n, например `widget.name`",
    why: "An empty name, description or version shows as a blank in the catalogue and cannot tell versions apart.",
    example: "\"version\": \"\"");

rule!(MANIFEST_UNKNOWN_KEY, "manifest.unknown_key", Warning / Warning,
    en: "`{field}` is not a known manifest key",
    ru: "`{field}` — неизвестный ключ манифеста",
    hint_en: "check the spelling; unknown keys are ignored by the CRM{suggestion}",
    hint_ru: "проверьте написание; неизвестные ключи CRM игнорирует{suggestion}",
    why: "Real widgets carry extra keys such as `category`, so they are accepted, but a misspelt key (`localtions`) silently loses its meaning.",
    example: "\"widget\": {\"lokale\": [\"en\"]}");

rule!(MANIFEST_INTERFACE_VERSION, "manifest.interface_version", Error / Error,
    en: "`widget.interface_version` is {found}; it must be 2",
    ru: "`widget.interface_version` равно {found}, а должно быть 2",
    hint_en: "set `\"interface_version\": 2`",
    hint_ru: "укажите `\"interface_version\": 2`",
    why: "Only interface version 2 of the widget API is supported by the CRM.",
    example: "\"interface_version\": 1");

rule!(MANIFEST_VERSION_FORMAT, "manifest.version_format", Warning / Error,
    en: "`widget.version` `{version}` is not of the form MAJOR.MINOR or MAJOR.MINOR.PATCH",
    ru: "`widget.version` `{version}` не в формате MAJOR.MINOR или MAJOR.MINOR.PATCH",
    hint_en: "use numbers separated by dots, such as `1.2.0`, and raise it on every upload",
    hint_ru: "используйте числа через точку, например `1.2.0`, и увеличивайте его при каждой загрузке",
    why: "Any non-empty version is accepted for private uploads (real widgets use `1.1.`), but a published widget's versions must be comparable.",
    example: "\"version\": \"beta\"");

rule!(MANIFEST_LOCALE_EMPTY, "manifest.locale_empty", Error / Error,
    en: "`widget.locale` lists no language",
    ru: "в `widget.locale` не указан ни один язык",
    hint_en: "list the languages the widget has i18n files for, such as `[\"ru\", \"en\"]`",
    hint_ru: "перечислите языки, для которых есть файлы i18n, например `[\"ru\", \"en\"]`",
    why: "Every widget text comes from an i18n file of a declared language.",
    example: "\"locale\": []");

rule!(MANIFEST_LOCALE_NOT_ALLOWED, "manifest.locale_not_allowed", Error / Error,
    en: "language `{locale}` is not supported",
    ru: "язык `{locale}` не поддерживается",
    hint_en: "use one of: {allowed}",
    hint_ru: "используйте один из: {allowed}",
    why: "The CRM shows widgets only in the languages it supports; others are never displayed.",
    example: "\"locale\": [\"de\"]");

rule!(MANIFEST_LOCALE_DUPLICATE, "manifest.locale_duplicate", Warning / Error,
    en: "language `{locale}` is listed twice",
    ru: "язык `{locale}` указан дважды",
    hint_en: "list each language once",
    hint_ru: "указывайте каждый язык один раз",
    why: "The number of declared languages must equal the number of i18n files.",
    example: "\"locale\": [\"en\", \"en\"]");

rule!(MANIFEST_SUPPORT_MISSING, "manifest.support_missing", Warning / Error,
    en: "`widget.support` has neither `link` nor `email`",
    ru: "в `widget.support` нет ни `link`, ни `email`",
    hint_en: "add `\"support\": {\"link\": \"https://...\", \"email\": \"...\"}` with real contacts",
    hint_ru: "добавьте `\"support\": {\"link\": \"https://...\", \"email\": \"...\"}` с настоящими контактами",
    why: "Since November 2018 a published widget must tell users where to get help.",
    example: "\"widget\": {\"name\": \"widget.name\", ...} without \"support\"");

rule!(MANIFEST_SUPPORT_LINK_INVALID, "manifest.support_link_invalid", Warning / Error,
    en: "`widget.support.link` `{value}` is not an http(s) URL",
    ru: "`widget.support.link` `{value}` — не http(s)-адрес",
    hint_en: "give the full address of your support page, starting with `https://`",
    hint_ru: "укажите полный адрес страницы поддержки, начиная с `https://`",
    why: "The link is shown to users as a clickable support address.",
    example: "\"link\": \"support page\"");

rule!(MANIFEST_SUPPORT_EMAIL_INVALID, "manifest.support_email_invalid", Warning / Error,
    en: "`widget.support.email` `{value}` is not an email address",
    ru: "`widget.support.email` `{value}` — не адрес электронной почты",
    hint_en: "give an address such as `help@your-company.com`",
    hint_ru: "укажите адрес вида `help@your-company.com`",
    why: "Users write to this address when the widget fails.",
    example: "\"email\": \"support\"");

rule!(MANIFEST_CODE_INVALID, "manifest.code_invalid", Error / Error,
    en: "widget code `{value}` is not valid",
    ru: "код виджета `{value}` некорректен",
    hint_en: "a code starts with a lowercase Latin letter, holds only `a-z`, `0-9` and `_`, and is at most 64 characters",
    hint_ru: "код начинается со строчной латинской буквы, содержит только `a-z`, `0-9` и `_` и не длиннее 64 символов",
    why: "The code is part of every URL of the widget's files and must be unique and URL-safe.",
    example: "\"code\": \"My-Widget\"");

rule!(MANIFEST_SECRET_KEY_FORMAT, "manifest.secret_key_format", Warning / Warning,
    en: "`widget.secret_key` is not 64 hexadecimal characters",
    ru: "`widget.secret_key` не состоит из 64 шестнадцатеричных символов",
    hint_en: "copy the secret key exactly as it was issued for the integration",
    hint_ru: "скопируйте секретный ключ точно в том виде, в каком он выдан для интеграции",
    why: "Secret keys issued by amoCRM are 64 lowercase hexadecimal characters; anything else is a copy mistake.",
    example: "\"secret_key\": \"abc\"");

rule!(MANIFEST_CODE_IGNORED, "manifest.code_ignored", Warning / Warning,
    en: "`widget.{field}` is ignored: this integration's code and key are managed by the marketplace",
    ru: "`widget.{field}` игнорируется: код и ключ этой интеграции выдаёт маркетплейс",
    hint_en: "remove `code` and `secret_key` from `manifest.json`",
    hint_ru: "удалите `code` и `secret_key` из `manifest.json`",
    why: "New integrations get their code at the first upload; the manifest no longer needs it.",
    example: "\"code\": \"acme_reports\" in an upload to a new integration");

rule!(MANIFEST_CODE_MISMATCH, "manifest.code_mismatch", Error / Error,
    en: "`widget.code` is `{value}`, but this integration's code is `{expected}`",
    ru: "`widget.code` равен `{value}`, а код этой интеграции — `{expected}`",
    hint_en: "set `\"code\": \"{expected}\"` or upload into the integration that owns `{value}`",
    hint_ru: "укажите `\"code\": \"{expected}\"` или загрузите архив в интеграцию с кодом `{value}`",
    why: "A manifest that names another widget's code is either a mistake or an attempt to overwrite that widget.",
    example: "uploading a manifest with code `other_widget` into integration `acme_reports`");

rule!(MANIFEST_SECRET_MISMATCH, "manifest.secret_mismatch", Error / Error,
    en: "`widget.secret_key` does not match this integration's secret key",
    ru: "`widget.secret_key` не совпадает с секретным ключом этой интеграции",
    hint_en: "copy the secret key issued for this integration; after a rotation use the new key",
    hint_ru: "скопируйте секретный ключ, выданный для этой интеграции; после смены ключа используйте новый",
    why: "Legacy integrations prove ownership of an upload with the secret key.",
    example: "a legacy upload carrying an old secret key");

rule!(MANIFEST_LEGACY_CODE_MISSING, "manifest.legacy_code_missing", Error / Error,
    en: "this is a legacy integration: `widget.code` must be `{expected}`",
    ru: "это интеграция старого образца: `widget.code` должен быть `{expected}`",
    hint_en: "add `\"code\": \"{expected}\"` to `widget`, or convert the integration to the marketplace scheme",
    hint_ru: "добавьте `\"code\": \"{expected}\"` в `widget` или переведите интеграцию на схему маркетплейса",
    why: "Integrations created before the marketplace scheme keep sending their code until their owner converts them.",
    example: "a legacy upload without \"code\"");

rule!(MANIFEST_LEGACY_SECRET_MISSING, "manifest.legacy_secret_missing", Error / Error,
    en: "this is a legacy integration: `widget.secret_key` is required",
    ru: "это интеграция старого образца: нужен `widget.secret_key`",
    hint_en: "add the integration's `secret_key` to `widget`, or convert the integration to the marketplace scheme",
    hint_ru: "добавьте `secret_key` интеграции в `widget` или переведите интеграцию на схему маркетплейса",
    why: "Integrations created before the marketplace scheme keep sending their secret key until their owner converts them.",
    example: "a legacy upload without \"secret_key\"");

rule!(MANIFEST_LOCATIONS_EMPTY, "manifest.locations_empty", Error / Error,
    en: "`locations` lists no location",
    ru: "в `locations` не указано ни одной области",
    hint_en: "list where the widget runs, such as `[\"lcard-1\", \"settings\"]`",
    hint_ru: "перечислите, где работает виджет, например `[\"lcard-1\", \"settings\"]`",
    why: "A widget without locations is never loaded.",
    example: "\"locations\": []");

rule!(MANIFEST_UNKNOWN_LOCATION, "manifest.unknown_location", Error / Error,
    en: "`{value}` is not a known location",
    ru: "`{value}` — неизвестная область",
    hint_en: "known locations: lcard, ccard, comcard, cucard, llist, clist, tlist, culist (each with -0 or -1), settings, advanced_settings, card_sdk, catalogs, digital_pipeline, lead_sources, whatsapp_modal, everywhere, sms, mobile_card, amoforms, salesbot_designer, widget_page, website_chat_button, ai_agent{suggestion}",
    hint_ru: "известные области: lcard, ccard, comcard, cucard, llist, clist, tlist, culist (с -0 или -1), settings, advanced_settings, card_sdk, catalogs, digital_pipeline, lead_sources, whatsapp_modal, everywhere, sms, mobile_card, amoforms, salesbot_designer, widget_page, website_chat_button, ai_agent{suggestion}",
    why: "The CRM loads script.js only in the areas it knows; an unknown one is a typo.",
    example: "\"locations\": [\"lead_card\"]");

rule!(MANIFEST_LOCATION_SUFFIX, "manifest.location_suffix", Error / Error,
    en: "location `{value}` has a suffix it cannot take",
    ru: "у области `{value}` недопустимый суффикс",
    hint_en: "only card and list areas take `-0` (no panel) or `-1` (right-hand panel); write `{base}`{fix}",
    hint_ru: "суффикс `-0` (без панели) или `-1` (правая панель) бывает только у карточек и списков; напишите `{base}`{fix}",
    why: "Suffixes select the widget panel in cards and lists; elsewhere they make the location unknown to the CRM.",
    example: "\"settings-1\" or \"lcard-2\"");

rule!(MANIFEST_LOCATION_PAIR, "manifest.location_pair", Error / Error,
    en: "`{base}-0` and `{base}-1` are both listed",
    ru: "указаны одновременно `{base}-0` и `{base}-1`",
    hint_en: "keep `{base}-1` if the widget uses the right-hand panel, `{base}-0` otherwise",
    hint_ru: "оставьте `{base}-1`, если виджет использует правую панель, иначе `{base}-0`",
    why: "An area is initialised either with or without the panel, never both.",
    example: "\"locations\": [\"lcard-0\", \"lcard-1\"]");

rule!(MANIFEST_LOCATION_DUPLICATE, "manifest.location_duplicate", Warning / Error,
    en: "location `{value}` is listed more than once",
    ru: "область `{value}` указана несколько раз",
    hint_en: "list each location once (`lcard` means `lcard-1`)",
    hint_ru: "указывайте каждую область один раз (`lcard` означает `lcard-1`)",
    why: "Duplicates are harmless to the CRM but usually hide a copy-paste mistake.",
    example: "\"locations\": [\"lcard\", \"lcard-1\"]");

rule!(MANIFEST_COMPANION_MISSING, "manifest.companion_missing", Error / Error,
    en: "location `{location}` needs the top-level `{object}` object",
    ru: "области `{location}` нужен объект верхнего уровня `{object}`",
    hint_en: "add `\"{object}\": {example}` or remove `{location}` from `locations`",
    hint_ru: "добавьте `\"{object}\": {example}` или уберите `{location}` из `locations`",
    why: "Digital Pipeline needs `dp`, SMS needs `sms`, the mobile card needs `mobile`, the advanced page needs `advanced`, the left menu needs `left_menu`, the Salesbot designer needs `salesbot_designer`, web forms need `amoforms_settings`.",
    example: "\"locations\": [\"digital_pipeline\"] without \"dp\"");

rule!(MANIFEST_COMPANION_UNUSED, "manifest.companion_unused", Warning / Warning,
    en: "`{object}` is present but `{location}` is not in `locations`",
    ru: "объект `{object}` задан, но области `{location}` нет в `locations`",
    hint_en: "add `{location}` to `locations` or remove `{object}`",
    hint_ru: "добавьте `{location}` в `locations` или удалите `{object}`",
    why: "The object only takes effect with its location; alone it is dead configuration.",
    example: "\"dp\": {...} without \"digital_pipeline\"");

rule!(MANIFEST_CARD_SDK_NEEDS_CARD, "manifest.card_sdk_needs_card", Warning / Error,
    en: "`card_sdk` is listed without any card location",
    ru: "область `card_sdk` указана без областей карточек",
    hint_en: "add the card locations the SDK tab appears in, such as `lcard-0`",
    hint_ru: "добавьте области карточек, где появится вкладка SDK, например `lcard-0`",
    why: "The card SDK tab lives in cards; without a card location it never shows.",
    example: "\"locations\": [\"card_sdk\", \"settings\"]");

rule!(MANIFEST_URL_INVALID, "manifest.url_invalid", Error / Error,
    en: "`{field}` `{value}` is not an https URL",
    ru: "`{field}` `{value}` — не https-адрес",
    hint_en: "give the full `https://` address of your endpoint",
    hint_ru: "укажите полный `https://`-адрес вашего обработчика",
    why: "The CRM calls these endpoints from its servers and the mobile app opens them; they must be absolute HTTPS URLs.",
    example: "\"sms\": {\"endpoint\": \"http://localhost/sms\"}");

rule!(MANIFEST_INVALID_VALUE, "manifest.invalid_value", Error / Error,
    en: "`{field}` is `{value}`, which is not allowed",
    ru: "значение `{value}` недопустимо для `{field}`",
    hint_en: "use one of: {allowed}",
    hint_ru: "используйте одно из: {allowed}",
    why: "These fields take a fixed set of values.",
    example: "\"sort\": {\"after\": \"reports\"} in left_menu");

rule!(MANIFEST_COLOR_INVALID, "manifest.color_invalid", Warning / Error,
    en: "`{field}` `{value}` is not a colour of the form #RRGGBB",
    ru: "`{field}` `{value}` — не цвет в формате #RRGGBB",
    hint_en: "write the colour as `#` and six hexadecimal digits, such as `#5F43CF`",
    hint_ru: "запишите цвет как `#` и шесть шестнадцатеричных цифр, например `#5F43CF`",
    why: "The mobile app reads the colour as #RRGGBB.",
    example: "\"color\": \"purple\"");

rule!(MANIFEST_SETTINGS_TYPE, "manifest.settings_type", Error / Error,
    en: "settings field `{field}` has type `{value}`",
    ru: "у поля настроек `{field}` тип `{value}`",
    hint_en: "use one of: text, pass, users, users_lp, custom",
    hint_ru: "используйте один из типов: text, pass, users, users_lp, custom",
    why: "The CRM draws the settings form from these five types; any other type breaks installation.",
    example: "\"settings\": {\"token\": {\"name\": \"settings.token\", \"type\": \"password\"}}");

rule!(MANIFEST_SETTINGS_MULTIPLE_CUSTOM, "manifest.settings_multiple_custom", Error / Error,
    en: "`{field}` is a second `custom` settings field (the first is `{first}`)",
    ru: "`{field}` — второе поле настроек типа `custom` (первое — `{first}`)",
    hint_en: "keep one `custom` field and draw all custom controls inside it",
    hint_ru: "оставьте одно поле `custom` и рисуйте все свои элементы внутри него",
    why: "The CRM provides one hidden input and one container for custom settings per widget.",
    example: "two fields with \"type\": \"custom\"");

rule!(MANIFEST_SETTINGS_CUSTOM_LOCATION, "manifest.settings_custom_location", Warning / Error,
    en: "settings field `{field}` is `custom`, but `settings` is not in `locations`",
    ru: "поле настроек `{field}` имеет тип `custom`, но области `settings` нет в `locations`",
    hint_en: "add `settings` to `locations` so that script.js can draw the custom field",
    hint_ru: "добавьте `settings` в `locations`, чтобы script.js мог нарисовать поле custom",
    why: "A custom field is drawn by script.js in the settings modal, which only runs with the `settings` location. amoCRM takes such an upload (the field just does not appear), so it is a warning on upload; moderation rejects a settings form that cannot be filled in.",
    example: "\"locations\": [\"lcard-1\"] with a custom settings field");

rule!(MANIFEST_LEFT_MENU_SETTINGS_HIDDEN, "manifest.left_menu_settings_hidden", Error / Error,
    en: "`left_menu.settings` cannot be hidden",
    ru: "пункт `left_menu.settings` нельзя скрыть",
    hint_en: "remove `is_hidden` from `settings`; only dashboard, leads, customers, tasks, catalogs, mail and stats can be hidden",
    hint_ru: "уберите `is_hidden` у `settings`; скрыть можно только dashboard, leads, customers, tasks, catalogs, mail и stats",
    why: "Users must always reach the account settings.",
    example: "\"left_menu\": {\"settings\": {\"is_hidden\": true}}");

rule!(MANIFEST_TOUR_MISSING, "manifest.tour_missing", Warning / Error,
    en: "the manifest has no `tour`",
    ru: "в манифесте нет `tour`",
    hint_en: "add `\"tour\": {\"is_tour\": true, \"tour_images\": {...}, \"tour_description\": \"widget.tour_description\"}` with images for every language",
    hint_ru: "добавьте `\"tour\": {\"is_tour\": true, \"tour_images\": {...}, \"tour_description\": \"widget.tour_description\"}` с картинками для каждого языка",
    why: "Private widgets may skip the install-screen slideshow; a published widget must show one.",
    example: "a manifest without \"tour\"");

rule!(MANIFEST_TOUR_DISABLED, "manifest.tour_disabled", Warning / Error,
    en: "`tour.is_tour` is not `true`",
    ru: "`tour.is_tour` не равно `true`",
    hint_en: "set `\"is_tour\": true`",
    hint_ru: "укажите `\"is_tour\": true`",
    why: "The CRM accepts only `true` for `is_tour`.",
    example: "\"tour\": {\"is_tour\": false}");

rule!(MANIFEST_TOUR_IMAGES_LOCALE, "manifest.tour_images_locale", Warning / Error,
    en: "`tour.tour_images` has no images for `{locale}`",
    ru: "в `tour.tour_images` нет картинок для языка `{locale}`",
    hint_en: "add `\"{locale}\": [\"/images/tour_1_{locale}.png\"]` and the image itself",
    hint_ru: "добавьте `\"{locale}\": [\"/images/tour_1_{locale}.png\"]` и саму картинку",
    why: "Each published language shows its own install-screen images.",
    example: "\"locale\": [\"ru\", \"en\"] with tour images for \"ru\" only");

rule!(MANIFEST_MISSING_FILE, "manifest.missing_file", Error / Error,
    en: "`{field}` names `{path}`, which is not in the package",
    ru: "`{field}` ссылается на `{path}`, которого нет в пакете",
    hint_en: "add the file at `{path}` or correct the path (paths are relative to the widget root){suggestion}",
    hint_ru: "добавьте файл `{path}` или исправьте путь (пути считаются от корня виджета){suggestion}",
    why: "A missing tour image or menu icon shows as a broken image in the CRM.",
    example: "\"tour_images\": {\"en\": [\"/images/tour_1_en.png\"]} without that file");

rule!(MANIFEST_DP_WEBHOOK_MISSING, "manifest.dp_webhook_missing", Warning / Warning,
    en: "`dp` has no `webhook_url`: the digital pipeline action will not reach your server",
    ru: "в `dp` нет `webhook_url`: действие цифровой воронки не дойдёт до вашего сервера",
    hint_en: "add `\"webhook_url\": \"https://your-server.example.net/amocrm/dp\"` to `dp`, the address amoCRM calls when a lead reaches the widget's stage",
    hint_ru: "добавьте в `dp` `\"webhook_url\": \"https://your-server.example.net/amocrm/dp\"` — адрес, который amoCRM вызывает, когда сделка попадает на этап виджета",
    why: "When a lead enters a pipeline stage with the widget's action, amoCRM POSTs to `dp.webhook_url`; without it the action is configured in the pipeline but nothing happens. Moderators ask about it.",
    example: "\"dp\": {\"settings\": {...}, \"action_multiple\": false}");

/// The manifest rules, in catalogue order.
pub(super) const RULES: &[&Rule] = &[
    &MANIFEST_MISSING,
    &MANIFEST_TOO_LARGE,
    &MANIFEST_MISSING_FIELD,
    &MANIFEST_WRONG_TYPE,
    &MANIFEST_EMPTY_VALUE,
    &MANIFEST_UNKNOWN_KEY,
    &MANIFEST_INTERFACE_VERSION,
    &MANIFEST_VERSION_FORMAT,
    &MANIFEST_LOCALE_EMPTY,
    &MANIFEST_LOCALE_NOT_ALLOWED,
    &MANIFEST_LOCALE_DUPLICATE,
    &MANIFEST_SUPPORT_MISSING,
    &MANIFEST_SUPPORT_LINK_INVALID,
    &MANIFEST_SUPPORT_EMAIL_INVALID,
    &MANIFEST_CODE_INVALID,
    &MANIFEST_SECRET_KEY_FORMAT,
    &MANIFEST_CODE_IGNORED,
    &MANIFEST_CODE_MISMATCH,
    &MANIFEST_SECRET_MISMATCH,
    &MANIFEST_LEGACY_CODE_MISSING,
    &MANIFEST_LEGACY_SECRET_MISSING,
    &MANIFEST_LOCATIONS_EMPTY,
    &MANIFEST_UNKNOWN_LOCATION,
    &MANIFEST_LOCATION_SUFFIX,
    &MANIFEST_LOCATION_PAIR,
    &MANIFEST_LOCATION_DUPLICATE,
    &MANIFEST_COMPANION_MISSING,
    &MANIFEST_COMPANION_UNUSED,
    &MANIFEST_CARD_SDK_NEEDS_CARD,
    &MANIFEST_URL_INVALID,
    &MANIFEST_INVALID_VALUE,
    &MANIFEST_COLOR_INVALID,
    &MANIFEST_SETTINGS_TYPE,
    &MANIFEST_SETTINGS_MULTIPLE_CUSTOM,
    &MANIFEST_SETTINGS_CUSTOM_LOCATION,
    &MANIFEST_LEFT_MENU_SETTINGS_HIDDEN,
    &MANIFEST_TOUR_MISSING,
    &MANIFEST_TOUR_DISABLED,
    &MANIFEST_TOUR_IMAGES_LOCALE,
    &MANIFEST_MISSING_FILE,
    &MANIFEST_DP_WEBHOOK_MISSING,
];
