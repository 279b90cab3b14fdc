//! The integrator pages' texts in English and Russian: the templates' words and the
//! messages of the handlers.

use super::*;

pub(crate) const TEMPLATES: &[Template] = &[
    (
        "integrator/list.html",
        include_str!("../../../templates/integrator/list.html"),
    ),
    (
        "integrator/form.html",
        include_str!("../../../templates/integrator/form.html"),
    ),
    (
        "integrator/integration.html",
        include_str!("../../../templates/integrator/integration.html"),
    ),
    (
        "integrator/submit.html",
        include_str!("../../../templates/integrator/submit.html"),
    ),
    (
        "integrator/history.html",
        include_str!("../../../templates/integrator/history.html"),
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
        "integrator.err.redirect_missing",
        "Enter the redirect URI.",
        "Введите redirect URI.",
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
