//! The moderators' console: the queue (oldest first) and the recently decided submissions;
//! one submission with its automated report, the submitted texts, the test data, the files
//! and the diff against the published version, with approve and reject forms; a file viewer
//! (text with line numbers, images) and the raw bytes behind it, served so that nothing a
//! widget ships can run in the site's origin. Platform moderators only: anyone else signed
//! in gets a 403 page.

use super::i18n::{self, Msg};
use super::pages::not_found;
use super::render::{Template, page, page_with};
use super::report;
use super::session::{SignedIn, Viewer, csrf_ok, csrf_refused};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use minijinja::context;
use serde::{Deserialize, Serialize};
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};
use widgetry_registry::{
    ChangeKind, Diagnostic, Error, FileChange, FileEntry, MODERATION_REASONS, Reason, Registry,
    Submission, SubmissionState, is_reason_code,
};
use widgetry_validator::Lang;

pub(crate) const TEMPLATES: &[Template] = &[
    (
        "moderation/queue.html",
        include_str!("../../templates/moderation/queue.html"),
    ),
    (
        "moderation/submission.html",
        include_str!("../../templates/moderation/submission.html"),
    ),
    (
        "moderation/file.html",
        include_str!("../../templates/moderation/file.html"),
    ),
];

pub(crate) const MESSAGES: &[Msg] = &[
    ("moderation.title", "Moderation", "Модерация"),
    (
        "moderation.forbidden_title",
        "For moderators only",
        "Только для модераторов",
    ),
    (
        "moderation.forbidden_text",
        "The moderation console is for platform moderators, and you are not one. Ask the platform's operators if you should be.",
        "Консоль модерации — для модераторов платформы, а вы не модератор. Если это ошибка, обратитесь к операторам платформы.",
    ),
    ("moderation.tabs", "Submissions", "Заявки"),
    (
        "moderation.tab_queue",
        "Waiting for review",
        "Ожидают проверки",
    ),
    (
        "moderation.tab_history",
        "Recently decided",
        "Недавно рассмотренные",
    ),
    (
        "moderation.queue_caption",
        "Submissions waiting for review, oldest first",
        "Заявки, ожидающие проверки, сначала самые старые",
    ),
    (
        "moderation.history_caption",
        "Decided submissions, newest first",
        "Рассмотренные заявки, сначала самые новые",
    ),
    (
        "moderation.queue_empty",
        "No submissions are waiting for review.",
        "Нет заявок, ожидающих проверки.",
    ),
    (
        "moderation.history_empty",
        "No submission has been decided yet.",
        "Ещё ни одна заявка не рассмотрена.",
    ),
    ("moderation.col_integration", "Integration", "Интеграция"),
    ("moderation.col_account", "Account", "Аккаунт"),
    ("moderation.col_version", "Version", "Версия"),
    ("moderation.col_languages", "Languages", "Языки"),
    ("moderation.col_submitted", "Submitted", "Отправлена"),
    ("moderation.col_waiting", "Waiting", "Ожидает"),
    ("moderation.col_state", "Decision", "Решение"),
    ("moderation.col_decided", "Decided", "Когда"),
    ("moderation.waiting_days", "{n} days", "дней: {n}"),
    (
        "moderation.waiting_today",
        "less than a day",
        "меньше суток",
    ),
    (
        "moderation.version_label",
        "version {number} ({widget_version})",
        "версия {number} ({widget_version})",
    ),
    ("moderation.state_in_review", "in review", "на проверке"),
    ("moderation.state_approved", "approved", "одобрена"),
    ("moderation.state_rejected", "rejected", "отклонена"),
    ("moderation.state_withdrawn", "withdrawn", "отозвана"),
    (
        "moderation.submission_title",
        "Submission {id}: {name}",
        "Заявка {id}: {name}",
    ),
    ("moderation.back_to_queue", "Back to the queue", "К очереди"),
    (
        "moderation.on_this_page",
        "On this page",
        "На этой странице",
    ),
    ("moderation.summary", "Summary", "Сводка"),
    ("moderation.code", "Code", "Код"),
    ("moderation.state", "State", "Состояние"),
    ("moderation.base", "Published now", "Опубликована сейчас"),
    (
        "moderation.base_none",
        "nothing yet: this is the first publication",
        "пока ничего: это первая публикация",
    ),
    (
        "moderation.report_title",
        "Automated checks",
        "Автоматическая проверка",
    ),
    (
        "moderation.report_counts",
        "Checked with the publication rules when it was submitted (errors: {errors}, warnings: {warnings}).",
        "Проверено по правилам публикации при отправке: ошибок — {errors}, предупреждений — {warnings}.",
    ),
    (
        "moderation.report_clean",
        "The automated checks found nothing.",
        "Автоматическая проверка ничего не нашла.",
    ),
    (
        "moderation.fields_title",
        "What the integrator submitted",
        "Что прислал интегратор",
    ),
    (
        "moderation.languages",
        "Publication languages",
        "Языки публикации",
    ),
    ("moderation.description", "Description", "Описание"),
    ("moderation.instructions", "Instructions", "Инструкция"),
    (
        "moderation.in_lang",
        "{what}, language: {lang}",
        "{what}, язык: {lang}",
    ),
    (
        "moderation.support_phone",
        "Support phone",
        "Телефон поддержки",
    ),
    (
        "moderation.support_email",
        "Support e-mail",
        "Эл. почта поддержки",
    ),
    (
        "moderation.changes",
        "Listing changes applied on approval",
        "Изменения карточки, применяемые при одобрении",
    ),
    ("moderation.changes_none", "none", "нет"),
    ("moderation.change_name", "Name", "Название"),
    (
        "moderation.test_title",
        "Test data — for moderators only",
        "Тестовые доступы — только для модераторов",
    ),
    (
        "moderation.test_note",
        "Use them to try the widget; do not pass them on. Nobody but moderators sees them.",
        "Используйте их, чтобы проверить виджет, и никому не передавайте. Их видят только модераторы.",
    ),
    (
        "moderation.test_none",
        "The integrator gave no test data.",
        "Интегратор не указал тестовые доступы.",
    ),
    ("moderation.files_title", "Files", "Файлы"),
    (
        "moderation.files_caption",
        "Files of version {number}, compared with the published version",
        "Файлы версии {number} по сравнению с опубликованной версией",
    ),
    ("moderation.col_path", "Path", "Путь"),
    ("moderation.col_size", "Size", "Размер"),
    (
        "moderation.col_change",
        "Since the published version",
        "По сравнению с опубликованной",
    ),
    ("moderation.bytes", "{n} bytes", "{n} байт"),
    ("moderation.change_added", "added", "добавлен"),
    ("moderation.change_changed", "changed", "изменён"),
    ("moderation.change_unchanged", "unchanged", "без изменений"),
    ("moderation.change_removed", "removed", "удалён"),
    (
        "moderation.diff_title",
        "Changes since the published version",
        "Изменения по сравнению с опубликованной версией",
    ),
    (
        "moderation.diff_against",
        "Compared with version {number} ({widget_version}), the one published now.",
        "Сравнение с версией {number} ({widget_version}), опубликованной сейчас.",
    ),
    (
        "moderation.diff_first",
        "Nothing is published yet, so every file is new and shown in full.",
        "Пока ничего не опубликовано, поэтому все файлы новые и показаны целиком.",
    ),
    (
        "moderation.diff_none",
        "No file changed.",
        "Ни один файл не изменился.",
    ),
    (
        "moderation.diff_legend",
        "Lines starting with + were added (underlined), lines starting with - were removed (struck through); lines starting with @@ give the line numbers of each block.",
        "Строки, начинающиеся с +, добавлены (подчёркнуты), с - — удалены (зачёркнуты); строки с @@ показывают номера строк каждого блока.",
    ),
    (
        "moderation.diff_counts",
        "lines added: {added}, removed: {removed}",
        "строк добавлено: {added}, удалено: {removed}",
    ),
    (
        "moderation.diff_show",
        "Line diff ({n} lines)",
        "Построчные изменения (строк: {n})",
    ),
    (
        "moderation.diff_of",
        "Line diff of {path}",
        "Построчные изменения {path}",
    ),
    (
        "moderation.diff_binary",
        "No line diff: a binary or very large file.",
        "Построчных изменений нет: двоичный или очень большой файл.",
    ),
    (
        "moderation.diff_truncated",
        "The diff is cut short here; open the file to read all of it.",
        "Изменения показаны не полностью; откройте файл, чтобы прочитать его целиком.",
    ),
    ("moderation.view_file", "Open the file", "Открыть файл"),
    ("moderation.decide_title", "Decision", "Решение"),
    (
        "moderation.approve_title",
        "Approve and publish",
        "Одобрить и опубликовать",
    ),
    (
        "moderation.approve_base",
        "You reviewed the diff against version {number}; if another version is published before you approve, the approval is refused.",
        "Вы проверили изменения относительно версии {number}; если до одобрения опубликуют другую версию, одобрение будет отклонено.",
    ),
    (
        "moderation.approve_first",
        "You reviewed it as a first publication; if another version is published before you approve, the approval is refused.",
        "Вы проверили её как первую публикацию; если до одобрения опубликуют другую версию, одобрение будет отклонено.",
    ),
    (
        "moderation.note",
        "Note for the integrator (optional)",
        "Комментарий для интегратора (необязательно)",
    ),
    (
        "moderation.approve_button",
        "Approve and publish",
        "Одобрить и опубликовать",
    ),
    ("moderation.reject_title", "Reject", "Отклонить"),
    (
        "moderation.reject_intro",
        "Give at least one reason: a code and what to fix. Empty rows are ignored.",
        "Укажите хотя бы одну причину: код и что исправить. Пустые строки не учитываются.",
    ),
    ("moderation.reason_n", "Reason {n}", "Причина {n}"),
    ("moderation.reason_code", "Code", "Код"),
    ("moderation.reason_choose", "— choose —", "— выберите —"),
    ("moderation.reason_text", "What to fix", "Что исправить"),
    (
        "moderation.reasons_moderation",
        "Moderation reasons",
        "Причины модерации",
    ),
    (
        "moderation.reasons_findings",
        "Findings of the automated checks",
        "Замечания автоматической проверки",
    ),
    ("moderation.reject_button", "Reject", "Отклонить"),
    (
        "moderation.err_code_missing",
        "Choose a code for this reason.",
        "Выберите код для этой причины.",
    ),
    (
        "moderation.err_code_unknown",
        "This code is unknown; choose one from the list.",
        "Такого кода нет; выберите код из списка.",
    ),
    (
        "moderation.err_text_missing",
        "Say what the integrator should fix.",
        "Напишите, что интегратору нужно исправить.",
    ),
    (
        "moderation.err_no_reason",
        "Give at least one reason.",
        "Укажите хотя бы одну причину.",
    ),
    (
        "moderation.err_reject_form",
        "The submission was not rejected: correct the marked reasons.",
        "Заявка не отклонена: исправьте отмеченные причины.",
    ),
    (
        "moderation.err_bad_form",
        "The form could not be read; reload the page and try again.",
        "Не удалось прочитать форму; обновите страницу и попробуйте снова.",
    ),
    (
        "moderation.err_decided",
        "This submission is no longer in review, so nothing was changed. Its decision is shown below.",
        "Эта заявка уже не на проверке, поэтому ничего не изменено. Решение по ней показано ниже.",
    ),
    (
        "moderation.err_published_changed",
        "Another version of this integration was published while you were reviewing, so nothing was approved. Reload the page to see the diff against the version published now, then decide again.",
        "Пока вы проверяли, была опубликована другая версия этой интеграции, поэтому ничего не одобрено. Обновите страницу, чтобы увидеть изменения относительно опубликованной сейчас версии, и решите снова.",
    ),
    (
        "moderation.err_outdated",
        "A newer version of this integration is published already, so this one cannot be approved. Reject it, or ask the integrator to withdraw it.",
        "У этой интеграции уже опубликована более новая версия, поэтому эту одобрить нельзя. Отклоните её или попросите интегратора отозвать заявку.",
    ),
    ("moderation.reload", "Reload the page", "Обновить страницу"),
    (
        "moderation.decided_approved",
        "Approved on {at}; the version was published.",
        "Одобрена {at}; версия опубликована.",
    ),
    (
        "moderation.decided_rejected",
        "Rejected on {at}.",
        "Отклонена {at}.",
    ),
    (
        "moderation.decided_withdrawn",
        "Withdrawn by the integrator on {at}.",
        "Отозвана интегратором {at}.",
    ),
    ("moderation.decision_reasons", "Reasons", "Причины"),
    ("moderation.decision_note", "Note", "Комментарий"),
    (
        "moderation.notice_approved",
        "Approved: the version is published.",
        "Одобрено: версия опубликована.",
    ),
    (
        "moderation.notice_rejected",
        "Rejected: the integrator sees your reasons.",
        "Отклонено: интегратор увидит ваши причины.",
    ),
    ("moderation.file_heading", "File {path}", "Файл {path}"),
    (
        "moderation.back_to_submission",
        "Back to submission {id}",
        "Назад к заявке {id}",
    ),
    (
        "moderation.file_meta",
        "{size} bytes, SHA-256 {sha}",
        "{size} байт, SHA-256 {sha}",
    ),
    (
        "moderation.file_source",
        "Contents of {path}",
        "Содержимое {path}",
    ),
    (
        "moderation.file_cut",
        "Showing the first {shown} of {total} lines.",
        "Показаны первые {shown} строк из {total}.",
    ),
    (
        "moderation.file_raw",
        "Open the raw file",
        "Открыть файл без оформления",
    ),
    (
        "moderation.file_binary",
        "This file is not text, so it is not shown here.",
        "Это не текстовый файл, поэтому он здесь не показан.",
    ),
    (
        "moderation.file_image_alt",
        "The image {path} from the package",
        "Изображение {path} из пакета",
    ),
];

/// Lines the viewer shows at most.
const MAX_VIEW_LINES: usize = 5_000;
/// Bytes of a file the viewer reads at most (a minified script can be one huge line).
const MAX_VIEW_BYTES: usize = 2 * 1024 * 1024;
/// Files larger than this are not read for the report's source lines.
const MAX_SOURCE_BYTES: i64 = 1024 * 1024;
/// Diffs of an update up to this many lines are shown open; longer ones, and a first
/// publication's files (all new, readable in the viewer), start folded.
const OPEN_DIFF_LINES: usize = 200;
/// Reason rows the reject form offers at least.
const MIN_REASON_ROWS: usize = 3;
/// Decided submissions listed.
const HISTORY_LIMIT: i64 = 100;

/// The page routes of this module.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/moderation", get(queue))
        .route("/moderation/{sid}", get(submission))
        .route("/moderation/{sid}/approve", post(approve))
        .route("/moderation/{sid}/reject", post(reject))
        .route("/moderation/{sid}/files/{*path}", get(file))
        .route("/moderation/{sid}/raw/{*path}", get(raw))
}

/// The 403 page for anyone signed in who is not a moderator.
fn forbidden(viewer: &Viewer) -> Response {
    page_with(
        StatusCode::FORBIDDEN,
        viewer,
        "message.html",
        context! {
            heading => i18n::text(viewer.lang, "moderation.forbidden_title"),
            text => i18n::text(viewer.lang, "moderation.forbidden_text"),
        },
    )
}

/// The 403 page unless the signed-in user is a platform moderator.
fn refusal(user: &SignedIn) -> Option<Response> {
    (!user.principal.user.is_moderator).then(|| forbidden(&user.viewer))
}

/// A registry failure as a page: unknown objects 404, missing rights 403, the rest through
/// the API's mapping (500 with the failure logged).
fn failure(viewer: &Viewer, e: Error) -> Response {
    match e {
        Error::NotFound => not_found(viewer),
        Error::MissingScope(_) | Error::Forbidden(_) => forbidden(viewer),
        other => crate::ApiError::from(other).into_response(),
    }
}

/// Whole days between two unix-ms times (0 for less than a day).
fn days_between(from_ms: i64, to_ms: i64) -> i64 {
    (to_ms - from_ms).max(0) / 86_400_000
}

/// The account's subdomain, for the moderator's eyes (`#id` when it cannot be read).
async fn account_label(registry: &Registry, id: i64) -> String {
    match registry.account_by_id(id).await {
        Ok(Some(account)) => account.subdomain,
        Ok(None) => format!("#{id}"),
        Err(e) => {
            tracing::warn!(account_id = id, error = %e, "cannot read the account");
            format!("#{id}")
        }
    }
}

/// One row of the queue or of the history.
#[derive(Debug, Serialize)]
struct QueueRow {
    id: i64,
    name: BTreeMap<String, String>,
    code: String,
    account: String,
    number: i64,
    widget_version: String,
    languages: Vec<String>,
    created_at: i64,
    waiting_days: i64,
    state: &'static str,
    decided_at: Option<i64>,
}

async fn queue_rows(registry: &Registry, list: Vec<Submission>) -> Result<Vec<QueueRow>, Error> {
    let now = widgetry_registry::now_ms();
    let mut names: HashMap<i64, BTreeMap<String, String>> = HashMap::new();
    let mut accounts: HashMap<i64, String> = HashMap::new();
    let mut rows = Vec::with_capacity(list.len());
    for s in list {
        if let Entry::Vacant(e) = names.entry(s.integration_id) {
            let integration = registry.integration_by_id(s.integration_id).await?;
            e.insert(integration.map(|i| i.name).unwrap_or_default());
        }
        if let Entry::Vacant(e) = accounts.entry(s.account_id) {
            e.insert(account_label(registry, s.account_id).await);
        }
        rows.push(QueueRow {
            id: s.id,
            name: names.get(&s.integration_id).cloned().unwrap_or_default(),
            account: accounts.get(&s.account_id).cloned().unwrap_or_default(),
            code: s.code,
            number: s.version.number,
            widget_version: s.version.widget_version,
            languages: s.languages,
            created_at: s.created_at,
            waiting_days: days_between(s.created_at, now),
            state: s.state.as_str(),
            decided_at: s.decision.map(|d| d.at),
        });
    }
    Ok(rows)
}

#[derive(Debug, Default, Deserialize)]
struct QueueQuery {
    view: Option<String>,
}

/// `GET /moderation`: the queue, or `?view=decided` the recently decided submissions.
async fn queue(
    State(state): State<AppState>,
    user: SignedIn,
    Query(q): Query<QueueQuery>,
) -> Response {
    if let Some(r) = refusal(&user) {
        return r;
    }
    let registry = &state.inner.registry;
    let decided = q.view.as_deref() == Some("decided");
    let list = if decided {
        registry
            .review_history(&user.principal, HISTORY_LIMIT)
            .await
    } else {
        registry.review_queue(&user.principal).await
    };
    let rows = match list {
        Ok(list) => queue_rows(registry, list).await,
        Err(e) => Err(e),
    };
    match rows {
        Ok(rows) => page(
            &user.viewer,
            "moderation/queue.html",
            context! { decided => decided, rows => rows },
        ),
        Err(e) => failure(&user.viewer, e),
    }
}

/// One line of a unified diff, classified for display.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct DiffLine {
    /// `file` (the `---`/`+++` headers), `hunk` (`@@`), `add`, `del`, `ctx` or `note`
    /// (`\ No newline at end of file`).
    kind: &'static str,
    /// Line number in the published version.
    old: Option<u32>,
    /// Line number in the submitted version.
    new: Option<u32>,
    /// The line as in the diff, its `+`/`-`/space prefix kept.
    text: String,
}

/// The start lines of a hunk header `@@ -old[,n] +new[,n] @@ ...`.
fn hunk_start(line: &str) -> Option<(u32, u32)> {
    let rest = line.strip_prefix("@@ -")?;
    let (old, rest) = rest.split_once(" +")?;
    let (new, _) = rest.split_once(" @@")?;
    let first = |range: &str| range.split(',').next()?.parse().ok();
    Some((first(old)?, first(new)?))
}

/// Classifies the lines of a unified diff and numbers them on both sides.
fn diff_lines(unified: &str) -> Vec<DiffLine> {
    let (mut old, mut new) = (0u32, 0u32);
    let mut in_hunk = false;
    let mut out = Vec::new();
    for text in unified.lines() {
        let (kind, o, n) = if let Some((o, n)) = hunk_start(text) {
            in_hunk = true;
            (old, new) = (o, n);
            ("hunk", None, None)
        } else if !in_hunk && (text.starts_with("--- ") || text.starts_with("+++ ")) {
            ("file", None, None)
        } else {
            match text.as_bytes().first() {
                Some(b'+') => {
                    new += 1;
                    ("add", None, Some(new - 1))
                }
                Some(b'-') => {
                    old += 1;
                    ("del", Some(old - 1), None)
                }
                Some(b'\\') => ("note", None, None),
                _ => {
                    (old, new) = (old + 1, new + 1);
                    ("ctx", Some(old - 1), Some(new - 1))
                }
            }
        };
        out.push(DiffLine {
            kind,
            old: o,
            new: n,
            text: text.to_string(),
        });
    }
    out
}

/// A changed file's diff, ready for the page.
#[derive(Debug, Serialize)]
struct ChangeView {
    path: String,
    change: &'static str,
    /// Whether the file is in the submitted version (so the viewer can open it).
    viewable: bool,
    lines: Vec<DiffLine>,
    added: usize,
    removed: usize,
    has_diff: bool,
    truncated: bool,
}

fn change_name(c: &ChangeKind) -> &'static str {
    match c {
        ChangeKind::Added => "added",
        ChangeKind::Removed => "removed",
        ChangeKind::Changed => "changed",
    }
}

fn change_view(c: FileChange) -> ChangeView {
    let lines: Vec<DiffLine> = c
        .text_diff
        .as_deref()
        .map(diff_lines)
        .unwrap_or_default()
        .into_iter()
        .filter(|l| l.kind != "file")
        .collect();
    ChangeView {
        change: change_name(&c.change),
        viewable: c.change != ChangeKind::Removed,
        added: lines.iter().filter(|l| l.kind == "add").count(),
        removed: lines.iter().filter(|l| l.kind == "del").count(),
        has_diff: c.text_diff.is_some(),
        truncated: c.truncated,
        lines,
        path: c.path,
    }
}

/// A file of the submitted version (or one it removed), with how it compares with the base.
#[derive(Debug, PartialEq, Eq, Serialize)]
struct FileRow {
    path: String,
    size: i64,
    change: &'static str,
    viewable: bool,
}

/// Every file of the submitted version marked added/changed/unchanged, then the removed ones.
fn file_rows(files: &[FileEntry], diff: &[FileChange]) -> Vec<FileRow> {
    let changes: HashMap<&str, &FileChange> = diff.iter().map(|c| (c.path.as_str(), c)).collect();
    let mut rows: Vec<FileRow> = files
        .iter()
        .map(|f| FileRow {
            path: f.path.clone(),
            size: f.size,
            change: changes
                .get(f.path.as_str())
                .map_or("unchanged", |c| change_name(&c.change)),
            viewable: true,
        })
        .collect();
    rows.extend(
        diff.iter()
            .filter(|c| c.change == ChangeKind::Removed)
            .map(|c| FileRow {
                path: c.path.clone(),
                size: c.old_size.unwrap_or(0),
                change: "removed",
                viewable: false,
            }),
    );
    rows
}

/// A reason code the reject form offers.
#[derive(Debug, Serialize)]
struct ReasonOption {
    code: String,
    title: String,
}

/// The moderators' codes in the page's language.
fn moderation_options(lang: Lang) -> Vec<ReasonOption> {
    MODERATION_REASONS
        .iter()
        .map(|r| ReasonOption {
            code: r.code.to_string(),
            title: match lang {
                Lang::Ru => r.title_ru,
                _ => r.title_en,
            }
            .to_string(),
        })
        .collect()
}

/// The codes of the report's findings, once each, with the first finding's message.
fn finding_options(diagnostics: &[Diagnostic]) -> Vec<ReasonOption> {
    let mut seen = std::collections::HashSet::new();
    diagnostics
        .iter()
        .filter(|d| seen.insert(d.code.as_str()))
        .map(|d| ReasonOption {
            code: d.code.clone(),
            title: d.message.clone(),
        })
        .collect()
}

/// One row of the reject form as entered, with its errors.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
struct ReasonRow {
    code: String,
    text: String,
    code_error: Option<&'static str>,
    text_error: Option<&'static str>,
}

/// The reject form's rows from its `code_<i>`/`text_<i>` fields, in row order.
fn reason_rows(fields: &[(String, String)]) -> Vec<ReasonRow> {
    let mut rows: BTreeMap<usize, ReasonRow> = BTreeMap::new();
    for (name, value) in fields {
        let Some((field, i)) = name.split_once('_') else {
            continue;
        };
        let Ok(i) = i.parse::<usize>() else {
            continue;
        };
        match field {
            "code" => rows.entry(i).or_default().code = value.trim().to_string(),
            "text" => rows.entry(i).or_default().text = value.trim().to_string(),
            _ => {}
        }
    }
    rows.into_values().collect()
}

/// The reasons of the filled rows (empty rows are skipped), or the rows marked with their
/// errors (text keys).
fn check_rows(rows: &mut [ReasonRow]) -> Result<Vec<Reason>, &'static str> {
    let mut reasons = Vec::new();
    let mut bad = false;
    for row in rows.iter_mut() {
        if row.code.is_empty() && row.text.is_empty() {
            continue;
        }
        if row.code.is_empty() {
            row.code_error = Some("moderation.err_code_missing");
        } else if !is_reason_code(&row.code) {
            row.code_error = Some("moderation.err_code_unknown");
        }
        if row.text.is_empty() {
            row.text_error = Some("moderation.err_text_missing");
        }
        if row.code_error.is_some() || row.text_error.is_some() {
            bad = true;
        } else {
            reasons.push(Reason {
                code: row.code.clone(),
                text: row.text.clone(),
            });
        }
    }
    if bad {
        Err("moderation.err_reject_form")
    } else if reasons.is_empty() {
        Err("moderation.err_no_reason")
    } else {
        Ok(reasons)
    }
}

/// What the decision forms show when the page is shown again after a refused post.
#[derive(Debug, Default)]
struct Forms {
    rows: Vec<ReasonRow>,
    reject_note: String,
    approve_note: String,
    /// The text key of the page's problem message.
    problem: Option<&'static str>,
    /// The problem belongs to the reject form (else the approve form, or none).
    reject_problem: bool,
    /// Whether to offer the reload link with the problem.
    reload: bool,
}

/// The submission page with the given form state.
async fn show(
    state: &AppState,
    user: &SignedIn,
    sid: i64,
    status: StatusCode,
    mut forms: Forms,
    notice: Option<&'static str>,
) -> Response {
    let registry = &state.inner.registry;
    let d = match registry.review_detail(&user.principal, sid).await {
        Ok(d) => d,
        Err(e) => return failure(&user.viewer, e),
    };
    let lang = user.viewer.lang;
    let sources = report::stored_sources(
        registry,
        &d.version.files,
        &d.submission.report.diagnostics,
        MAX_SOURCE_BYTES,
    )
    .await;
    let groups = report::group(&d.submission.report.diagnostics, &|p: &str| {
        sources.get(p).cloned()
    });
    let account = account_label(registry, d.submission.account_id).await;
    let files = file_rows(&d.version.files, &d.diff);
    let findings = finding_options(&d.submission.report.diagnostics);
    let report_counts = (d.submission.report.errors, d.submission.report.warnings);
    let libraries = d.submission.report.libraries.clone();
    let changes: Vec<ChangeView> = d.diff.into_iter().map(change_view).collect();
    while forms.rows.len() < MIN_REASON_ROWS {
        forms.rows.push(ReasonRow::default());
    }
    let rows: Vec<_> = forms
        .rows
        .iter()
        .map(|r| {
            context! {
                code => r.code,
                text => r.text,
                code_error => r.code_error.map(|k| i18n::text(lang, k)),
                text_error => r.text_error.map(|k| i18n::text(lang, k)),
            }
        })
        .collect();
    let problem = forms.problem.map(|k| i18n::text(lang, k));
    let (approve_problem, reject_problem) = if forms.reject_problem {
        (None, problem)
    } else {
        (problem, None)
    };
    let in_review = d.submission.state == SubmissionState::InReview;
    page_with(
        status,
        &user.viewer,
        "moderation/submission.html",
        context! {
            submission => d.submission,
            in_review => in_review,
            integration => d.integration,
            account => account,
            version => d.version.version,
            base => d.base_version,
            groups => groups,
            libraries => minijinja::Value::from_serialize(&libraries),
            report_errors => report_counts.0,
            report_warnings => report_counts.1,
            files => files,
            changes => changes,
            open_diff_lines => OPEN_DIFF_LINES,
            moderation_reasons => moderation_options(lang),
            finding_reasons => findings,
            rows => rows,
            reject_note => forms.reject_note,
            approve_note => forms.approve_note,
            reject_problem => reject_problem,
            approve_problem => approve_problem,
            problem => problem,
            reload => forms.reload,
            notice => notice.map(|k| i18n::text(lang, k)),
        },
    )
}

/// A submission id from the path; anything else is not found.
fn parse_sid(raw: &str) -> Option<i64> {
    raw.parse().ok().filter(|n| *n > 0)
}

#[derive(Debug, Default, Deserialize)]
struct NoticeQuery {
    notice: Option<String>,
}

/// `GET /moderation/{sid}`.
async fn submission(
    State(state): State<AppState>,
    user: SignedIn,
    Path(sid): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> Response {
    if let Some(r) = refusal(&user) {
        return r;
    }
    let Some(sid) = parse_sid(&sid) else {
        return not_found(&user.viewer);
    };
    let notice = match q.notice.as_deref() {
        Some("approved") => Some("moderation.notice_approved"),
        Some("rejected") => Some("moderation.notice_rejected"),
        _ => None,
    };
    show(&state, &user, sid, StatusCode::OK, Forms::default(), notice).await
}

/// A refused decision: the page again with the message, 409 for state conflicts, 400 else.
async fn refused(
    state: &AppState,
    user: &SignedIn,
    sid: i64,
    e: Error,
    mut forms: Forms,
) -> Response {
    let (status, key, reload) = match &e {
        Error::StateConflict { code, .. } if *code == "submission.published_changed" => (
            StatusCode::CONFLICT,
            "moderation.err_published_changed",
            true,
        ),
        Error::StateConflict { code, .. } if *code == "submission.outdated" => {
            (StatusCode::CONFLICT, "moderation.err_outdated", false)
        }
        Error::StateConflict { .. } => (StatusCode::CONFLICT, "moderation.err_decided", false),
        Error::BadInput(detail) => {
            tracing::info!(sid, detail, "a decision was refused");
            (StatusCode::BAD_REQUEST, "moderation.err_bad_form", true)
        }
        _ => return failure(&user.viewer, e),
    };
    forms.problem = Some(key);
    forms.reload = reload;
    show(state, user, sid, status, forms, None).await
}

/// `POST /moderation/{sid}/approve` fields.
#[derive(Debug, Deserialize)]
struct ApproveForm {
    #[serde(default)]
    csrf: String,
    /// The published version's number the diff was shown against; empty for none.
    base_version: Option<String>,
    #[serde(default)]
    note: String,
}

/// `POST /moderation/{sid}/approve`.
async fn approve(
    State(state): State<AppState>,
    user: SignedIn,
    Path(sid): Path<String>,
    Form(f): Form<ApproveForm>,
) -> Response {
    if !csrf_ok(&user.principal, &f.csrf) {
        return csrf_refused();
    }
    if let Some(r) = refusal(&user) {
        return r;
    }
    let Some(sid) = parse_sid(&sid) else {
        return not_found(&user.viewer);
    };
    let base = match f.base_version.as_deref().map(str::trim) {
        None => None,
        Some("") => Some(None),
        Some(n) => match n.parse::<i64>() {
            Ok(n) => Some(Some(n)),
            Err(_) => {
                let forms = Forms {
                    problem: Some("moderation.err_bad_form"),
                    reload: true,
                    approve_note: f.note,
                    ..Forms::default()
                };
                return show(&state, &user, sid, StatusCode::BAD_REQUEST, forms, None).await;
            }
        },
    };
    let note = Some(f.note.clone()).filter(|n| !n.trim().is_empty());
    match state
        .inner
        .registry
        .approve(&user.principal, sid, base, note)
        .await
    {
        Ok(_) => Redirect::to(&format!("/moderation/{sid}?notice=approved")).into_response(),
        Err(e) => {
            let forms = Forms {
                approve_note: f.note,
                ..Forms::default()
            };
            refused(&state, &user, sid, e, forms).await
        }
    }
}

/// `POST /moderation/{sid}/reject`: `csrf`, `note` and rows `code_<i>`/`text_<i>`.
async fn reject(
    State(state): State<AppState>,
    user: SignedIn,
    Path(sid): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    if !csrf_ok(&user.principal, &field("csrf")) {
        return csrf_refused();
    }
    if let Some(r) = refusal(&user) {
        return r;
    }
    let Some(sid) = parse_sid(&sid) else {
        return not_found(&user.viewer);
    };
    let mut rows = reason_rows(&fields);
    let note = field("note");
    let reasons = match check_rows(&mut rows) {
        Ok(reasons) => reasons,
        Err(key) => {
            let forms = Forms {
                rows,
                reject_note: note,
                problem: Some(key),
                reject_problem: true,
                ..Forms::default()
            };
            return show(&state, &user, sid, StatusCode::BAD_REQUEST, forms, None).await;
        }
    };
    let given = Some(note.clone()).filter(|n| !n.trim().is_empty());
    match state
        .inner
        .registry
        .reject(&user.principal, sid, reasons, given)
        .await
    {
        Ok(_) => Redirect::to(&format!("/moderation/{sid}?notice=rejected")).into_response(),
        Err(e) => {
            let forms = Forms {
                rows,
                reject_note: note,
                reject_problem: true,
                ..Forms::default()
            };
            refused(&state, &user, sid, e, forms).await
        }
    }
}

/// A submitted file, looked up for a moderator.
async fn file_entry(
    state: &AppState,
    user: &SignedIn,
    sid: &str,
    path: &str,
) -> Result<(i64, FileEntry), Response> {
    if let Some(r) = refusal(user) {
        return Err(r);
    }
    let sid = parse_sid(sid).ok_or_else(|| not_found(&user.viewer))?;
    state
        .inner
        .registry
        .review_file(&user.principal, sid, path)
        .await
        .map(|entry| (sid, entry))
        .map_err(|e| failure(&user.viewer, e))
}

/// A blob that a version names and the store does not have.
fn missing_blob(user: &SignedIn, entry: &FileEntry) -> Response {
    failure(
        &user.viewer,
        Error::Internal(format!("blob {} is missing", entry.sha256)),
    )
}

/// The raw bytes of a submitted file, looked up for a moderator.
async fn file_bytes(
    state: &AppState,
    user: &SignedIn,
    sid: &str,
    path: &str,
) -> Result<(i64, FileEntry, bytes::Bytes), Response> {
    let (sid, entry) = file_entry(state, user, sid, path).await?;
    match state.inner.registry.blobs().get(&entry.sha256).await {
        Ok(Some(bytes)) => Ok((sid, entry, bytes)),
        Ok(None) => Err(missing_blob(user, &entry)),
        Err(e) => Err(failure(&user.viewer, Error::Blob(e))),
    }
}

fn is_image(content_type: &str) -> bool {
    crate::files::response::is_review_image(content_type)
}

/// The numbered lines of a text for the viewer, at most [`MAX_VIEW_LINES`] of them from the
/// first [`MAX_VIEW_BYTES`], and the file's line count; `None` for binary bytes.
fn text_lines(bytes: &[u8]) -> Option<(Vec<(usize, &str)>, usize)> {
    if bytes.contains(&0) {
        return None;
    }
    let head = &bytes[..bytes.len().min(MAX_VIEW_BYTES)];
    let text = match std::str::from_utf8(head) {
        Ok(t) => t,
        // Cut inside a character: the whole characters before it.
        Err(e) if e.error_len().is_none() && head.len() < bytes.len() => {
            std::str::from_utf8(&head[..e.valid_up_to()]).ok()?
        }
        Err(_) => return None,
    };
    let lines = text
        .lines()
        .take(MAX_VIEW_LINES)
        .enumerate()
        .map(|(i, l)| (i + 1, l))
        .collect();
    Some((lines, line_count(bytes)))
}

/// Lines in a file: newlines, plus one for a last line without a newline.
fn line_count(bytes: &[u8]) -> usize {
    let newlines = bytes.iter().filter(|b| **b == b'\n').count();
    newlines + usize::from(bytes.last().is_some_and(|b| *b != b'\n'))
}

/// `GET /moderation/{sid}/files/{*path}`: the viewer.
async fn file(
    State(state): State<AppState>,
    user: SignedIn,
    Path((sid, path)): Path<(String, String)>,
) -> Response {
    let (sid, entry, bytes) = match file_bytes(&state, &user, &sid, &path).await {
        Ok(found) => found,
        Err(r) => return r,
    };
    let image = is_image(&entry.content_type);
    let text = if image { None } else { text_lines(&bytes) };
    let is_text = text.is_some();
    let (lines, total) = text.unwrap_or_default();
    let lines: Vec<_> = lines
        .into_iter()
        .map(|(n, text)| context! { n => n, text => text })
        .collect();
    page(
        &user.viewer,
        "moderation/file.html",
        context! {
            sid => sid,
            file => entry,
            image => image,
            is_text => is_text,
            shown => lines.len(),
            total => total,
            lines => lines,
        },
    )
}

/// `GET /moderation/{sid}/raw/{*path}`: the bytes, as an image of its type or as plain text,
/// never as a page of this site.
async fn raw(
    State(state): State<AppState>,
    user: SignedIn,
    Path((sid, path)): Path<(String, String)>,
) -> Response {
    let (_, entry) = match file_entry(&state, &user, &sid, &path).await {
        Ok(found) => found,
        Err(r) => return r,
    };
    // Streamed: a large file is never held whole.
    match state.inner.registry.blobs().open(&entry.sha256).await {
        Ok(Some(stream)) => crate::files::response::for_review(
            &entry.content_type,
            axum::body::Body::from_stream(stream),
        ),
        Ok(None) => missing_blob(&user, &entry),
        Err(e) => failure(&user.viewer, Error::Blob(e)),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn diff_lines_are_classified_and_numbered() {
        let diff = "--- a/script.js\n+++ b/script.js\n@@ -2,3 +2,4 @@\n keep\n-old\n+new\n+more\n--- not a header\n\\ No newline at end of file\n";
        let lines = diff_lines(diff);
        let got: Vec<(&str, Option<u32>, Option<u32>)> =
            lines.iter().map(|l| (l.kind, l.old, l.new)).collect();
        assert_eq!(
            got,
            [
                ("file", None, None),
                ("file", None, None),
                ("hunk", None, None),
                ("ctx", Some(2), Some(2)),
                ("del", Some(3), None),
                ("add", None, Some(3)),
                ("add", None, Some(4)),
                // Inside a hunk a line starting with `---` is a removed `--` line.
                ("del", Some(4), None),
                ("note", None, None),
            ]
        );
        // The +/- prefixes stay in the text: colour is not the only cue.
        assert_eq!(lines[4].text, "-old");
        assert_eq!(lines[5].text, "+new");
    }

    #[test]
    fn hunk_headers() {
        assert_eq!(hunk_start("@@ -1,3 +1,4 @@"), Some((1, 1)));
        assert_eq!(hunk_start("@@ -0,0 +1 @@ fn main"), Some((0, 1)));
        assert_eq!(hunk_start("@@ -12 +15,2 @@"), Some((12, 15)));
        assert_eq!(hunk_start("@@ nonsense"), None);
        assert_eq!(hunk_start(" @@ -1 +1 @@"), None);
    }

    #[test]
    fn a_new_file_is_all_additions() {
        let c = change_view(FileChange {
            path: "script.js".into(),
            change: ChangeKind::Added,
            old_sha256: None,
            new_sha256: Some("n".into()),
            old_size: None,
            new_size: Some(4),
            text_diff: Some("--- a/script.js\n+++ b/script.js\n@@ -0,0 +1,2 @@\n+a\n+b\n".into()),
            truncated: false,
        });
        assert_eq!((c.added, c.removed, c.change), (2, 0, "added"));
        assert!(c.viewable && c.has_diff);
        assert_eq!(c.lines.len(), 3, "the file headers are not shown");
    }

    fn entry(path: &str, size: i64) -> FileEntry {
        FileEntry {
            path: path.into(),
            sha256: format!("sha-{path}"),
            size,
            content_type: "text/plain".into(),
        }
    }

    fn change(path: &str, kind: ChangeKind) -> FileChange {
        FileChange {
            path: path.into(),
            change: kind,
            old_sha256: None,
            new_sha256: None,
            old_size: Some(7),
            new_size: None,
            text_diff: None,
            truncated: false,
        }
    }

    #[test]
    fn files_are_marked_against_the_base() {
        let files = [entry("a.js", 1), entry("b.js", 2), entry("c.js", 3)];
        let diff = [
            change("a.js", ChangeKind::Changed),
            change("c.js", ChangeKind::Added),
            change("old.js", ChangeKind::Removed),
        ];
        let rows = file_rows(&files, &diff);
        let got: Vec<(&str, &str, bool)> = rows
            .iter()
            .map(|r| (r.path.as_str(), r.change, r.viewable))
            .collect();
        assert_eq!(
            got,
            [
                ("a.js", "changed", true),
                ("b.js", "unchanged", true),
                ("c.js", "added", true),
                ("old.js", "removed", false),
            ]
        );
        assert_eq!(rows[3].size, 7);
    }

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn reject_rows_skip_empty_ones_and_mark_errors() {
        let mut rows = reason_rows(&fields(&[
            ("csrf", "x"),
            ("code_0", "moderation.not_working"),
            ("text_0", "  the button does nothing "),
            ("code_1", ""),
            ("text_1", ""),
            ("code_2", "script.debugger"),
            ("text_2", "remove the debugger statement"),
        ]));
        assert_eq!(rows.len(), 3);
        let reasons = check_rows(&mut rows).unwrap();
        assert_eq!(reasons.len(), 2);
        assert_eq!(reasons[0].text, "the button does nothing");
        assert_eq!(reasons[1].code, "script.debugger");

        let mut rows = reason_rows(&fields(&[
            ("code_0", "moderation.ui"),
            ("text_0", ""),
            ("code_1", "no.such_code"),
            ("text_1", "x"),
            ("code_2", ""),
            ("text_2", "text without a code"),
        ]));
        assert_eq!(check_rows(&mut rows), Err("moderation.err_reject_form"));
        assert_eq!(rows[0].text_error, Some("moderation.err_text_missing"));
        assert_eq!(rows[0].code_error, None);
        assert_eq!(rows[1].code_error, Some("moderation.err_code_unknown"));
        assert_eq!(rows[2].code_error, Some("moderation.err_code_missing"));

        let mut empty = reason_rows(&fields(&[("code_0", ""), ("text_0", " ")]));
        assert_eq!(check_rows(&mut empty), Err("moderation.err_no_reason"));
    }

    #[test]
    fn every_error_key_exists() {
        for key in [
            "moderation.err_code_missing",
            "moderation.err_code_unknown",
            "moderation.err_text_missing",
            "moderation.err_reject_form",
            "moderation.err_no_reason",
            "moderation.err_bad_form",
            "moderation.err_decided",
            "moderation.err_published_changed",
            "moderation.err_outdated",
            "moderation.notice_approved",
            "moderation.notice_rejected",
        ] {
            assert!(i18n::has(key), "{key}");
        }
    }

    #[test]
    fn reason_codes_offered() {
        assert_eq!(moderation_options(Lang::En).len(), MODERATION_REASONS.len());
        assert!(
            moderation_options(Lang::Ru)
                .iter()
                .all(|o| o.title.chars().any(|c| ('а'..='я').contains(&c)))
        );
        let d = |code: &str| Diagnostic {
            code: code.into(),
            severity: widgetry_registry::Severity::Warning,
            message: format!("{code} says"),
            file: None,
            pointer: None,
            line: None,
            column: None,
            hint: String::new(),
        };
        let options =
            finding_options(&[d("script.console"), d("i18n.missing"), d("script.console")]);
        let codes: Vec<&str> = options.iter().map(|o| o.code.as_str()).collect();
        assert_eq!(codes, ["script.console", "i18n.missing"]);
    }

    #[test]
    fn viewer_lines_are_capped() {
        let big: String = (1..=6_000).map(|n| format!("line {n}\n")).collect();
        let (lines, total) = text_lines(big.as_bytes()).unwrap();
        assert_eq!((lines.len(), total), (MAX_VIEW_LINES, 6_000));
        assert_eq!(lines[0], (1, "line 1"));
        assert_eq!(text_lines(b"a\nb").unwrap().1, 2);
        assert!(text_lines(b"PNG\0\x01").is_none());
        assert!(text_lines(&[0xff, 0xfe, b'a']).is_none());
        // A cut inside a multi-byte character keeps the whole characters before it.
        let wide = format!("a{}", "я".repeat(MAX_VIEW_BYTES));
        let (lines, _) = text_lines(wide.as_bytes()).unwrap();
        assert_eq!(lines[0].1.len(), MAX_VIEW_BYTES - 1);
        // Invalid UTF-8 at the very end of a short file is not text.
        assert!(text_lines(&[b'a', 0xd1]).is_none());
    }

    #[test]
    fn only_bitmap_images_are_shown_as_images() {
        assert!(is_image("image/png"));
        assert!(is_image("image/jpeg"));
        assert!(!is_image("image/svg+xml"));
        assert!(!is_image("text/html; charset=utf-8"));
    }

    #[test]
    fn waiting_days() {
        assert_eq!(days_between(0, 86_399_999), 0);
        assert_eq!(days_between(0, 3 * 86_400_000 + 5), 3);
        assert_eq!(days_between(10, 0), 0);
        assert_eq!(parse_sid("12"), Some(12));
        assert_eq!(parse_sid("-1"), None);
        assert_eq!(parse_sid("x"), None);
    }
}
