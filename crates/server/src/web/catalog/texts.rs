//! The pages' texts in English and Russian: the templates and the handlers' messages.

use super::*;

pub(crate) const TEMPLATES: &[Template] = &[
    (
        "catalog/index.html",
        include_str!("../../../templates/catalog/index.html"),
    ),
    (
        "catalog/widget.html",
        include_str!("../../../templates/catalog/widget.html"),
    ),
    (
        "catalog/install.html",
        include_str!("../../../templates/catalog/install.html"),
    ),
];

pub(crate) const MESSAGES: &[super::super::i18n::Msg] = &[
    ("catalog.title", "Catalogue", "Каталог"),
    (
        "catalog.search",
        "Search by name or code",
        "Поиск по названию или коду",
    ),
    ("catalog.search_button", "Search", "Найти"),
    ("catalog.search_clear", "Show all", "Показать все"),
    (
        "catalog.count",
        "Widgets found: {n}",
        "Найдено виджетов: {n}",
    ),
    ("catalog.pages", "Pages", "Страницы"),
    (
        "catalog.page_of",
        "page {page} of {pages}",
        "страница {page} из {pages}",
    ),
    ("catalog.prev", "Previous page", "Предыдущая страница"),
    ("catalog.next", "Next page", "Следующая страница"),
    (
        "catalog.empty",
        "There are no widgets to install yet. Widgets appear here when your account uploads one, or when a widget is published for everyone.",
        "Пока нечего устанавливать. Виджеты появятся здесь, когда ваш аккаунт загрузит виджет или когда виджет опубликуют для всех.",
    ),
    (
        "catalog.empty_hint",
        "Create an integration and upload a widget",
        "Создать интеграцию и загрузить виджет",
    ),
    (
        "catalog.no_match",
        "No widget matches “{q}”.",
        "Нет виджетов по запросу «{q}».",
    ),
    ("catalog.private", "private", "частный"),
    ("catalog.public", "public", "публичный"),
    ("catalog.installed", "installed", "установлен"),
    ("catalog.not_installed", "not installed", "не установлен"),
    ("catalog.version", "version {v}", "версия {v}"),
    ("catalog.own", "your integration", "ваша интеграция"),
    ("catalog.description", "Description", "Описание"),
    ("catalog.tour", "Tour", "Обзор"),
    (
        "catalog.tour_image",
        "{name}: tour image {n}",
        "{name}: изображение обзора {n}",
    ),
    ("catalog.back", "Back to the catalogue", "Назад в каталог"),
    (
        "catalog.back_widget",
        "Back to the widget",
        "Назад к виджету",
    ),
    ("catalog.install", "Install", "Установить"),
    ("catalog.reconfigure", "Settings", "Настройки"),
    ("catalog.uninstall", "Uninstall", "Удалить"),
    (
        "catalog.uninstall_confirm",
        "Uninstall {name} from this account?",
        "Удалить {name} из этого аккаунта?",
    ),
    (
        "catalog.installed_since",
        "Installed; settings last saved {when}.",
        "Установлен; настройки сохранены {when}.",
    ),
    (
        "catalog.admins_only",
        "Only administrators of the account {account} can install, configure and uninstall widgets. Ask one of them to do it.",
        "Устанавливать, настраивать и удалять виджеты могут только администраторы аккаунта {account}. Попросите одного из них.",
    ),
    ("catalog.forbidden", "Not allowed", "Нет доступа"),
    (
        "catalog.install_title",
        "Install {name}",
        "Установка: {name}",
    ),
    (
        "catalog.reconfigure_title",
        "Settings of {name}",
        "Настройки: {name}",
    ),
    (
        "catalog.required_note",
        "Fields marked * are required.",
        "Поля, отмеченные *, обязательны.",
    ),
    (
        "catalog.no_settings",
        "This widget has no settings.",
        "У этого виджета нет настроек.",
    ),
    (
        "catalog.form_problems",
        "The settings were not saved. Correct the fields marked below.",
        "Настройки не сохранены. Исправьте отмеченные поля.",
    ),
    (
        "catalog.retype_passwords",
        "Passwords are never sent back to the page: type the new ones again (fields left empty keep the saved value).",
        "Пароли не возвращаются на страницу: введите новые ещё раз (пустые поля сохраняют прежнее значение).",
    ),
    ("catalog.save", "Save settings", "Сохранить настройки"),
    (
        "catalog.pass_keep",
        "A value is saved; leave empty to keep it.",
        "Значение сохранено; оставьте поле пустым, чтобы не менять его.",
    ),
    (
        "catalog.users_hint",
        "One value per user of the account; leave empty for users who need none.",
        "Отдельное значение для каждого пользователя аккаунта; оставьте пустым для тех, кому оно не нужно.",
    ),
    (
        "catalog.users_lp_hint",
        "A login and a password per user of the account; leave both empty for users who need none. A password left empty keeps the saved one.",
        "Логин и пароль для каждого пользователя аккаунта; оставьте оба поля пустыми для тех, кому они не нужны. Пустой пароль сохраняет прежний.",
    ),
    ("catalog.login_for", "{email}: login", "{email}: логин"),
    (
        "catalog.password_for",
        "{email}: password",
        "{email}: пароль",
    ),
    (
        "catalog.custom_hint",
        "The widget draws this setting itself inside amoCRM. Here you can enter its value as JSON text (for example {\"mode\": \"full\"}) or a number.",
        "Эту настройку виджет рисует сам внутри amoCRM. Здесь можно указать её значение как JSON-текст (например, {\"mode\": \"full\"}) или число.",
    ),
    (
        "catalog.notice.installed",
        "The widget is installed.",
        "Виджет установлен.",
    ),
    (
        "catalog.notice.updated",
        "The settings are saved.",
        "Настройки сохранены.",
    ),
    (
        "catalog.notice.uninstalled",
        "The widget is uninstalled.",
        "Виджет удалён.",
    ),
];
