//! The integrator's pages: the account's integrations, creating and editing one (its secret
//! key shown once), the integration page (code, scheme, versions, submissions with the
//! moderators' reasons, withdraw, roll back, convert, rotate the secret), uploading
//! `widget.zip` with the refusal report file by file, submitting a version for moderation
//! (refusals shown the same way, field findings beside their fields) and the history.

use super::i18n::{self, Msg};
use super::pages::not_found;
use super::render::{Template, page, page_with};
use super::report::{self, Group};
use super::session::{SignedIn, Viewer, csrf_ok, csrf_refused};
use crate::AppState;
use crate::error::ApiError;
use crate::upload;
use axum::extract::multipart::{Field, Multipart, MultipartError};
use axum::extract::{DefaultBodyLimit, FromRequest, Path, Query, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use std::collections::{BTreeMap, HashMap};
use widgetry_registry::{
    AuditEvent, Diagnostic, Error, Integration, IntegrationUpdate, ListingChanges, NewIntegration,
    NewSubmission, Principal, Severity, Submission, SubmissionState, TestCredentials, Version,
    VersionState, Visibility,
};
use widgetry_validator::{Lang, Scheme};

pub(crate) const TEMPLATES: &[Template] = &[
    (
        "integrator/list.html",
        include_str!("../../templates/integrator/list.html"),
    ),
    (
        "integrator/form.html",
        include_str!("../../templates/integrator/form.html"),
    ),
    (
        "integrator/integration.html",
        include_str!("../../templates/integrator/integration.html"),
    ),
    (
        "integrator/submit.html",
        include_str!("../../templates/integrator/submit.html"),
    ),
    (
        "integrator/history.html",
        include_str!("../../templates/integrator/history.html"),
    ),
];

pub(crate) const MESSAGES: &[Msg] = &[
    // The list.
    ("integrator.list.title", "Integrations", "Интеграции"),
    (
        "integrator.list.empty",
        "This account has no integrations yet.",
        "В этом аккаунте ещё нет интеграций.",
    ),
    (
        "integrator.list.new",
        "Create an integration",
        "Создать интеграцию",
    ),
    ("integrator.col.name", "Name", "Название"),
    ("integrator.col.code", "Code", "Код"),
    ("integrator.col.visibility", "Visibility", "Видимость"),
    (
        "integrator.col.latest",
        "Latest version",
        "Последняя версия",
    ),
    (
        "integrator.col.published",
        "Published version",
        "Опубликованная версия",
    ),
    ("integrator.none", "none", "нет"),
    (
        "integrator.code_pending",
        "generated at the first upload",
        "появится при первой загрузке",
    ),
    ("integrator.visibility.private", "private", "частная"),
    ("integrator.visibility.public", "public", "публичная"),
    ("integrator.scheme.market", "market", "маркет"),
    ("integrator.scheme.legacy", "legacy", "старая схема"),
    // Create and edit.
    (
        "integrator.new.title",
        "New integration",
        "Новая интеграция",
    ),
    (
        "integrator.new.submit",
        "Create integration",
        "Создать интеграцию",
    ),
    ("integrator.edit.title", "Edit {name}", "Изменить «{name}»"),
    (
        "integrator.edit.submit",
        "Save changes",
        "Сохранить изменения",
    ),
    ("integrator.edit.cancel", "Cancel", "Отмена"),
    (
        "integrator.form.names",
        "Name (at least one language)",
        "Название (хотя бы на одном языке)",
    ),
    (
        "integrator.form.name_en",
        "Name (English)",
        "Название (английский)",
    ),
    (
        "integrator.form.name_ru",
        "Name (Russian)",
        "Название (русский)",
    ),
    ("integrator.form.descriptions", "Description", "Описание"),
    (
        "integrator.form.description_en",
        "Description (English)",
        "Описание (английский)",
    ),
    (
        "integrator.form.description_ru",
        "Description (Russian)",
        "Описание (русский)",
    ),
    (
        "integrator.form.redirect_uri",
        "Redirect URI",
        "Redirect URI",
    ),
    (
        "integrator.form.redirect_hint",
        "where amoCRM sends the OAuth code: an https:// address (http:// only for localhost)",
        "куда amoCRM отправит OAuth-код: адрес https:// (http:// только для localhost)",
    ),
    ("integrator.form.required", "required", "обязательно"),
    (
        "integrator.form.failed",
        "The integration was not saved: correct the marked fields.",
        "Интеграция не сохранена: исправьте отмеченные поля.",
    ),
    (
        "integrator.err.name_missing",
        "Enter a name in English or in Russian.",
        "Введите название на английском или на русском.",
    ),
    (
        "integrator.err.name",
        "This name cannot be used.",
        "Это название не подходит.",
    ),
    (
        "integrator.err.description",
        "This description cannot be used.",
        "Это описание не подходит.",
    ),
    (
        "integrator.err.redirect_missing",
        "Enter the redirect URI.",
        "Введите redirect URI.",
    ),
    (
        "integrator.err.redirect",
        "Enter an absolute https:// address without a fragment (http:// only for localhost).",
        "Введите полный адрес https:// без фрагмента (http:// только для localhost).",
    ),
    // The integration page.
    ("integrator.page.code", "Code", "Код"),
    ("integrator.page.scheme", "Scheme", "Схема"),
    ("integrator.page.visibility", "Visibility", "Видимость"),
    (
        "integrator.page.client_uuid",
        "Client ID (client_uuid)",
        "ID клиента (client_uuid)",
    ),
    (
        "integrator.page.redirect_uri",
        "Redirect URI",
        "Redirect URI",
    ),
    ("integrator.page.description", "Description", "Описание"),
    ("integrator.page.created", "Created", "Создана"),
    ("integrator.page.actions", "Actions", "Действия"),
    ("integrator.page.edit", "Edit texts", "Изменить тексты"),
    ("integrator.page.history", "History", "История"),
    (
        "integrator.page.submit",
        "Submit for moderation",
        "Отправить на модерацию",
    ),
    (
        "integrator.page.rotate",
        "Rotate secret key",
        "Заменить секретный ключ",
    ),
    (
        "integrator.page.rotate_confirm",
        "Replace the secret key? The current key stops working at once.",
        "Заменить секретный ключ? Текущий ключ сразу перестанет работать.",
    ),
    (
        "integrator.page.convert",
        "Convert to the market scheme",
        "Перевести на схему маркета",
    ),
    (
        "integrator.page.convert_confirm",
        "Convert this legacy integration to the market scheme? Uploads will no longer carry the code and secret key in the manifest. This cannot be undone.",
        "Перевести эту интеграцию со старой схемы на схему маркета? Загрузкам больше не понадобятся код и секретный ключ в манифесте. Это нельзя отменить.",
    ),
    (
        "integrator.page.convert_hint",
        "Legacy integrations carry their code and secret key in manifest.json; an account admin can convert them.",
        "Интеграции старой схемы указывают код и секретный ключ в manifest.json; администратор аккаунта может их перевести.",
    ),
    (
        "integrator.secret.title",
        "Secret key: shown only now",
        "Секретный ключ: показан только сейчас",
    ),
    (
        "integrator.secret.text",
        "Copy the secret key now and keep it safe. It is shown only now: it is not stored and cannot be shown again (rotate it to get a new one).",
        "Скопируйте секретный ключ сейчас и сохраните его. Он показан только сейчас: он не хранится и не может быть показан снова (замените его, чтобы получить новый).",
    ),
    (
        "integrator.upload.title",
        "Upload a version",
        "Загрузить версию",
    ),
    (
        "integrator.upload.file",
        "Package (widget.zip)",
        "Пакет (widget.zip)",
    ),
    (
        "integrator.upload.hint",
        "The file must be named widget.zip; at most {limit}. widget.version in manifest.json must be higher than the latest version.",
        "Файл должен называться widget.zip; не больше {limit}. widget.version в manifest.json должна быть выше последней версии.",
    ),
    ("integrator.upload.submit", "Upload", "Загрузить"),
    (
        "integrator.upload.progress",
        "Upload progress",
        "Ход загрузки",
    ),
    (
        "integrator.upload.checking",
        "Checking the package…",
        "Проверяем пакет…",
    ),
    (
        "integrator.upload.failed_net",
        "The upload failed: check the connection and try again.",
        "Загрузка не удалась: проверьте соединение и попробуйте снова.",
    ),
    (
        "integrator.upload.refused",
        "The upload was refused",
        "Загрузка отклонена",
    ),
    (
        "integrator.upload.invalid",
        "widget.zip was refused (errors: {n}); nothing was stored. Each finding is listed below under its file.",
        "В widget.zip ошибок: {n}; ничего не сохранено. Все замечания перечислены ниже по файлам.",
    ),
    (
        "integrator.upload.not_increasing",
        "widget.version {given} is not higher than the latest version {latest}. Set widget.version in manifest.json to {next} or higher and upload again.",
        "widget.version {given} не выше последней версии {latest}. Укажите в manifest.json widget.version {next} или выше и загрузите снова.",
    ),
    (
        "integrator.upload.duplicate",
        "This archive was already uploaded as version {number} ({widget_version}); nothing was stored.",
        "Этот архив уже загружен как версия {number} ({widget_version}); ничего не сохранено.",
    ),
    (
        "integrator.upload.too_large",
        "The file is larger than the upload limit of {limit}; nothing was stored.",
        "Файл больше допустимого размера {limit}; ничего не сохранено.",
    ),
    (
        "integrator.upload.wrong_name",
        "The file is named {name}; it must be named widget.zip. Rename it and choose it again.",
        "Файл называется {name}; он должен называться widget.zip. Переименуйте его и выберите снова.",
    ),
    (
        "integrator.upload.no_file",
        "Choose the widget.zip file first.",
        "Сначала выберите файл widget.zip.",
    ),
    (
        "integrator.upload.unreadable",
        "The upload could not be read; try again.",
        "Не удалось прочитать загрузку; попробуйте снова.",
    ),
    (
        "integrator.upload.warnings_title",
        "Warnings and notes of version {number}",
        "Предупреждения и заметки к версии {number}",
    ),
    ("integrator.versions.title", "Versions", "Версии"),
    (
        "integrator.versions.empty",
        "No version yet: upload widget.zip above.",
        "Версий пока нет: загрузите widget.zip выше.",
    ),
    ("integrator.versions.number", "Number", "Номер"),
    (
        "integrator.versions.widget_version",
        "widget.version",
        "widget.version",
    ),
    ("integrator.versions.state", "State", "Состояние"),
    ("integrator.versions.uploaded", "Uploaded", "Загружена"),
    (
        "integrator.versions.rollback",
        "Roll back to this version",
        "Вернуть эту версию",
    ),
    (
        "integrator.versions.rollback_confirm",
        "Publish this earlier version again instead of the current one?",
        "Снова опубликовать эту прежнюю версию вместо текущей?",
    ),
    (
        "integrator.submissions.title",
        "Submissions",
        "Заявки на модерацию",
    ),
    (
        "integrator.submissions.empty",
        "No submission yet.",
        "Заявок пока нет.",
    ),
    ("integrator.submissions.id", "Submission", "Заявка"),
    ("integrator.submissions.version", "Version", "Версия"),
    ("integrator.submissions.state", "State", "Состояние"),
    (
        "integrator.submissions.submitted",
        "Submitted",
        "Отправлена",
    ),
    (
        "integrator.submissions.decision",
        "Moderators' decision",
        "Решение модераторов",
    ),
    ("integrator.submissions.note", "Note:", "Примечание:"),
    (
        "integrator.submissions.decided",
        "Decided {at}",
        "Решение {at}",
    ),
    ("integrator.submissions.withdraw", "Withdraw", "Отозвать"),
    (
        "integrator.submissions.withdraw_confirm",
        "Withdraw this submission from moderation?",
        "Отозвать эту заявку с модерации?",
    ),
    ("integrator.state.uploaded", "uploaded", "загружена"),
    ("integrator.state.in_review", "in review", "на модерации"),
    ("integrator.state.approved", "approved", "одобрена"),
    ("integrator.state.rejected", "rejected", "отклонена"),
    ("integrator.state.published", "published", "опубликована"),
    ("integrator.state.superseded", "superseded", "заменена"),
    ("integrator.state.withdrawn", "withdrawn", "отозвана"),
    // Notices.
    (
        "integrator.notice.uploaded",
        "Version {number} ({widget_version}) uploaded. Warnings: {n}.",
        "Версия {number} ({widget_version}) загружена; предупреждений: {n}.",
    ),
    (
        "integrator.notice.edited",
        "Changes saved.",
        "Изменения сохранены.",
    ),
    (
        "integrator.notice.submitted",
        "Submitted for moderation. The moderators' decision will appear under Submissions.",
        "Отправлено на модерацию. Решение модераторов появится в разделе «Заявки на модерацию».",
    ),
    (
        "integrator.notice.withdrawn",
        "Submission withdrawn.",
        "Заявка отозвана.",
    ),
    (
        "integrator.notice.rolled_back",
        "The earlier version is published again.",
        "Прежняя версия снова опубликована.",
    ),
    (
        "integrator.notice.converted",
        "Converted to the market scheme.",
        "Интеграция переведена на схему маркета.",
    ),
    (
        "integrator.notice.created",
        "Integration created.",
        "Интеграция создана.",
    ),
    (
        "integrator.notice.rotated",
        "A new secret key replaced the old one.",
        "Новый секретный ключ заменил старый.",
    ),
    // Refusals of actions.
    (
        "integrator.refused.conflict",
        "This cannot be done in the current state:",
        "Сейчас это сделать нельзя:",
    ),
    (
        "integrator.refused.forbidden",
        "You may not do this:",
        "У вас нет права на это:",
    ),
    (
        "integrator.refused.failed",
        "Something failed on the server; the failure is logged. Try again later.",
        "На сервере произошёл сбой; он записан в журнал. Попробуйте позже.",
    ),
    ("integrator.refused.title", "Not allowed", "Не разрешено"),
    // The submission form.
    (
        "integrator.submit.title",
        "Submit {name} for moderation",
        "Отправить «{name}» на модерацию",
    ),
    (
        "integrator.submit.intro",
        "Moderators check the version and these texts before it is published in the catalogue.",
        "Модераторы проверяют версию и эти тексты перед публикацией в каталоге.",
    ),
    (
        "integrator.submit.no_version",
        "There is no version to submit yet: upload widget.zip first.",
        "Пока нечего отправлять: сначала загрузите widget.zip.",
    ),
    ("integrator.submit.version", "Version", "Версия"),
    (
        "integrator.submit.version_option",
        "{number}: {widget_version} ({state})",
        "{number}: {widget_version} ({state})",
    ),
    (
        "integrator.submit.languages",
        "Publication languages",
        "Языки публикации",
    ),
    (
        "integrator.submit.languages_hint",
        "the widget must declare each one in widget.locale",
        "виджет должен объявлять каждый из них в widget.locale",
    ),
    (
        "integrator.submit.texts_for",
        "Texts in {language}",
        "Тексты: {language}",
    ),
    (
        "integrator.submit.required_per_language",
        "required for each publication language",
        "обязательно для каждого языка публикации",
    ),
    (
        "integrator.submit.description",
        "Description ({language})",
        "Описание ({language})",
    ),
    (
        "integrator.submit.description_hint",
        "what the widget does; include the support phone and e-mail",
        "что делает виджет; укажите телефон и эл. почту поддержки",
    ),
    (
        "integrator.submit.instructions",
        "Instructions ({language})",
        "Инструкция ({language})",
    ),
    (
        "integrator.submit.instructions_hint",
        "how to connect and use the widget",
        "как подключить виджет и пользоваться им",
    ),
    (
        "integrator.submit.change_name",
        "New name ({language}, optional)",
        "Новое название ({language}, необязательно)",
    ),
    (
        "integrator.submit.change_description",
        "New listing description ({language}, optional)",
        "Новое описание в каталоге ({language}, необязательно)",
    ),
    (
        "integrator.submit.changes_hint",
        "applied to the integration when the submission is approved",
        "применится к интеграции, когда заявку одобрят",
    ),
    (
        "integrator.submit.test_credentials",
        "Test credentials",
        "Тестовый доступ",
    ),
    (
        "integrator.submit.test_credentials_hint",
        "a test account for the third-party system the widget works with; shown to moderators only",
        "тестовый аккаунт во внешней системе, с которой работает виджет; его видят только модераторы",
    ),
    (
        "integrator.submit.test_credentials_again",
        "For safety the test credentials were not kept: enter them again.",
        "В целях безопасности тестовый доступ не сохранён: введите его снова.",
    ),
    (
        "integrator.submit.support_phone",
        "Support phone",
        "Телефон поддержки",
    ),
    (
        "integrator.submit.support_email",
        "Support e-mail",
        "Эл. почта поддержки",
    ),
    (
        "integrator.submit.submit",
        "Submit for moderation",
        "Отправить на модерацию",
    ),
    (
        "integrator.submit.blocked",
        "The submission is blocked (errors: {n}); nothing was queued. Each finding is listed below; those about the form are also shown beside their fields.",
        "Заявка не принята: ошибок {n}; на модерацию ничего не отправлено. Все замечания перечислены ниже; замечания о полях формы показаны и рядом с полями.",
    ),
    ("integrator.submit.report", "Findings", "Замечания"),
    // History.
    (
        "integrator.history.title",
        "History of {name}",
        "История «{name}»",
    ),
    (
        "integrator.history.empty",
        "Nothing recorded yet.",
        "Пока ничего не записано.",
    ),
    ("integrator.history.time", "Time", "Время"),
    ("integrator.history.who", "Who", "Кто"),
    ("integrator.history.kind", "Event", "Событие"),
    ("integrator.history.states", "From → to", "Из → в"),
    ("integrator.history.details", "Details", "Подробности"),
    ("integrator.history.you", "you", "вы"),
    (
        "integrator.history.moderator",
        "a platform moderator",
        "модератор платформы",
    ),
    (
        "integrator.history.user",
        "user #{id}",
        "пользователь №{id}",
    ),
    ("integrator.history.system", "system", "система"),
    (
        "integrator.back",
        "Back to the integration",
        "Назад к интеграции",
    ),
    (
        "integrator.kind.integration.created",
        "integration created",
        "интеграция создана",
    ),
    (
        "integrator.kind.integration.updated",
        "texts edited",
        "тексты изменены",
    ),
    (
        "integrator.kind.integration.secret_rotated",
        "secret key replaced",
        "секретный ключ заменён",
    ),
    (
        "integrator.kind.integration.converted",
        "converted to the market scheme",
        "переведена на схему маркета",
    ),
    (
        "integrator.kind.integration.imported",
        "imported (legacy)",
        "импортирована (старая схема)",
    ),
    (
        "integrator.kind.integration.rolled_back",
        "rolled back",
        "возврат к прежней версии",
    ),
    (
        "integrator.kind.version.uploaded",
        "version uploaded",
        "версия загружена",
    ),
    (
        "integrator.kind.version.published",
        "version published",
        "версия опубликована",
    ),
    (
        "integrator.kind.version.superseded",
        "version superseded",
        "версия заменена",
    ),
    (
        "integrator.kind.submission.created",
        "submitted for moderation",
        "отправлена на модерацию",
    ),
    (
        "integrator.kind.submission.withdrawn",
        "submission withdrawn",
        "заявка отозвана",
    ),
    (
        "integrator.kind.submission.approved",
        "submission approved",
        "заявка одобрена",
    ),
    (
        "integrator.kind.submission.rejected",
        "submission rejected",
        "заявка отклонена",
    ),
    // Language names.
    ("integrator.lang.en", "English", "английский"),
    ("integrator.lang.ru", "Russian", "русский"),
    ("integrator.lang.es", "Spanish", "испанский"),
    ("integrator.lang.pt", "Portuguese", "португальский"),
    ("integrator.lang.tr", "Turkish", "турецкий"),
    ("integrator.lang.id", "Indonesian", "индонезийский"),
];

/// The page routes of this module.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/integrations", get(list).post(create))
        .route("/integrations/new", get(new_form))
        .route("/integrations/{id}", get(show))
        .route("/integrations/{id}/edit", get(edit_form).post(edit))
        .route(
            "/integrations/{id}/upload",
            // The body cap is the API's (limit + slack), applied in the handler from the
            // configuration.
            post(upload_version)
                .get(back_to_integration)
                .layer(DefaultBodyLimit::disable()),
        )
        .route("/integrations/{id}/submit", get(submit_form).post(submit))
        .route(
            "/integrations/{id}/submissions/{sid}/withdraw",
            post(withdraw),
        )
        .route("/integrations/{id}/rollback", post(rollback))
        .route("/integrations/{id}/convert", post(convert))
        .route(
            "/integrations/{id}/secret",
            post(rotate_secret).get(back_to_integration),
        )
        .route("/integrations/{id}/history", get(history))
}

// ---------------------------------------------------------------------------------------
// Texts and small helpers.

/// The value of a `Result<T, Response>`, or return the response (the page to answer with).
macro_rules! or_page {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(response) => return response,
        }
    };
}

fn text(lang: Lang, key: &str) -> &'static str {
    i18n::text(lang, key)
}

/// A text with `{name}` placeholders filled.
fn fill(lang: Lang, key: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    let mut out = text(lang, key).to_string();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), &value.to_string());
    }
    out
}

/// A text when the key exists, else the fallback as given (event kinds, states).
fn label(lang: Lang, key: &str, fallback: &str) -> String {
    if i18n::has(key) {
        text(lang, key).to_string()
    } else {
        fallback.to_string()
    }
}

fn state_label(lang: Lang, state: &str) -> String {
    label(lang, &format!("integrator.state.{state}"), state)
}

fn language_name(lang: Lang, code: &str) -> String {
    match i18n::has(&format!("integrator.lang.{code}")) {
        true => format!(
            "{} ({code})",
            text(lang, &format!("integrator.lang.{code}"))
        ),
        false => code.to_string(),
    }
}

/// A byte count for people: `20 MB`, `64 KB`.
fn size_text(bytes: u64) -> String {
    const MB: u64 = 1024 * 1024;
    if bytes >= MB && bytes.is_multiple_of(MB) {
        format!("{} MB", bytes / MB)
    } else if bytes >= MB {
        format!("{:.1} MB", bytes as f64 / MB as f64)
    } else if bytes >= 1024 {
        format!("{} KB", bytes / 1024)
    } else {
        format!("{bytes} B")
    }
}

/// The viewer as if on another path (a page rendered in answer to a POST keeps the language
/// switch pointing at a page that can be fetched).
fn at(viewer: &Viewer, path: String) -> Viewer {
    Viewer {
        path,
        ..viewer.clone()
    }
}

fn page_path(id: i64) -> String {
    format!("/integrations/{id}")
}

fn see_page(id: i64, notice: &str) -> Response {
    Redirect::to(&format!("/integrations/{id}?notice={notice}")).into_response()
}

fn parse_id(raw: &str) -> Option<i64> {
    raw.parse::<i64>().ok().filter(|n| *n > 0)
}

/// A message page (refusals that have no better place).
fn message(viewer: &Viewer, status: StatusCode, heading: &str, text: String) -> Response {
    page_with(
        status,
        viewer,
        "message.html",
        context! { heading => heading, text => text, back => "/integrations" },
    )
}

/// The answer to a registry failure with no better place to show it.
fn failure(viewer: &Viewer, e: Error) -> Response {
    let lang = viewer.lang;
    match e {
        Error::NotFound => not_found(viewer),
        Error::Forbidden(detail) => message(
            viewer,
            StatusCode::FORBIDDEN,
            text(lang, "integrator.refused.title"),
            format!("{} {detail}", text(lang, "integrator.refused.forbidden")),
        ),
        Error::MissingScope(scope) => message(
            viewer,
            StatusCode::FORBIDDEN,
            text(lang, "integrator.refused.title"),
            format!("{} {scope}", text(lang, "integrator.refused.forbidden")),
        ),
        other => {
            tracing::error!(error = %other, "an integrator page failed");
            message(
                viewer,
                StatusCode::INTERNAL_SERVER_ERROR,
                text(lang, "integrator.refused.title"),
                text(lang, "integrator.refused.failed").to_string(),
            )
        }
    }
}

/// A refusal shown on the integration page (`problem`) with its status, or `None` when the
/// error needs a page of its own.
fn refusal(lang: Lang, e: &Error) -> Option<(StatusCode, String)> {
    match e {
        Error::StateConflict { message, .. } | Error::Conflict(message) => Some((
            StatusCode::CONFLICT,
            format!("{} {message}", text(lang, "integrator.refused.conflict")),
        )),
        Error::BadInput(message) => Some((
            StatusCode::BAD_REQUEST,
            format!("{} {message}", text(lang, "integrator.refused.conflict")),
        )),
        Error::Forbidden(message) => Some((
            StatusCode::FORBIDDEN,
            format!("{} {message}", text(lang, "integrator.refused.forbidden")),
        )),
        _ => None,
    }
}

/// A form post about one of the caller's integrations: the CSRF token is checked first.
async fn own_posted(
    state: &AppState,
    user: &SignedIn,
    raw_id: &str,
    csrf: &str,
) -> Result<Integration, Response> {
    if !csrf_ok(&user.principal, csrf) {
        return Err(csrf_refused());
    }
    own(state, user, raw_id).await
}

/// The caller's own integration, or the page to answer with (another account's: 404).
async fn own(state: &AppState, user: &SignedIn, raw_id: &str) -> Result<Integration, Response> {
    let Some(id) = parse_id(raw_id) else {
        return Err(not_found(&user.viewer));
    };
    match state
        .inner
        .registry
        .get_integration(&user.principal, id)
        .await
    {
        Ok(i) if i.account_id == user.principal.account.id => Ok(i),
        Ok(_) | Err(Error::NotFound) => Err(not_found(&user.viewer)),
        Err(e) => Err(failure(&user.viewer, e)),
    }
}

// ---------------------------------------------------------------------------------------
// Views of registry objects for the templates.

#[derive(Debug, Serialize)]
struct VersionBrief {
    number: i64,
    widget_version: String,
    state: &'static str,
    state_label: String,
}

fn brief(lang: Lang, v: &Version) -> VersionBrief {
    VersionBrief {
        number: v.number,
        widget_version: v.widget_version.clone(),
        state: v.state.as_str(),
        state_label: state_label(lang, v.state.as_str()),
    }
}

#[derive(Debug, Serialize)]
struct IntegrationView {
    id: i64,
    name: BTreeMap<String, String>,
    description: BTreeMap<String, String>,
    display_name: String,
    redirect_uri: String,
    code: Option<String>,
    scheme: &'static str,
    scheme_label: &'static str,
    legacy: bool,
    visibility: &'static str,
    visibility_label: &'static str,
    client_uuid: String,
    created_at: i64,
    latest: Option<VersionBrief>,
    published: Option<VersionBrief>,
}

fn integration_view(lang: Lang, i: &Integration, versions: &[Version]) -> IntegrationView {
    let scheme = match i.scheme {
        Scheme::Legacy => "legacy",
        _ => "market",
    };
    let visibility = i.visibility.as_str();
    let find = |id: Option<i64>| {
        id.and_then(|id| versions.iter().find(|v| v.id == id))
            .map(|v| brief(lang, v))
    };
    IntegrationView {
        id: i.id,
        name: i.name.clone(),
        description: i.description.clone(),
        display_name: i.display_name(),
        redirect_uri: i.redirect_uri.clone(),
        code: i.code.clone(),
        scheme,
        scheme_label: text(lang, &format!("integrator.scheme.{scheme}")),
        legacy: i.scheme == Scheme::Legacy,
        visibility,
        visibility_label: text(lang, &format!("integrator.visibility.{visibility}")),
        client_uuid: i.client_uuid.clone(),
        created_at: i.created_at,
        latest: find(i.latest_version_id),
        published: find(i.published_version_id),
    }
}

#[derive(Debug, Serialize)]
struct VersionRow {
    #[serde(flatten)]
    brief: VersionBrief,
    created_at: i64,
    can_rollback: bool,
}

#[derive(Debug, Serialize)]
struct ReasonView {
    code: String,
    text: String,
}

#[derive(Debug, Serialize)]
struct SubmissionRow {
    id: i64,
    number: i64,
    widget_version: String,
    state: &'static str,
    state_label: String,
    languages: Vec<String>,
    created_at: i64,
    decided_at: Option<i64>,
    reasons: Vec<ReasonView>,
    note: Option<String>,
    can_withdraw: bool,
}

fn submission_row(lang: Lang, s: &Submission) -> SubmissionRow {
    SubmissionRow {
        id: s.id,
        number: s.version.number,
        widget_version: s.version.widget_version.clone(),
        state: s.state.as_str(),
        state_label: state_label(lang, s.state.as_str()),
        languages: s.languages.clone(),
        created_at: s.created_at,
        decided_at: s.decision.as_ref().map(|d| d.at),
        reasons: s
            .decision
            .iter()
            .flat_map(|d| &d.reasons)
            .map(|r| ReasonView {
                code: r.code.clone(),
                text: r.text.clone(),
            })
            .collect(),
        note: s.decision.as_ref().and_then(|d| d.note.clone()),
        can_withdraw: s.state == SubmissionState::InReview,
    }
}

// ---------------------------------------------------------------------------------------
// The list.

async fn list(State(state): State<AppState>, user: SignedIn) -> Response {
    let registry = &state.inner.registry;
    let lang = user.viewer.lang;
    let integrations = match registry.list_integrations(&user.principal).await {
        Ok(list) => list,
        Err(e) => return failure(&user.viewer, e),
    };
    let mut rows = Vec::with_capacity(integrations.len());
    for i in &integrations {
        let versions = match registry.list_versions(&user.principal, i.id).await {
            Ok(v) => v,
            Err(e) => return failure(&user.viewer, e),
        };
        rows.push(integration_view(lang, i, &versions));
    }
    page(
        &user.viewer,
        "integrator/list.html",
        context! { integrations => Value::from_serialize(&rows) },
    )
}

// ---------------------------------------------------------------------------------------
// Create and edit.

/// The create/edit form's fields.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
struct IntegrationForm {
    #[serde(default, skip_serializing)]
    csrf: String,
    #[serde(default)]
    name_en: String,
    #[serde(default)]
    name_ru: String,
    #[serde(default)]
    description_en: String,
    #[serde(default)]
    description_ru: String,
    #[serde(default)]
    redirect_uri: String,
}

impl IntegrationForm {
    fn of(i: &Integration) -> IntegrationForm {
        let get = |m: &BTreeMap<String, String>, k: &str| m.get(k).cloned().unwrap_or_default();
        IntegrationForm {
            csrf: String::new(),
            name_en: get(&i.name, "en"),
            name_ru: get(&i.name, "ru"),
            description_en: get(&i.description, "en"),
            description_ru: get(&i.description, "ru"),
            redirect_uri: i.redirect_uri.clone(),
        }
    }

    /// The names and descriptions over `base` (other languages kept; an empty field removes
    /// its language).
    fn texts(
        &self,
        base_name: &BTreeMap<String, String>,
        base_description: &BTreeMap<String, String>,
    ) -> (BTreeMap<String, String>, BTreeMap<String, String>) {
        let merge = |base: &BTreeMap<String, String>, en: &str, ru: &str| {
            let mut m = base.clone();
            for (k, v) in [("en", en), ("ru", ru)] {
                if v.trim().is_empty() {
                    m.remove(k);
                } else {
                    m.insert(k.to_string(), v.trim().to_string());
                }
            }
            m
        };
        (
            merge(base_name, &self.name_en, &self.name_ru),
            merge(base_description, &self.description_en, &self.description_ru),
        )
    }

    /// Errors found before asking the registry: field id -> message.
    fn check(&self, lang: Lang) -> BTreeMap<&'static str, String> {
        let mut errors = BTreeMap::new();
        if self.name_en.trim().is_empty() && self.name_ru.trim().is_empty() {
            errors.insert("name-en", text(lang, "integrator.err.name_missing").into());
        }
        if self.redirect_uri.trim().is_empty() {
            errors.insert(
                "redirect-uri",
                text(lang, "integrator.err.redirect_missing").into(),
            );
        }
        errors
    }
}

/// The field a registry refusal of an integration's texts is about, with its message.
fn field_of_bad_input(lang: Lang, detail: &str) -> (&'static str, String) {
    let (field, key) = if detail.starts_with("redirect URI") {
        ("redirect-uri", "integrator.err.redirect")
    } else if detail.contains("needs a name") {
        ("name-en", "integrator.err.name_missing")
    } else if detail.contains("the name in `ru`") {
        ("name-ru", "integrator.err.name")
    } else if detail.contains("name") {
        ("name-en", "integrator.err.name")
    } else if detail.contains("the description in `ru`") {
        ("description-ru", "integrator.err.description")
    } else {
        ("description-en", "integrator.err.description")
    };
    (field, format!("{} ({detail})", text(lang, key)))
}

fn form_page(
    viewer: &Viewer,
    status: StatusCode,
    editing: Option<&Integration>,
    values: &IntegrationForm,
    errors: &BTreeMap<&'static str, String>,
) -> Response {
    let problem = (!errors.is_empty()).then(|| text(viewer.lang, "integrator.form.failed"));
    page_with(
        status,
        viewer,
        "integrator/form.html",
        context! {
            editing => editing.map(|i| context! { id => i.id, name => i.display_name() }),
            values => Value::from_serialize(values),
            errors => Value::from_serialize(errors),
            problem => problem,
        },
    )
}

async fn new_form(user: SignedIn) -> Response {
    form_page(
        &user.viewer,
        StatusCode::OK,
        None,
        &IntegrationForm::default(),
        &BTreeMap::new(),
    )
}

async fn create(
    State(state): State<AppState>,
    user: SignedIn,
    Form(f): Form<IntegrationForm>,
) -> Response {
    if !csrf_ok(&user.principal, &f.csrf) {
        return csrf_refused();
    }
    let lang = user.viewer.lang;
    let viewer = at(&user.viewer, "/integrations/new".into());
    let errors = f.check(lang);
    if !errors.is_empty() {
        return form_page(&viewer, StatusCode::UNPROCESSABLE_ENTITY, None, &f, &errors);
    }
    let (name, description) = f.texts(&BTreeMap::new(), &BTreeMap::new());
    let new = NewIntegration {
        name,
        description,
        redirect_uri: f.redirect_uri.trim().to_string(),
    };
    match state
        .inner
        .registry
        .create_integration(&user.principal, new)
        .await
    {
        Ok((integration, secret)) => {
            integration_page(
                &state,
                &user,
                integration,
                Extras {
                    secret: Some(secret),
                    notice: Some(text(lang, "integrator.notice.created").into()),
                    ..Extras::default()
                },
            )
            .await
        }
        Err(Error::BadInput(detail)) => {
            let (field, message) = field_of_bad_input(lang, &detail);
            let errors = BTreeMap::from([(field, message)]);
            form_page(&viewer, StatusCode::UNPROCESSABLE_ENTITY, None, &f, &errors)
        }
        Err(e) => failure(&user.viewer, e),
    }
}

async fn edit_form(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<String>,
) -> Response {
    let integration = or_page!(own(&state, &user, &id).await);
    form_page(
        &user.viewer,
        StatusCode::OK,
        Some(&integration),
        &IntegrationForm::of(&integration),
        &BTreeMap::new(),
    )
}

async fn edit(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<String>,
    Form(f): Form<IntegrationForm>,
) -> Response {
    let integration = or_page!(own_posted(&state, &user, &id, &f.csrf).await);
    let lang = user.viewer.lang;
    let errors = f.check(lang);
    if !errors.is_empty() {
        return form_page(
            &user.viewer,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(&integration),
            &f,
            &errors,
        );
    }
    let (name, description) = f.texts(&integration.name, &integration.description);
    let update = IntegrationUpdate {
        name: Some(name),
        description: Some(description),
        redirect_uri: Some(f.redirect_uri.trim().to_string()),
    };
    match state
        .inner
        .registry
        .update_integration(&user.principal, integration.id, update)
        .await
    {
        Ok(_) => see_page(integration.id, "edited"),
        Err(Error::BadInput(detail)) => {
            let (field, message) = field_of_bad_input(lang, &detail);
            let errors = BTreeMap::from([(field, message)]);
            form_page(
                &user.viewer,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(&integration),
                &f,
                &errors,
            )
        }
        Err(e) => failure(&user.viewer, e),
    }
}

// ---------------------------------------------------------------------------------------
// The integration page.

/// What a rendering of the integration page adds to the stored state.
#[derive(Debug, Default)]
struct Extras {
    status: Option<StatusCode>,
    secret: Option<String>,
    notice: Option<String>,
    problem: Option<String>,
    /// Why the upload was refused, shown beside the file input.
    upload_error: Option<String>,
    /// The refused upload's findings by file.
    upload_report: Vec<Group>,
    /// Show the warnings of this version (after an upload).
    warnings_of: Option<i64>,
}

/// The notices a redirect may name.
const NOTICES: &[&str] = &[
    "edited",
    "submitted",
    "withdrawn",
    "rolled_back",
    "converted",
];

#[derive(Debug, Default, Deserialize)]
struct PageQuery {
    notice: Option<String>,
    version: Option<i64>,
}

async fn show(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
) -> Response {
    let integration = or_page!(own(&state, &user, &id).await);
    let lang = user.viewer.lang;
    let mut extras = Extras::default();
    match q.notice.as_deref() {
        Some("uploaded") => extras.warnings_of = q.version,
        Some(key) if NOTICES.contains(&key) => {
            extras.notice = Some(text(lang, &format!("integrator.notice.{key}")).to_string());
        }
        _ => {}
    }
    integration_page(&state, &user, integration, extras).await
}

async fn back_to_integration(Path(id): Path<String>) -> Redirect {
    match parse_id(&id) {
        Some(id) => Redirect::to(&page_path(id)),
        None => Redirect::to("/integrations"),
    }
}

/// The integration page. Also the answer to posts (a refused upload, a new secret key), so
/// the viewer's path is the page's own.
async fn integration_page(
    state: &AppState,
    user: &SignedIn,
    integration: Integration,
    mut extras: Extras,
) -> Response {
    let viewer = &at(&user.viewer, page_path(integration.id));
    let principal = &user.principal;
    let registry = &state.inner.registry;
    let lang = viewer.lang;
    let id = integration.id;
    let (versions, submissions) = match (
        registry.list_versions(principal, id).await,
        registry.list_submissions(principal, id).await,
    ) {
        (Ok(v), Ok(s)) => (v, s),
        (Err(e), _) | (_, Err(e)) => return failure(viewer, e),
    };
    // After an upload: its notice, warnings and bundled libraries, from the stored report.
    let mut warnings = None;
    let mut libraries = Value::from(());
    if let Some(number) = extras.warnings_of
        && let Ok(detail) = registry.get_version(principal, id, number).await
    {
        let found: Vec<Diagnostic> = detail
            .report
            .diagnostics
            .iter()
            .filter(|d| d.severity != Severity::Error)
            .cloned()
            .collect();
        let count = found
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count();
        extras.notice = Some(fill(
            lang,
            "integrator.notice.uploaded",
            &[
                ("number", &number),
                ("widget_version", &detail.version.widget_version),
                ("n", &count),
            ],
        ));
        libraries = Value::from_serialize(&detail.report.libraries);
        if !found.is_empty() {
            let sources =
                report::stored_sources(registry, &detail.files, &found, OWN_SOURCE_BYTES).await;
            warnings = Some(context! {
                number => number,
                groups => Value::from_serialize(report::group(&found, &|p| sources.get(p).cloned())),
            });
        }
    }
    let public = integration.visibility == Visibility::Public;
    let version_rows: Vec<VersionRow> = versions
        .iter()
        .map(|v| VersionRow {
            brief: brief(lang, v),
            created_at: v.created_at,
            can_rollback: public && v.state == VersionState::Superseded,
        })
        .collect();
    let submission_rows: Vec<SubmissionRow> = submissions
        .iter()
        .map(|s| submission_row(lang, s))
        .collect();
    let limit = state.inner.config.max_upload_bytes;
    page_with(
        extras.status.unwrap_or(StatusCode::OK),
        viewer,
        "integrator/integration.html",
        context! {
            integration => Value::from_serialize(integration_view(lang, &integration, &versions)),
            versions => Value::from_serialize(&version_rows),
            submissions => Value::from_serialize(&submission_rows),
            secret => extras.secret,
            notice => extras.notice,
            problem => extras.problem,
            upload_error => extras.upload_error,
            upload_report => Value::from_serialize(&extras.upload_report),
            warnings => warnings,
            libraries => libraries,
            upload_limit => size_text(limit),
        },
    )
}

// ---------------------------------------------------------------------------------------
// Upload.

/// Longest `csrf` field read from a multipart body.
const MAX_CSRF_BYTES: usize = 256;

/// A refused upload as shown on the page: status, message, findings by file.
type UploadRefusal = (StatusCode, String, Vec<Group>);

/// Reads the `csrf` field, which the form puts before the file (browsers send fields in
/// document order), so the token is checked before the package is read.
async fn read_csrf(multipart: &mut Multipart) -> Result<Option<String>, MultipartError> {
    let Some(mut field) = multipart.next_field().await? else {
        return Ok(None);
    };
    if field.name() != Some("csrf") {
        return Ok(None);
    }
    read_small(&mut field).await
}

async fn read_small(field: &mut Field<'_>) -> Result<Option<String>, MultipartError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await? {
        bytes.extend_from_slice(&chunk);
        if bytes.len() > MAX_CSRF_BYTES {
            return Ok(None);
        }
    }
    Ok(String::from_utf8(bytes).ok())
}

/// The multipart body with the API's body cap (the upload limit plus slack).
async fn limited_multipart(state: &AppState, req: Request) -> Result<Multipart, Response> {
    use tower::{Layer, ServiceExt};
    let limit = usize::try_from(state.inner.config.max_upload_bytes)
        .unwrap_or(usize::MAX)
        .saturating_add(upload::BODY_SLACK);
    let extract = tower::service_fn(|req: Request| async move {
        Ok::<_, std::convert::Infallible>(Multipart::from_request(req, &()).await)
    });
    match DefaultBodyLimit::max(limit)
        .layer(extract)
        .oneshot(req)
        .await
    {
        Ok(Ok(m)) => Ok(m),
        Ok(Err(rejection)) => Err(rejection.into_response()),
        Err(never) => match never {},
    }
}

/// The page text for an intake refusal of `upload::receive`.
fn intake_refusal(lang: Lang, e: &ApiError, cap: u64) -> (StatusCode, String) {
    let status = e.status();
    let code = e.code();
    let detail = e.detail();
    let text = match code {
        "upload.too_large" => fill(
            lang,
            "integrator.upload.too_large",
            &[("limit", &size_text(cap))],
        ),
        "upload.wrong_file_name" => match e.extra("file_name").and_then(Json::as_str) {
            Some(name) if !name.is_empty() => {
                fill(lang, "integrator.upload.wrong_name", &[("name", &name)])
            }
            _ => text(lang, "integrator.upload.no_file").to_string(),
        },
        "upload.missing_file" => text(lang, "integrator.upload.no_file").to_string(),
        _ => format!("{} {detail}", text(lang, "integrator.upload.unreadable")),
    };
    (status, text)
}

/// Receives the package after the CSRF check and stores it; `Err` is the refusal to show.
async fn receive_and_store(
    state: &AppState,
    user: &SignedIn,
    id: i64,
    mut multipart: Multipart,
) -> Result<Result<widgetry_registry::UploadOutcome, UploadRefusal>, Response> {
    let (principal, lang) = (&user.principal, user.viewer.lang);
    let cap = state.inner.config.max_upload_bytes;
    let too_large = || {
        (
            StatusCode::PAYLOAD_TOO_LARGE,
            fill(
                lang,
                "integrator.upload.too_large",
                &[("limit", &size_text(cap))],
            ),
            Vec::new(),
        )
    };
    match read_csrf(&mut multipart).await {
        Ok(Some(token)) if csrf_ok(principal, &token) => {}
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Ok(Err(too_large())),
        _ => return Err(csrf_refused()),
    }
    let received = match upload::receive(multipart, cap, &state.inner.upload_dir, lang).await {
        Ok(r) => r,
        Err(e) => {
            state.inner.metrics.upload_refused(e.code());
            let (status, text) = intake_refusal(lang, &e, cap);
            return Ok(Err((status, text, Vec::new())));
        }
    };
    // The slot is held through the refusal report below, which inflates the archive again.
    let slot = state
        .inner
        .registry
        .check_slot()
        .await
        .map_err(|e| ApiError::from(e).into_response())?;
    let bytes = received.read().await.map_err(IntoResponse::into_response)?;
    let outcome = state
        .inner
        .registry
        .upload_version_owned(&slot, principal, id, bytes, lang)
        .await;
    let metrics = &state.inner.metrics;
    let (code, refusal) = match outcome {
        Ok(o) => {
            metrics.upload_accepted();
            metrics.findings(&o.warnings);
            return Ok(Ok(o));
        }
        Err(Error::Invalid(report)) => {
            metrics.findings(&report.diagnostics);
            // The registry took the archive; its text for the snippets is read back from the
            // received file and checked again off the async threads.
            let bytes = received.read().await.map_err(IntoResponse::into_response)?;
            let message = fill(lang, "integrator.upload.invalid", &[("n", &report.errors)]);
            let groups = tokio::task::spawn_blocking(move || {
                report::group(&report.diagnostics, &report::zip_sources(&bytes))
            })
            .await
            .map_err(|e| ApiError::internal(&e).into_response())?;
            (
                "validation.failed",
                (StatusCode::BAD_REQUEST, message, groups),
            )
        }
        Err(Error::VersionNotIncreasing {
            given,
            latest,
            next,
        }) => (
            "version.not_increasing",
            (
                StatusCode::CONFLICT,
                fill(
                    lang,
                    "integrator.upload.not_increasing",
                    &[("given", &given), ("latest", &latest), ("next", &next)],
                ),
                Vec::new(),
            ),
        ),
        Err(Error::DuplicateArchive {
            number,
            widget_version,
        }) => (
            "version.duplicate_archive",
            (
                StatusCode::CONFLICT,
                fill(
                    lang,
                    "integrator.upload.duplicate",
                    &[("number", &number), ("widget_version", &widget_version)],
                ),
                Vec::new(),
            ),
        ),
        Err(e) => {
            return match refusal(lang, &e) {
                Some((status, text)) => Ok(Err((status, text, Vec::new()))),
                None => Err(failure(&user.viewer, e)),
            };
        }
    };
    metrics.upload_refused(code);
    Ok(Err(refusal))
}

async fn upload_version(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    // Refuse what can be refused before reading the body.
    let integration = or_page!(own(&state, &user, &id).await);
    let multipart = or_page!(limited_multipart(&state, req).await);
    let id = integration.id;
    match receive_and_store(&state, &user, id, multipart).await {
        Err(response) => response,
        Ok(Ok(outcome)) => Redirect::to(&format!(
            "/integrations/{id}?notice=uploaded&version={}",
            outcome.version.number
        ))
        .into_response(),
        Ok(Err((status, text, groups))) => {
            // The integration may have got its code meanwhile; show the current state.
            let integration = or_page!(own(&state, &user, &id.to_string()).await);
            integration_page(
                &state,
                &user,
                integration,
                Extras {
                    status: Some(status),
                    upload_error: Some(text),
                    upload_report: groups,
                    ..Extras::default()
                },
            )
            .await
        }
    }
}

// ---------------------------------------------------------------------------------------
// Small actions: withdraw, roll back, convert, rotate the secret.

#[derive(Debug, Default, Deserialize)]
struct ActionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    version: Option<String>,
}

/// Runs an action's outcome: redirect with a notice, or the page with the refusal.
async fn after_action<T>(
    state: &AppState,
    user: &SignedIn,
    integration: Integration,
    result: Result<T, Error>,
    notice: &str,
) -> Response {
    match result {
        Ok(_) => see_page(integration.id, notice),
        Err(e) => match refusal(user.viewer.lang, &e) {
            Some((status, problem)) => {
                let integration = or_page!(own(state, user, &integration.id.to_string()).await);
                integration_page(
                    state,
                    user,
                    integration,
                    Extras {
                        status: Some(status),
                        problem: Some(problem),
                        ..Extras::default()
                    },
                )
                .await
            }
            None => failure(&user.viewer, e),
        },
    }
}

async fn withdraw(
    State(state): State<AppState>,
    user: SignedIn,
    Path((id, sid)): Path<(String, String)>,
    Form(f): Form<ActionForm>,
) -> Response {
    let integration = or_page!(own_posted(&state, &user, &id, &f.csrf).await);
    let Some(sid) = parse_id(&sid) else {
        return not_found(&user.viewer);
    };
    let result = state
        .inner
        .registry
        .withdraw(&user.principal, integration.id, sid)
        .await;
    if matches!(result, Err(Error::NotFound)) {
        return not_found(&user.viewer);
    }
    after_action(&state, &user, integration, result, "withdrawn").await
}

async fn rollback(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<String>,
    Form(f): Form<ActionForm>,
) -> Response {
    let integration = or_page!(own_posted(&state, &user, &id, &f.csrf).await);
    let Some(number) = f.version.as_deref().and_then(parse_id) else {
        return after_action::<()>(
            &state,
            &user,
            integration,
            Err(Error::BadInput(
                text(user.viewer.lang, "integrator.versions.none_chosen").into(),
            )),
            "rolled_back",
        )
        .await;
    };
    let result = state
        .inner
        .registry
        .rollback(&user.principal, integration.id, number)
        .await;
    after_action(&state, &user, integration, result, "rolled_back").await
}

async fn convert(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<String>,
    Form(f): Form<ActionForm>,
) -> Response {
    let integration = or_page!(own_posted(&state, &user, &id, &f.csrf).await);
    let result = state
        .inner
        .registry
        .convert(&user.principal, integration.id)
        .await;
    after_action(&state, &user, integration, result, "converted").await
}

async fn rotate_secret(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<String>,
    Form(f): Form<ActionForm>,
) -> Response {
    let integration = or_page!(own_posted(&state, &user, &id, &f.csrf).await);
    match state
        .inner
        .registry
        .rotate_secret(&user.principal, integration.id)
        .await
    {
        Ok((integration, secret)) => {
            integration_page(
                &state,
                &user,
                integration,
                Extras {
                    secret: Some(secret),
                    notice: Some(text(user.viewer.lang, "integrator.notice.rotated").into()),
                    ..Extras::default()
                },
            )
            .await
        }
        Err(e) => after_action::<()>(&state, &user, integration, Err(e), "").await,
    }
}

/// The integrator's own stored files are read whole for snippets.
const OWN_SOURCE_BYTES: i64 = i64::MAX;

// ---------------------------------------------------------------------------------------
// Submitting for moderation.

/// The submission form's values as entered (shown again on refusal, test credentials
/// excepted).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
struct SubmitValues {
    version: Option<i64>,
    languages: Vec<String>,
    description: BTreeMap<String, String>,
    instructions: BTreeMap<String, String>,
    change_name: BTreeMap<String, String>,
    change_description: BTreeMap<String, String>,
    support_phone: String,
    support_email: String,
    #[serde(skip)]
    test_credentials: String,
}

/// Whether a string may be a language code in a field name or id (`en`, `pt`, `zh-hans`).
fn is_lang_code(s: &str) -> bool {
    (2..=8).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && s.as_bytes()[0].is_ascii_lowercase()
}

/// Reads the submission form: the CSRF token and the values. Per-language fields are
/// `description_<lang>`, `instructions_<lang>`, `change_name_<lang>`,
/// `change_description_<lang>`; `languages` repeats.
fn parse_submit(pairs: &[(String, String)]) -> (String, SubmitValues) {
    let mut csrf = String::new();
    let mut v = SubmitValues::default();
    for (key, value) in pairs {
        match key.as_str() {
            "csrf" => csrf = value.clone(),
            "version" => v.version = value.trim().parse().ok(),
            "languages" => {
                let l = value.trim().to_string();
                if is_lang_code(&l) && !v.languages.contains(&l) {
                    v.languages.push(l);
                }
            }
            "support_phone" => v.support_phone = value.clone(),
            "support_email" => v.support_email = value.clone(),
            "test_credentials" => v.test_credentials = value.clone(),
            other => {
                let maps = [
                    ("change_description_", &mut v.change_description),
                    ("change_name_", &mut v.change_name),
                    ("description_", &mut v.description),
                    ("instructions_", &mut v.instructions),
                ];
                for (prefix, map) in maps {
                    if let Some(lang) = other.strip_prefix(prefix) {
                        if is_lang_code(lang) {
                            map.insert(lang.to_string(), value.clone());
                        }
                        break;
                    }
                }
            }
        }
    }
    (csrf, v)
}

impl SubmitValues {
    /// What the registry is asked: texts of the publication languages only, blank fields
    /// left out (so a missing one is reported as missing), changes as entered.
    fn to_submission(&self) -> NewSubmission {
        let of_languages = |m: &BTreeMap<String, String>| {
            m.iter()
                .filter(|(k, v)| self.languages.contains(k) && !v.trim().is_empty())
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect::<BTreeMap<_, _>>()
        };
        let filled = |m: &BTreeMap<String, String>| {
            m.iter()
                .filter(|(_, v)| !v.trim().is_empty())
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect::<BTreeMap<_, _>>()
        };
        NewSubmission {
            version: self.version,
            languages: self.languages.clone(),
            description: of_languages(&self.description),
            instructions: of_languages(&self.instructions),
            test_credentials: Some(self.test_credentials.trim())
                .filter(|c| !c.is_empty())
                .map(|c| TestCredentials(c.to_string())),
            support_phone: self.support_phone.clone(),
            support_email: self.support_email.clone(),
            changes: ListingChanges {
                name: filled(&self.change_name),
                description: filled(&self.change_description),
            },
        }
    }
}

/// The form field a finding's JSON pointer is about (its element id), if it names one.
fn field_id(pointer: &str) -> Option<String> {
    let parts: Vec<String> = pointer
        .strip_prefix('/')?
        .split('/')
        .map(|p| p.replace("~1", "/").replace("~0", "~"))
        .collect();
    let lang = |s: &String| is_lang_code(s).then(|| s.clone());
    match parts.as_slice() {
        [f] if f == "languages" => Some("sub-languages".into()),
        [f, _] if f == "languages" => Some("sub-languages".into()),
        [f] if f == "version" => Some("sub-version".into()),
        [f] if f == "support_phone" => Some("sub-support-phone".into()),
        [f] if f == "support_email" => Some("sub-support-email".into()),
        [f] if f == "test_credentials" => Some("sub-test-credentials".into()),
        [f, l] if f == "description" => Some(format!("sub-description-{}", lang(l)?)),
        [f, l] if f == "instructions" => Some(format!("sub-instructions-{}", lang(l)?)),
        [c, f, l] if c == "changes" && f == "name" => Some(format!("sub-change-name-{}", lang(l)?)),
        [c, f, l] if c == "changes" && f == "description" => {
            Some(format!("sub-change-description-{}", lang(l)?))
        }
        _ => None,
    }
}

/// Findings about form fields, by field id (file-less findings with a pointer we can map).
fn field_errors(diagnostics: &[Diagnostic]) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for d in diagnostics.iter().filter(|d| d.file.is_none()) {
        if let Some(id) = d.pointer.as_deref().and_then(field_id) {
            out.entry(id).or_default().push(d.message.clone());
        }
    }
    out
}

/// The languages offered as publication languages: English and Russian, those the widget
/// declares, and any the form already names.
fn offered_languages(declared: &[String], values: &SubmitValues) -> Vec<String> {
    let mut out: Vec<String> = vec!["en".into(), "ru".into()];
    let named = values
        .languages
        .iter()
        .chain(values.description.keys())
        .chain(values.instructions.keys())
        .chain(values.change_name.keys())
        .chain(values.change_description.keys());
    for l in declared.iter().chain(named) {
        if is_lang_code(l) && !out.contains(l) {
            out.push(l.clone());
        }
    }
    out
}

#[derive(Debug, Serialize)]
struct LangOption {
    code: String,
    name: String,
    checked: bool,
}

struct SubmitPage<'a> {
    status: StatusCode,
    /// The integration's id and display name.
    integration: (i64, String),
    versions: &'a [Version],
    declared: Vec<String>,
    values: SubmitValues,
    problem: Option<String>,
    report: Vec<Group>,
    field_errors: BTreeMap<String, Vec<String>>,
    credentials_dropped: bool,
}

fn submit_page(viewer: &Viewer, p: SubmitPage<'_>) -> Response {
    let lang = viewer.lang;
    let submittable = [
        VersionState::Uploaded,
        VersionState::Rejected,
        VersionState::Withdrawn,
    ];
    let selected = p.values.version.or_else(|| {
        p.versions
            .iter()
            .find(|v| submittable.contains(&v.state))
            .map(|v| v.number)
    });
    let versions: Vec<Value> = p
        .versions
        .iter()
        .map(|v| {
            context! {
                number => v.number,
                label => fill(lang, "integrator.submit.version_option", &[
                    ("number", &v.number),
                    ("widget_version", &v.widget_version),
                    ("state", &state_label(lang, v.state.as_str())),
                ]),
                selected => Some(v.number) == selected,
                disabled => !submittable.contains(&v.state),
            }
        })
        .collect();
    let langs: Vec<LangOption> = offered_languages(&p.declared, &p.values)
        .into_iter()
        .map(|code| LangOption {
            checked: p.values.languages.contains(&code),
            name: language_name(lang, &code),
            code,
        })
        .collect();
    page_with(
        p.status,
        viewer,
        "integrator/submit.html",
        context! {
            integration => context! { id => p.integration.0, name => p.integration.1 },
            has_versions => !p.versions.is_empty(),
            versions => versions,
            langs => Value::from_serialize(&langs),
            values => Value::from_serialize(&p.values),
            problem => p.problem,
            findings => Value::from_serialize(&p.report),
            field_errors => Value::from_serialize(&p.field_errors),
            credentials_dropped => p.credentials_dropped,
        },
    )
}

/// The languages a version's manifest declares (`widget.locale`).
async fn declared_languages(
    state: &AppState,
    principal: &Principal,
    id: i64,
    number: Option<i64>,
) -> Vec<String> {
    let Some(number) = number else {
        return Vec::new();
    };
    match state
        .inner
        .registry
        .get_version(principal, id, number)
        .await
    {
        Ok(d) => d
            .manifest
            .pointer("/widget/locale")
            .and_then(Json::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Json::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default(),
        Err(_) => Vec::new(),
    }
}

async fn submit_form(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<String>,
) -> Response {
    let integration = or_page!(own(&state, &user, &id).await);
    let registry = &state.inner.registry;
    let (versions, submissions) = match (
        registry
            .list_versions(&user.principal, integration.id)
            .await,
        registry
            .list_submissions(&user.principal, integration.id)
            .await,
    ) {
        (Ok(v), Ok(s)) => (v, s),
        (Err(e), _) | (_, Err(e)) => return failure(&user.viewer, e),
    };
    let declared = declared_languages(
        &state,
        &user.principal,
        integration.id,
        versions.first().map(|v| v.number),
    )
    .await;
    // Start from the last submission's texts (a resubmission after a rejection changes
    // little), else the languages the widget declares among English and Russian.
    let values = match submissions.first() {
        Some(s) => SubmitValues {
            version: None,
            languages: s.languages.clone(),
            description: s.description.clone(),
            instructions: s.instructions.clone(),
            change_name: BTreeMap::new(),
            change_description: BTreeMap::new(),
            support_phone: s.support_phone.clone(),
            support_email: s.support_email.clone(),
            test_credentials: String::new(),
        },
        None => SubmitValues {
            languages: ["en", "ru"]
                .into_iter()
                .filter(|l| declared.is_empty() || declared.iter().any(|d| d == l))
                .map(str::to_string)
                .collect(),
            ..SubmitValues::default()
        },
    };
    submit_page(
        &user.viewer,
        SubmitPage {
            status: StatusCode::OK,
            integration: (integration.id, integration.display_name()),
            versions: &versions,
            declared,
            values,
            problem: None,
            report: Vec::new(),
            field_errors: BTreeMap::new(),
            credentials_dropped: false,
        },
    )
}

async fn submit(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let (csrf, values) = parse_submit(&pairs);
    let integration = or_page!(own_posted(&state, &user, &id, &csrf).await);
    let lang = user.viewer.lang;
    let registry = &state.inner.registry;
    let result = registry
        .submit(
            &user.principal,
            integration.id,
            values.to_submission(),
            lang,
        )
        .await;
    let (status, problem, diagnostics) = match result {
        Ok(_) => return see_page(integration.id, "submitted"),
        Err(Error::SubmissionBlocked(report)) => (
            StatusCode::BAD_REQUEST,
            fill(lang, "integrator.submit.blocked", &[("n", &report.errors)]),
            report.diagnostics,
        ),
        Err(e) => match refusal(lang, &e) {
            Some((status, problem)) => (status, problem, Vec::new()),
            None => return failure(&user.viewer, e),
        },
    };
    let versions = match registry
        .list_versions(&user.principal, integration.id)
        .await
    {
        Ok(v) => v,
        Err(e) => return failure(&user.viewer, e),
    };
    let number = values.version.or(versions.first().map(|v| v.number));
    let declared = declared_languages(&state, &user.principal, integration.id, number).await;
    // Snippets of the package's findings come from the stored version's files.
    let sources = match number {
        Some(n) if diagnostics.iter().any(|d| d.file.is_some()) => {
            match registry
                .get_version(&user.principal, integration.id, n)
                .await
            {
                Ok(detail) => {
                    report::stored_sources(registry, &detail.files, &diagnostics, OWN_SOURCE_BYTES)
                        .await
                }
                Err(_) => HashMap::new(),
            }
        }
        _ => HashMap::new(),
    };
    let report = report::group(&diagnostics, &|p| sources.get(p).cloned());
    let errors = field_errors(&diagnostics);
    let credentials_dropped = !values.test_credentials.trim().is_empty();
    let values = SubmitValues {
        test_credentials: String::new(),
        ..values
    };
    submit_page(
        &at(
            &user.viewer,
            format!("/integrations/{}/submit", integration.id),
        ),
        SubmitPage {
            status,
            integration: (integration.id, integration.display_name()),
            versions: &versions,
            declared,
            values,
            problem: Some(problem),
            report,
            field_errors: errors,
            credentials_dropped,
        },
    )
}

// ---------------------------------------------------------------------------------------
// History.

/// An event's details as `key: value` pairs (strings unquoted, the rest as JSON).
fn detail_text(detail: &Json) -> String {
    match detail {
        Json::Object(map) => map
            .iter()
            .map(|(k, v)| match v {
                Json::String(s) => format!("{k}: {s}"),
                other => format!("{k}: {other}"),
            })
            .collect::<Vec<_>>()
            .join("; "),
        Json::Null => String::new(),
        other => other.to_string(),
    }
}

#[derive(Debug, Serialize)]
struct EventRow {
    at: i64,
    who: String,
    kind: String,
    kind_label: String,
    from_state: Option<String>,
    to_state: Option<String>,
    details: String,
}

/// Who did it: "you", a colleague of the account by e-mail, a platform moderator for a
/// decision taken outside the account, else the user's number.
fn event_row(
    lang: Lang,
    me: &Principal,
    colleagues: &std::collections::HashMap<i64, String>,
    e: &AuditEvent,
) -> EventRow {
    let who = match e.actor_user_id {
        Some(id) if id == me.user.id => {
            format!(
                "{} ({})",
                text(lang, "integrator.history.you"),
                me.user.email
            )
        }
        Some(id) => match colleagues.get(&id) {
            Some(email) => email.clone(),
            None if e.kind.starts_with("submission.")
                || e.kind.starts_with("version.")
                || e.kind == "integration.published" =>
            {
                text(lang, "integrator.history.moderator").to_string()
            }
            None => fill(lang, "integrator.history.user", &[("id", &id)]),
        },
        None => text(lang, "integrator.history.system").to_string(),
    };
    let state = |s: &Option<String>| s.as_deref().map(|s| state_label(lang, s));
    EventRow {
        at: e.at,
        who,
        kind: e.kind.clone(),
        kind_label: label(lang, &format!("integrator.kind.{}", e.kind), &e.kind),
        from_state: state(&e.from_state),
        to_state: state(&e.to_state),
        details: detail_text(&e.detail),
    }
}

async fn history(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<String>,
) -> Response {
    let integration = or_page!(own(&state, &user, &id).await);
    let events = match state
        .inner
        .registry
        .integration_history(&user.principal, integration.id, 0, false, 10_000)
        .await
    {
        Ok(e) => e,
        Err(e) => return failure(&user.viewer, e),
    };
    let colleagues = match state.inner.registry.account_users(&user.principal).await {
        Ok(users) => users.into_iter().map(|u| (u.id, u.email)).collect(),
        Err(e) => return failure(&user.viewer, e),
    };
    let rows: Vec<EventRow> = events
        .iter()
        .map(|e| event_row(user.viewer.lang, &user.principal, &colleagues, e))
        .collect();
    page(
        &user.viewer,
        "integrator/history.html",
        context! {
            integration => context! { id => integration.id, name => integration.display_name() },
            events => Value::from_serialize(&rows),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn pointers_map_to_form_fields() {
        assert_eq!(
            field_id("/description/ru").as_deref(),
            Some("sub-description-ru")
        );
        assert_eq!(
            field_id("/instructions/en").as_deref(),
            Some("sub-instructions-en")
        );
        assert_eq!(field_id("/languages").as_deref(), Some("sub-languages"));
        assert_eq!(field_id("/languages/2").as_deref(), Some("sub-languages"));
        assert_eq!(
            field_id("/support_phone").as_deref(),
            Some("sub-support-phone")
        );
        assert_eq!(
            field_id("/support_email").as_deref(),
            Some("sub-support-email")
        );
        assert_eq!(
            field_id("/test_credentials").as_deref(),
            Some("sub-test-credentials")
        );
        assert_eq!(
            field_id("/changes/name/es").as_deref(),
            Some("sub-change-name-es")
        );
        assert_eq!(
            field_id("/changes/description/en").as_deref(),
            Some("sub-change-description-en")
        );
        // Pointers into the manifest, odd languages and unknown fields map to nothing.
        assert_eq!(field_id("/widget/locale"), None);
        assert_eq!(field_id("/description/x\"y"), None);
        assert_eq!(field_id("/description/a~1b"), None);
        assert_eq!(field_id("description/en"), None);
        assert_eq!(field_id("/changes/logo/en"), None);
    }

    #[test]
    fn field_findings_are_keyed_by_field_id() {
        let d = |file: Option<&str>, pointer: Option<&str>, message: &str| Diagnostic {
            code: "x".into(),
            severity: Severity::Error,
            message: message.into(),
            file: file.map(str::to_string),
            pointer: pointer.map(str::to_string),
            line: None,
            column: None,
            hint: String::new(),
        };
        let errors = field_errors(&[
            d(None, Some("/description/ru"), "no Russian description"),
            d(None, Some("/description/ru"), "no phone"),
            d(
                Some("manifest.json"),
                Some("/widget/locale"),
                "not declared",
            ),
            d(None, Some("/support_email"), "not an e-mail"),
        ]);
        assert_eq!(
            errors.get("sub-description-ru"),
            Some(&vec![
                "no Russian description".to_string(),
                "no phone".to_string()
            ])
        );
        assert_eq!(
            errors.get("sub-support-email"),
            Some(&vec!["not an e-mail".to_string()])
        );
        assert_eq!(errors.len(), 2);
    }

    #[test]
    fn the_submission_form_becomes_a_new_submission() {
        let (csrf, values) = parse_submit(&pairs(&[
            ("csrf", "tok"),
            ("version", "3"),
            ("languages", "en"),
            ("languages", "ru"),
            ("languages", "en"),
            ("languages", "../x"),
            (
                "description_en",
                "Shows notes. +7 495 215-37-84, help@vendor.ru",
            ),
            ("description_ru", "  "),
            ("description_es", "Muestra notas"),
            ("instructions_en", "Install it and open a lead card."),
            ("change_name_en", "Deal Notes Pro"),
            ("change_name_ru", ""),
            ("change_description_es", "Nuevo"),
            ("test_credentials", "  login: demo  "),
            ("support_phone", "+7 495 215-37-84"),
            ("support_email", "help@vendor.ru"),
            ("description_Bad Lang", "ignored"),
        ]));
        assert_eq!(csrf, "tok");
        assert_eq!(values.languages, ["en", "ru"]);
        assert_eq!(values.description.len(), 3, "kept as entered for the form");
        let s = values.to_submission();
        assert_eq!(s.version, Some(3));
        assert_eq!(s.languages, ["en", "ru"]);
        // Texts of publication languages only, blanks left out (reported as missing).
        assert_eq!(
            s.description.keys().collect::<Vec<_>>(),
            [&"en".to_string()]
        );
        assert_eq!(s.instructions.len(), 1);
        assert_eq!(
            s.test_credentials.map(|c| c.0),
            Some("login: demo".to_string())
        );
        assert_eq!(s.support_phone, "+7 495 215-37-84");
        assert_eq!(s.support_email, "help@vendor.ru");
        // Changes as entered (a change in a non-publication language is the validator's to
        // report), blanks dropped.
        assert_eq!(s.changes.name.len(), 1);
        assert_eq!(
            s.changes.description.get("es").map(String::as_str),
            Some("Nuevo")
        );
    }

    #[test]
    fn an_empty_submission_form() {
        let (csrf, values) = parse_submit(&[]);
        assert!(csrf.is_empty());
        let s = values.to_submission();
        assert_eq!(s.version, None, "the latest version");
        assert!(s.languages.is_empty());
        assert!(s.test_credentials.is_none());
        let (_, v) = parse_submit(&pairs(&[("version", "latest"), ("test_credentials", " ")]));
        assert_eq!(v.to_submission().version, None);
        assert!(v.to_submission().test_credentials.is_none());
    }

    #[test]
    fn offered_languages_start_with_english_and_russian() {
        let values = SubmitValues {
            languages: vec!["tr".into()],
            ..SubmitValues::default()
        };
        assert_eq!(
            offered_languages(&["ru".into(), "es".into(), "Bad".into()], &values),
            ["en", "ru", "es", "tr"]
        );
    }

    #[test]
    fn registry_refusals_of_texts_land_on_their_field() {
        let (f, m) = field_of_bad_input(Lang::En, "redirect URI `ftp://x` must be an https URL");
        assert_eq!(f, "redirect-uri");
        assert!(m.contains("https://") && m.contains("ftp://x"), "{m}");
        assert_eq!(
            field_of_bad_input(
                Lang::En,
                "an integration needs a name in at least one locale"
            )
            .0,
            "name-en"
        );
        assert_eq!(
            field_of_bad_input(Lang::Ru, "the name in `ru` is longer than 255 characters").0,
            "name-ru"
        );
        assert_eq!(
            field_of_bad_input(
                Lang::En,
                "the description in `ru` contains control characters"
            )
            .0,
            "description-ru"
        );
    }

    #[test]
    fn the_create_form_checks_what_it_can() {
        let f = IntegrationForm::default();
        let errors = f.check(Lang::En);
        assert!(errors.contains_key("name-en") && errors.contains_key("redirect-uri"));
        let f = IntegrationForm {
            name_ru: "Привет".into(),
            redirect_uri: "https://example.org/oauth".into(),
            ..IntegrationForm::default()
        };
        assert!(f.check(Lang::Ru).is_empty());
        // Other languages survive an edit; an emptied field removes its language.
        let base = BTreeMap::from([
            ("en".to_string(), "Hello".to_string()),
            ("es".to_string(), "Hola".to_string()),
        ]);
        let (names, descriptions) = f.texts(&base, &BTreeMap::new());
        assert_eq!(
            names,
            BTreeMap::from([
                ("es".to_string(), "Hola".to_string()),
                ("ru".to_string(), "Привет".to_string()),
            ])
        );
        assert!(descriptions.is_empty());
    }

    #[test]
    fn sizes_and_details_read_well() {
        assert_eq!(size_text(20 * 1024 * 1024), "20 MB");
        assert_eq!(size_text(1536 * 1024), "1.5 MB");
        assert_eq!(size_text(64 * 1024), "64 KB");
        assert_eq!(size_text(100), "100 B");
        assert_eq!(
            detail_text(&serde_json::json!({"number": 2, "widget_version": "1.0.1"})),
            "number: 2; widget_version: 1.0.1"
        );
        assert_eq!(detail_text(&Json::Null), "");
    }

    async fn html(response: Response) -> (StatusCode, String) {
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap_or_default();
        (status, String::from_utf8_lossy(&bytes).into_owned())
    }

    fn viewer(lang: Lang) -> Viewer {
        Viewer {
            principal: None,
            lang,
            path: "/integrations/1/submit".into(),
        }
    }

    #[tokio::test]
    async fn a_blocked_submission_shows_findings_beside_fields() {
        let diagnostics = vec![Diagnostic {
            code: "submission.description_missing".into(),
            severity: Severity::Error,
            message: "no description in ru".into(),
            file: None,
            pointer: Some("/description/ru".into()),
            line: None,
            column: None,
            hint: "describe it".into(),
        }];
        let values = SubmitValues {
            languages: vec!["en".into(), "ru".into()],
            description: BTreeMap::from([("en".into(), "Shows <notes>".into())]),
            support_phone: "+7 495 215-37-84".into(),
            test_credentials: String::new(),
            ..SubmitValues::default()
        };
        let version = Version {
            id: 1,
            integration_id: 1,
            number: 1,
            widget_version: "1.0.0".into(),
            code: "notes_ab12cd".into(),
            archive_sha256: String::new(),
            archive_size: 0,
            state: VersionState::Uploaded,
            uploaded_by: 1,
            created_at: 0,
        };
        let response = submit_page(
            &viewer(Lang::Ru),
            SubmitPage {
                status: StatusCode::BAD_REQUEST,
                integration: (1, "Notes".into()),
                versions: &[version],
                declared: vec!["en".into(), "ru".into()],
                values,
                problem: Some("blocked".into()),
                report: report::group(&diagnostics, &|_| None),
                field_errors: field_errors(&diagnostics),
                credentials_dropped: true,
            },
        );
        let (status, body) = html(response).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        // The finding beside its field, referenced by the field.
        assert!(
            body.contains(
                r#"<span id="sub-description-ru-error" class="error">no description in ru</span>"#
            ),
            "{body}"
        );
        let ru = body
            .split(r#"<textarea id="sub-description-ru""#)
            .nth(1)
            .and_then(|rest| rest.split('>').next())
            .unwrap_or_default();
        assert!(ru.contains(r#"aria-invalid="true""#), "{ru}");
        assert!(ru.contains("sub-description-ru-error"), "{ru}");
        // Values kept (escaped), the test credentials not, and the page says so.
        assert!(body.contains("Shows &lt;notes&gt;</textarea>"), "{body}");
        assert!(body.contains(r#"value="+7 495 215-37-84""#), "{body}");
        assert!(body.contains(r#"rows="3" autocomplete="off" aria-describedby="sub-test-credentials-hint"></textarea>"#), "{body}");
        assert!(body.contains("тестовый доступ не сохранён"), "{body}");
        // The report under the form, in Russian.
        assert!(body.contains(r#"id="submit-report""#), "{body}");
        assert!(body.contains("Форма заявки"), "{body}");
        assert!(body.contains(r#"<option value="1" selected>"#), "{body}");
        assert!(
            body.contains(r#"id="sub-lang-ru" name="languages" value="ru" checked"#),
            "{body}"
        );
    }
}
