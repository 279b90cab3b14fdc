# Страницы и сообщения сервера Widgetry на русском. Те же ids, что в en.ftl.


## pages
layout-skip = Перейти к содержимому
layout-nav = Главное меню
layout-language = Язык
layout-sign_out = Выйти
nav-catalog = Каталог
nav-integrations = Мои интеграции
nav-tokens = API-токены
nav-moderation = Модерация
login-title = Вход
login-email = Эл. почта
login-password = Пароль
login-account = Аккаунт
login-account_hint = поддомен; оставьте пустым для первого аккаунта
login-submit = Войти
login-failed = Неверная эл. почта или пароль.
login-no_account = Вы не участник этого аккаунта.
login-expired = Форма входа устарела или пришла не с этого сайта; введите пароль ещё раз.
login-too_many = Слишком много попыток входа с вашего адреса для этой почты. Подождите немного и попробуйте снова.
login-busy = Сервер занят проверкой паролей. Попробуйте через несколько секунд.
message-back = Назад
report-request = Форма заявки и пакет целиком
report-general = Пакет целиком
report-errors = { $n ->
    [one] { $n } ошибка
    [few] { $n } ошибки
   *[many] { $n } ошибок
}
report-warnings = { $n ->
    [one] { $n } предупреждение
    [few] { $n } предупреждения
   *[many] { $n } предупреждений
}
report-line = строка { $line }
report-column = столбец { $column }
report-source = Строки исходного кода
report-hint = Как исправить:
report-libraries = Библиотеки в пакете
report-libraries_note = Распознанные сторонние библиотеки: их код не проверяется как код автора.
report-library_file = Файл
report-library = Библиотека
report-library_how = Как распознана
report-library_advisories = Уязвимости
report-library_how-hash = байт в байт опубликованный выпуск
report-library_how-normalised_hash = опубликованный выпуск, пересохранённый
report-library_how-banner = по лицензионному заголовку и имени файла
severity-error = ошибка
severity-warning = предупреждение
severity-info = заметка

## Pages that cannot be shown (`failure.rs`).
error-not_found-title = Не найдено
error-not_found-text = Здесь ничего нет, или это принадлежит другому аккаунту.
error-forbidden-title = Не разрешено
error-forbidden-text = У вас нет права на это.
error-missing_scope = У этого токена нет права { $scope }.
error-conflict-title = Сейчас нельзя
error-bad_input-title = Не получилось
error-csrf-title = Форма устарела
error-csrf-text = Эта форма устарела или пришла не с этого сайта. Вернитесь, обновите страницу и попробуйте снова.
error-unavailable-title = Попробуйте чуть позже
error-unavailable-text = Сервис занят или его хранилище не отвечает; ничего не изменилось. Попробуйте через минуту.
error-too_many-title = Слишком много попыток
error-too_many-text = Слишком много попыток; попробуйте через { $minutes ->
    [one] { $minutes } минуту
    [few] { $minutes } минуты
   *[many] { $minutes } минут
}.
error-failed-title = Произошёл сбой
error-failed-text = На сервере произошёл сбой; он записан в журнал. Попробуйте позже.

## input
input-scope-unknown = Области доступа `{ $value }` нет; выберите из upload, submit, install, moderate и admin.
input-role-unknown = Роли `{ $value }` нет; роли: admin и member.
input-email-invalid = `{ $value }` — не адрес электронной почты.
input-subdomain-invalid = `{ $value }` — не поддомен аккаунта: используйте строчные буквы, цифры и `-`, не больше 63.
input-subdomain-unknown = Аккаунта с поддоменом `{ $value }` нет.
input-password-short = Выберите пароль не короче { $min ->
    [one] { $min } символа
    [few] { $min } символов
   *[many] { $min } символов
}.
input-token-name_length = Дайте токену название длиной от 1 до 100 символов.
input-token-lifetime = Токен живёт от 1 до { $max ->
    [one] { $max } дня
   *[other] { $max } дней
}; оставьте срок пустым, чтобы он не истекал.
input-token-scopes_missing = Выберите хотя бы одну область доступа.
input-token-expiry_past = Срок действия уже прошёл; выберите более позднюю дату или не указывайте её.
input-webhook-url_too_long = Адрес вебхука слишком длинный.
input-webhook-url_malformed = `{ $url }` — некорректный адрес ({ $error }).
input-webhook-url_scheme = Адрес вебхука `{ $url }` должен начинаться с https:// (или http://).
input-webhook-url_no_host = В адресе вебхука `{ $url }` нет хоста.
input-webhook-url_credentials = Адрес вебхука `{ $url }` не должен содержать имя пользователя или пароль.
input-list-page_start = Страницы нумеруются с 1.
input-list-limit_range = Выберите от 1 до { $max ->
    [one] { $max } элемента
    [few] { $max } элементов
   *[many] { $max } элементов
} на странице.
input-integration-locale_unknown = Поле { $what } задано на языке `{ $locale }`, которого нет среди: { $locales }.
input-integration-text_too_long = Сократите текст до { $max ->
    [one] { $max } символа
    [few] { $max } символов
   *[many] { $max } символов
}.
input-integration-text_control = Уберите из текста управляющие символы.
input-integration-name_missing = Введите название на английском или на русском.
input-redirect_uri-not_absolute = Введите полный адрес https://: `{ $uri }` им не является.
input-redirect_uri-no_host = Введите полный адрес https://: в `{ $uri }` нет хоста.
input-redirect_uri-http = Введите полный адрес https:// (http:// только для localhost): `{ $uri }` использует http.
input-redirect_uri-scheme = Введите полный адрес https:// (http:// только для localhost): `{ $uri }` — не https.
input-redirect_uri-fragment = Введите полный адрес https:// без фрагмента (части после `#`).
input-redirect_uri-credentials = Введите полный адрес https:// без имени пользователя и пароля.
input-integration-code_invalid = `{ $code }` — не код виджета: строчные латинские буквы, цифры и `_`, первой — буква, не больше 64.
input-integration-secret_key_invalid = Секретный ключ — 64 шестнадцатеричных символа.
input-version-unknown = У интеграции { $integration } нет версии { $number }.
input-version-not_chosen = Сначала выберите версию.
input-version-manifest_no_version = В манифесте нет `widget.version`.
input-rejection-reasons_missing = Отклонению нужна хотя бы одна причина: код правила и текст.
input-rejection-reason_code_unknown = Причина { $index }: кода правила или модерации `{ $code }` нет.
input-rejection-reason_text_missing = Причина { $index }: напишите, что исправить по `{ $code }`.
input-settings-not_object = Не удалось прочитать настройки; обновите страницу и попробуйте снова.
input-settings-unknown_field = У виджета нет такой настройки.
input-settings-required = Укажите значение.
input-settings-string = Введите текст.
input-settings-user_id = `{ $user }` — не пользователь этого аккаунта.
input-settings-user_string = Введите текст для пользователя `{ $user }`.
input-settings-user_pair = Введите логин и пароль для пользователя `{ $user }`.
input-settings-users_object = Введите значение для каждого пользователя.
input-settings-users_lp_object = Введите логин и пароль для каждого пользователя.
input-settings-custom = Введите корректный JSON-текст (например, {"{"}"mode": "full"{"}"}) или число.
input-settings-unknown_type = Виджет объявляет настройку неизвестного типа `{ $kind }`; автор должен исправить манифест.

## catalog
catalog-title = Каталог
catalog-search = Поиск по названию или коду
catalog-search_button = Найти
catalog-search_clear = Показать все
catalog-count = { $n ->
    [one] Найден { $n } виджет
    [few] Найдено { $n } виджета
   *[many] Найдено { $n } виджетов
}
catalog-pages = Страницы
catalog-page_of = страница { $page } из { $pages }
catalog-prev = Предыдущая страница
catalog-next = Следующая страница
catalog-empty = Пока нечего устанавливать. Виджеты появятся здесь, когда ваш аккаунт загрузит виджет или когда виджет опубликуют для всех.
catalog-empty_hint = Создать интеграцию и загрузить виджет
catalog-no_match = Нет виджетов по запросу «{ $q }».
catalog-private = частный
catalog-public = публичный
catalog-installed = установлен
catalog-not_installed = не установлен
catalog-version = версия { $v }
catalog-own = ваша интеграция
catalog-description = Описание
catalog-tour = Обзор
catalog-tour_image = { $name }: изображение обзора { $n }
catalog-back = Назад в каталог
catalog-back_widget = Назад к виджету
catalog-install = Установить
catalog-reconfigure = Настройки
catalog-uninstall = Удалить
catalog-uninstall_confirm = Удалить { $name } из этого аккаунта?
catalog-installed_since = Установлен; настройки сохранены { $when }.
catalog-admins_only = Устанавливать, настраивать и удалять виджеты могут только администраторы аккаунта { $account }. Попросите одного из них.
catalog-forbidden = Нет доступа
catalog-install_title = Установка: { $name }
catalog-reconfigure_title = Настройки: { $name }
catalog-required_note = Поля, отмеченные *, обязательны.
catalog-no_settings = У этого виджета нет настроек.
catalog-form_problems = Настройки не сохранены. Исправьте отмеченные поля.
catalog-retype_passwords = Пароли не возвращаются на страницу: введите новые ещё раз (пустые поля сохраняют прежнее значение).
catalog-save = Сохранить настройки
catalog-pass_keep = Значение сохранено; оставьте поле пустым, чтобы не менять его.
catalog-users_hint = Отдельное значение для каждого пользователя аккаунта; оставьте пустым для тех, кому оно не нужно.
catalog-users_lp_hint = Логин и пароль для каждого пользователя аккаунта; оставьте оба поля пустыми для тех, кому они не нужны. Пустой пароль сохраняет прежний.
catalog-login_for = { $email }: логин
catalog-password_for = { $email }: пароль
catalog-custom_hint = Эту настройку виджет рисует сам внутри amoCRM. Здесь можно указать её значение как JSON-текст (например, {"{"}"mode": "full"{"}"}) или число.
catalog-notice-installed = Виджет установлен.
catalog-notice-updated = Настройки сохранены.
catalog-notice-uninstalled = Виджет удалён.

## integrator

## The list.
integrator-list-title = Интеграции
integrator-list-empty = В этом аккаунте ещё нет интеграций.
integrator-list-new = Создать интеграцию
integrator-col-name = Название
integrator-col-code = Код
integrator-col-visibility = Видимость
integrator-col-latest = Последняя версия
integrator-col-published = Опубликованная версия
integrator-none = нет
integrator-code_pending = появится при первой загрузке
integrator-visibility-private = частная
integrator-visibility-public = публичная
integrator-scheme-market = маркет
integrator-scheme-legacy = старая схема

## Create and edit.
integrator-new-title = Новая интеграция
integrator-new-submit = Создать интеграцию
integrator-edit-title = Изменить «{ $name }»
integrator-edit-submit = Сохранить изменения
integrator-edit-cancel = Отмена
integrator-form-names = Название (хотя бы на одном языке)
integrator-form-name_en = Название (английский)
integrator-form-name_ru = Название (русский)
integrator-form-descriptions = Описание
integrator-form-description_en = Описание (английский)
integrator-form-description_ru = Описание (русский)
integrator-form-redirect_uri = Redirect URI
integrator-form-redirect_hint = куда amoCRM отправит OAuth-код: адрес https:// (http:// только для localhost)
integrator-form-required = обязательно
integrator-form-failed = Интеграция не сохранена: исправьте отмеченные поля.
integrator-err-redirect_missing = Введите redirect URI.

## The integration page.
integrator-page-code = Код
integrator-page-scheme = Схема
integrator-page-visibility = Видимость
integrator-page-client_uuid = ID клиента (client_uuid)
integrator-page-redirect_uri = Redirect URI
integrator-page-description = Описание
integrator-page-created = Создана
integrator-page-actions = Действия
integrator-page-edit = Изменить тексты
integrator-page-history = История
integrator-page-submit = Отправить на модерацию
integrator-page-rotate = Заменить секретный ключ
integrator-page-rotate_confirm = Заменить секретный ключ? Текущий ключ сразу перестанет работать.
integrator-page-convert = Перевести на схему маркета
integrator-page-convert_confirm = Перевести эту интеграцию со старой схемы на схему маркета? Загрузкам больше не понадобятся код и секретный ключ в манифесте. Это нельзя отменить.
integrator-page-convert_hint = Интеграции старой схемы указывают код и секретный ключ в manifest.json; администратор аккаунта может их перевести.
integrator-secret-title = Секретный ключ: показан только сейчас
integrator-secret-text = Скопируйте секретный ключ сейчас и сохраните его. Он показан только сейчас: он не хранится и не может быть показан снова (замените его, чтобы получить новый).
integrator-upload-title = Загрузить версию
integrator-upload-file = Пакет (widget.zip)
integrator-upload-hint = Файл должен называться widget.zip; не больше { $limit }. widget.version в manifest.json должна быть выше последней версии.
integrator-upload-submit = Загрузить
integrator-upload-progress = Ход загрузки
integrator-upload-checking = Проверяем пакет…
integrator-upload-failed_net = Загрузка не удалась: проверьте соединение и попробуйте снова.
integrator-upload-refused = Загрузка отклонена
integrator-upload-invalid = widget.zip отклонён: { $n ->
    [one] { $n } ошибка
    [few] { $n } ошибки
   *[many] { $n } ошибок
}; ничего не сохранено. Все замечания перечислены ниже по файлам.
integrator-upload-not_increasing = widget.version { $given } не выше последней версии { $latest }. Укажите в manifest.json widget.version { $next } или выше и загрузите снова.
integrator-upload-duplicate = Этот архив уже загружен как версия { $number } ({ $widget_version }); ничего не сохранено.
integrator-upload-too_large = Файл больше допустимого размера { $limit }; ничего не сохранено.
integrator-upload-wrong_name = Файл называется { $name }; он должен называться widget.zip. Переименуйте его и выберите снова.
integrator-upload-no_file = Сначала выберите файл widget.zip.
integrator-upload-unreadable = Не удалось прочитать загрузку; попробуйте снова.
integrator-upload-warnings_title = Предупреждения и заметки к версии { $number }
integrator-versions-title = Версии
integrator-versions-empty = Версий пока нет: загрузите widget.zip выше.
integrator-versions-number = Номер
integrator-versions-widget_version = widget.version
integrator-versions-state = Состояние
integrator-versions-uploaded = Загружена
integrator-versions-rollback = Вернуть эту версию
integrator-versions-rollback_confirm = Снова опубликовать эту прежнюю версию вместо текущей?
integrator-submissions-title = Заявки на модерацию
integrator-submissions-empty = Заявок пока нет.
integrator-submissions-id = Заявка
integrator-submissions-version = Версия
integrator-submissions-state = Состояние
integrator-submissions-submitted = Отправлена
integrator-submissions-decision = Решение модераторов
integrator-submissions-note = Примечание:
integrator-submissions-decided = Решение { $at }
integrator-submissions-withdraw = Отозвать
integrator-submissions-withdraw_confirm = Отозвать эту заявку с модерации?
integrator-state-uploaded = загружена
integrator-state-in_review = на модерации
integrator-state-approved = одобрена
integrator-state-rejected = отклонена
integrator-state-published = опубликована
integrator-state-superseded = заменена
integrator-state-withdrawn = отозвана

## Notices.
integrator-notice-uploaded = Версия { $number } ({ $widget_version }) загружена { $n ->
    [0] без предупреждений
    [one] с { $n } предупреждением
    [few] с { $n } предупреждениями
   *[many] с { $n } предупреждениями
}.
integrator-notice-edited = Изменения сохранены.
integrator-notice-submitted = Отправлено на модерацию. Решение модераторов появится в разделе «Заявки на модерацию».
integrator-notice-withdrawn = Заявка отозвана.
integrator-notice-rolled_back = Прежняя версия снова опубликована.
integrator-notice-converted = Интеграция переведена на схему маркета.
integrator-notice-created = Интеграция создана.
integrator-notice-rotated = Новый секретный ключ заменил старый.

## Refusals of actions.
integrator-refused-conflict = Сейчас это сделать нельзя:

## The submission form.
integrator-submit-title = Отправить «{ $name }» на модерацию
integrator-submit-intro = Модераторы проверяют версию и эти тексты перед публикацией в каталоге.
integrator-submit-no_version = Пока нечего отправлять: сначала загрузите widget.zip.
integrator-submit-version = Версия
integrator-submit-version_option = { $number }: { $widget_version } ({ $state })
integrator-submit-languages = Языки публикации
integrator-submit-languages_hint = виджет должен объявлять каждый из них в widget.locale
integrator-submit-texts_for = Тексты: { $language }
integrator-submit-required_per_language = обязательно для каждого языка публикации
integrator-submit-description = Описание ({ $language })
integrator-submit-description_hint = что делает виджет; укажите телефон и эл. почту поддержки
integrator-submit-instructions = Инструкция ({ $language })
integrator-submit-instructions_hint = как подключить виджет и пользоваться им
integrator-submit-change_name = Новое название ({ $language }, необязательно)
integrator-submit-change_description = Новое описание в каталоге ({ $language }, необязательно)
integrator-submit-changes_hint = применится к интеграции, когда заявку одобрят
integrator-submit-test_credentials = Тестовый доступ
integrator-submit-test_credentials_hint = тестовый аккаунт во внешней системе, с которой работает виджет; его видят только модераторы
integrator-submit-test_credentials_again = В целях безопасности тестовый доступ не сохранён: введите его снова.
integrator-submit-support_phone = Телефон поддержки
integrator-submit-support_email = Эл. почта поддержки
integrator-submit-submit = Отправить на модерацию
integrator-submit-blocked = Заявка не принята: { $n ->
    [one] { $n } ошибка
    [few] { $n } ошибки
   *[many] { $n } ошибок
}; на модерацию ничего не отправлено. Все замечания перечислены ниже; замечания о полях формы показаны и рядом с полями.
integrator-submit-report = Замечания

## History.
integrator-history-title = История «{ $name }»
integrator-history-empty = Пока ничего не записано.
integrator-history-time = Время
integrator-history-who = Кто
integrator-history-kind = Событие
integrator-history-states = Из → в
integrator-history-details = Подробности
integrator-history-you = вы
integrator-history-moderator = модератор платформы
integrator-history-user = пользователь №{ $id }
integrator-history-system = система
integrator-back = Назад к интеграции
integrator-kind-integration-created = интеграция создана
integrator-kind-integration-updated = тексты изменены
integrator-kind-integration-secret_rotated = секретный ключ заменён
integrator-kind-integration-converted = переведена на схему маркета
integrator-kind-integration-imported = импортирована (старая схема)
integrator-kind-integration-rolled_back = возврат к прежней версии
integrator-kind-version-uploaded = версия загружена
integrator-kind-version-published = версия опубликована
integrator-kind-version-superseded = версия заменена
integrator-kind-submission-created = отправлена на модерацию
integrator-kind-submission-withdrawn = заявка отозвана
integrator-kind-submission-approved = заявка одобрена
integrator-kind-submission-rejected = заявка отклонена

## Language names.
integrator-lang-en = английский
integrator-lang-ru = русский
integrator-lang-es = испанский
integrator-lang-pt = португальский
integrator-lang-tr = турецкий
integrator-lang-id = индонезийский

## moderation
moderation-title = Модерация
moderation-forbidden_title = Только для модераторов
moderation-forbidden_text = Консоль модерации — для модераторов платформы, а вы не модератор. Если это ошибка, обратитесь к операторам платформы.
moderation-tabs = Заявки
moderation-tab_queue = Ожидают проверки
moderation-tab_history = Недавно рассмотренные
moderation-queue_caption = Заявки, ожидающие проверки, сначала самые старые
moderation-history_caption = Рассмотренные заявки, сначала самые новые
moderation-queue_empty = Нет заявок, ожидающих проверки.
moderation-history_empty = Ещё ни одна заявка не рассмотрена.
moderation-col_integration = Интеграция
moderation-col_account = Аккаунт
moderation-col_version = Версия
moderation-col_languages = Языки
moderation-col_submitted = Отправлена
moderation-col_waiting = Ожидает
moderation-col_state = Решение
moderation-col_decided = Когда
moderation-waiting_days = { $n ->
    [one] { $n } день
    [few] { $n } дня
   *[many] { $n } дней
}
moderation-waiting_today = меньше суток
moderation-version_label = версия { $number } ({ $widget_version })
moderation-state_in_review = на проверке
moderation-state_approved = одобрена
moderation-state_rejected = отклонена
moderation-state_withdrawn = отозвана
moderation-submission_title = Заявка { $id }: { $name }
moderation-back_to_queue = К очереди
moderation-on_this_page = На этой странице
moderation-summary = Сводка
moderation-state = Состояние
moderation-base = Опубликована сейчас
moderation-base_none = пока ничего: это первая публикация
moderation-report_title = Автоматическая проверка
moderation-report_counts = Проверено по правилам публикации при отправке: { $errors ->
    [one] { $errors } ошибка
    [few] { $errors } ошибки
   *[many] { $errors } ошибок
}, { $warnings ->
    [one] { $warnings } предупреждение
    [few] { $warnings } предупреждения
   *[many] { $warnings } предупреждений
}.
moderation-report_clean = Автоматическая проверка ничего не нашла.
moderation-fields_title = Что прислал интегратор
moderation-languages = Языки публикации
moderation-description = Описание
moderation-instructions = Инструкция
moderation-in_lang = { $what }, язык: { $lang }
moderation-support_phone = Телефон поддержки
moderation-support_email = Эл. почта поддержки
moderation-changes = Изменения карточки, применяемые при одобрении
moderation-changes_none = нет
moderation-change_name = Название
moderation-test_title = Тестовые доступы — только для модераторов
moderation-test_note = Используйте их, чтобы проверить виджет, и никому не передавайте. Их видят только модераторы.
moderation-test_none = Интегратор не указал тестовые доступы.
moderation-files_title = Файлы
moderation-files_caption = Файлы версии { $number } по сравнению с опубликованной версией
moderation-col_path = Путь
moderation-col_size = Размер
moderation-col_change = По сравнению с опубликованной
moderation-bytes = { $n ->
    [one] { $n } байт
    [few] { $n } байта
   *[many] { $n } байт
}
moderation-change_added = добавлен
moderation-change_changed = изменён
moderation-change_unchanged = без изменений
moderation-change_removed = удалён
moderation-diff_title = Изменения по сравнению с опубликованной версией
moderation-diff_against = Сравнение с версией { $number } ({ $widget_version }), опубликованной сейчас.
moderation-diff_first = Пока ничего не опубликовано, поэтому все файлы новые и показаны целиком.
moderation-diff_none = Ни один файл не изменился.
moderation-diff_legend = Строки, начинающиеся с +, добавлены (подчёркнуты), с - — удалены (зачёркнуты); строки с @@ показывают номера строк каждого блока.
moderation-diff_counts = строк добавлено: { $added }, удалено: { $removed }
moderation-diff_show = Построчные изменения ({ $n ->
    [one] { $n } строка
    [few] { $n } строки
   *[many] { $n } строк
})
moderation-diff_of = Построчные изменения { $path }
moderation-diff_binary = Построчных изменений нет: двоичный или очень большой файл.
moderation-diff_truncated = Изменения показаны не полностью; откройте файл, чтобы прочитать его целиком.
moderation-view_file = Открыть файл
moderation-decide_title = Решение
moderation-approve_title = Одобрить и опубликовать
moderation-approve_base = Вы проверили изменения относительно версии { $number }; если до одобрения опубликуют другую версию, одобрение будет отклонено.
moderation-approve_first = Вы проверили её как первую публикацию; если до одобрения опубликуют другую версию, одобрение будет отклонено.
moderation-note = Комментарий для интегратора (необязательно)
moderation-approve_button = Одобрить и опубликовать
moderation-reject_title = Отклонить
moderation-reject_intro = Укажите хотя бы одну причину: код и что исправить. Пустые строки не учитываются.
moderation-reason_n = Причина { $n }
moderation-reason_code = Код
moderation-reason_choose = — выберите —
moderation-reason_text = Что исправить
moderation-reasons_moderation = Причины модерации
moderation-reasons_findings = Замечания автоматической проверки
moderation-reject_button = Отклонить
moderation-err_code_missing = Выберите код для этой причины.
moderation-err_code_unknown = Такого кода нет; выберите код из списка.
moderation-err_text_missing = Напишите, что интегратору нужно исправить.
moderation-err_no_reason = Укажите хотя бы одну причину.
moderation-err_reject_form = Заявка не отклонена: исправьте отмеченные причины.
moderation-err_bad_form = Не удалось прочитать форму; обновите страницу и попробуйте снова.
moderation-err_decided = Эта заявка уже не на проверке, поэтому ничего не изменено. Решение по ней показано ниже.
moderation-err_published_changed = Пока вы проверяли, была опубликована другая версия этой интеграции, поэтому ничего не одобрено. Обновите страницу, чтобы увидеть изменения относительно опубликованной сейчас версии, и решите снова.
moderation-err_outdated = У этой интеграции уже опубликована более новая версия, поэтому эту одобрить нельзя. Отклоните её или попросите интегратора отозвать заявку.
moderation-reload = Обновить страницу
moderation-decided_approved = Одобрена { $at }; версия опубликована.
moderation-decided_rejected = Отклонена { $at }.
moderation-decided_withdrawn = Отозвана интегратором { $at }.
moderation-decision_reasons = Причины
moderation-decision_note = Комментарий
moderation-notice_approved = Одобрено: версия опубликована.
moderation-notice_rejected = Отклонено: интегратор увидит ваши причины.
moderation-file_heading = Файл { $path }
moderation-back_to_submission = Назад к заявке { $id }
moderation-file_meta = { $size } байт, SHA-256 { $sha }
moderation-file_source = Содержимое { $path }
moderation-file_cut = Показано строк: { $shown } из { $total }.
moderation-file_raw = Открыть файл без оформления
moderation-file_binary = Это не текстовый файл, поэтому он здесь не показан.
moderation-file_image_alt = Изображение { $path } из пакета

## tokens
tokens-title = API-токены
tokens-intro = Токен позволяет командной строке или скрипту действовать от вашего имени в этом аккаунте, только в пределах выданных прав. Программы передают его в заголовке Authorization после слова Bearer.
tokens-list = Токены
tokens-empty = Токенов пока нет.
tokens-name = Название
tokens-prefix = Начинается с
tokens-scopes = Права
tokens-owner = Владелец
tokens-created = Создан
tokens-expires = Истекает
tokens-last_used = Последнее использование
tokens-state = Состояние
tokens-actions = Действия
tokens-never = никогда
tokens-not_used = ещё нет
tokens-active = действует
tokens-expired = истёк
tokens-revoked = отозван { $when }
tokens-revoke = Отозвать
tokens-revoke_named = Отозвать токен { $name }
tokens-revoke_confirm = Отозвать токен { $name }? Программы, которые им пользуются, сразу перестанут работать.
tokens-create = Создать токен
tokens-name_hint = Для чего он, например «Загрузка из CI» (от 1 до 100 символов).
tokens-scopes_hint = Выдавайте только то, что нужно программе. Перечислены только права, которые вы можете выдать.
tokens-days = Срок действия (дней)
tokens-days_hint = От 1 до { $max }; оставьте пустым для бессрочного токена.
tokens-submit = Создать токен
tokens-form_problems = Токен не создан. Исправьте отмеченные поля.
tokens-problem-days = Введите целое число дней от 1 до { $max } или оставьте поле пустым.
tokens-created_title = Ваш новый токен
tokens-value = Токен «{ $name }»
tokens-copy_hint = Скопируйте его сейчас и сохраните в надёжном месте: он показывается только один раз. Выделите поле и нажмите Ctrl+C (⌘C на Mac).
tokens-back = Назад к токенам
tokens-notice-revoked = Токен отозван.
tokens-scope-upload = создавать и изменять интеграции, загружать версии
tokens-scope-submit = отправлять версии на модерацию
tokens-scope-install = устанавливать и удалять виджеты
tokens-scope-moderate = модерировать заявки
tokens-scope-admin = управлять токенами, переводить старые интеграции

## The upload intake (API answers in the request's language)
upload-duplicate_field = в запросе несколько полей `widget`; отправьте ровно одно
upload-missing_file = в запросе нет поля `widget`; отправьте пакет в multipart-поле `widget` с именем файла `widget.zip`
upload-wrong_file_name = загруженный файл называется `{ $name }`; он должен называться `widget.zip`
upload-no_file_name = у поля `widget` нет имени файла; отправьте файл как `widget.zip`

## The moderators' own reason codes (registry MODERATION_REASONS), as the console and the API show them
reason-moderation-unclear_instructions = инструкция не объясняет, как подключить виджет и пользоваться им
reason-moderation-inaccurate_description = описание не соответствует тому, что делает виджет
reason-moderation-not_working = виджет не работает так, как описано, в тестовом аккаунте
reason-moderation-test_access = тестовые доступы отсутствуют или не работают
reason-moderation-data_consent = данные аккаунта передаются без явного согласия пользователя
reason-moderation-ui = виджет перекрывает, скрывает или меняет системные элементы
reason-moderation-localisation = тексты или картинки смешивают языки или не переведены
reason-moderation-branding = название, логотип или тексты неверно используют бренд платформы или вводят в заблуждение
reason-moderation-support = контакты поддержки не отвечают или отправляют пользователей в поддержку платформы
reason-moderation-duplicate = такая же интеграция уже опубликована
reason-moderation-other = другая проблема, описанная в тексте

## Refused state changes (registry StateCase), by case
state-submission-no_such_version = У интеграции { $integration } нет версии { $number }.
state-submission-no_version_yet = У интеграции ещё нет версий: сначала загрузите widget.zip.
state-submission-older = Версия { $number } ({ $widget_version }) старше опубликованной версии { $published } ({ $published_version }): загрузите более новую версию и отправьте её.
state-submission-in_review = Версия { $number } ({ $widget_version }) уже на модерации: чтобы изменить заявку, сначала отзовите её.
state-submission-is_published = Версия { $number } ({ $widget_version }) и есть опубликованная версия.
state-submission-was_approved = Версия { $number } ({ $widget_version }) уже была одобрена: вместо новой заявки откатитесь к ней.
state-submission-decided = Заявка { $id } больше не на модерации: { $state ->
    [approved] она одобрена
    [rejected] она отклонена
    [withdrawn] она отозвана
   *[other] { $state_words }
}.
state-submission-outdated = Опубликована версия { $number } ({ $widget_version }), более новая, чем версия { $submitted } из заявки { $id }: отклоните эту заявку или попросите интегратора её отозвать.
state-submission-published_changed = Опубликованная версия { $code } изменилась после проверки заявки { $id } ({ $now_number ->
    [none] сейчас ничего не опубликовано
    [unknown] сейчас опубликована другая версия
   *[other] сейчас опубликована версия { $now_number } ({ $now_version })
}): обновите заявку, чтобы увидеть изменения относительно неё, и примите решение снова.
state-rollback-not_public = У интеграции нет опубликованной версии, от которой можно откатиться.
state-rollback-conflict = Версия { $number } уже опубликована.
state-rollback-not_approved = Версия { $number } { $state ->
    [uploaded] только загружена
    [in_review] на модерации
    [rejected] отклонена
   *[other] { $state_words }
}: без проверки можно вернуть только версии, которые уже были опубликованы.
state-user-email_taken = Пользователь с адресом { $email } уже есть.
state-integration-code_taken = Код { $code } занят другой интеграцией.
state-integration-not_legacy = Интеграция не старого образца: преобразовывать нечего.

## Что вошедшему пользователю делать нельзя (отказы реестра, по случаям).
denied-auth-needs_admin = Это может сделать только администратор аккаунта.
denied-auth-scope_needs_admin = Право { $scope } может выдать только администратор аккаунта.
denied-auth-moderators_only = Право moderate только для модераторов платформы.
denied-integration-other_account = Эта интеграция принадлежит другому аккаунту.
denied-integration-owner_uploads = Версии интеграции загружает только аккаунт, которому она принадлежит.

## preview
preview-title = Предпросмотр: { $name } { $version }
preview-heading = Предпросмотр { $name } { $version }
preview-intro = Ниже script.js виджета работает в изолированной имитации страницы amoCRM: он видит только данные предпросмотра с этой страницы, но не вашу сессию, и ничего из отправленного им не покидает предпросмотр. Всё, что он делает, записано в журнале событий.
preview-back_integration = К интеграции
preview-back_moderation = К очереди модерации
preview-areas = Где работает виджет
preview-area-card = Карточка ({ $area })
preview-area-list = Список ({ $area })
preview-area-settings = Окно настроек
preview-area-advanced = Страница расширенных настроек
preview-area-dp = Цифровая воронка
preview-area-menu = Страница левого меню
preview-area-salesbot = Конструктор Salesbot
preview-not_emulated = Объявлены, но предпросмотр их пока не имитирует: { $locations }.
preview-languages = Язык
preview-frame_title = { $name } в предпросмотре
preview-log = Журнал событий
preview-log_waiting = Ждём виджет…
preview-fixtures = Данные предпросмотра
preview-fixtures_note = CRM, которую видит виджет, заполнена вымышленными данными. Здесь можно изменить имя пользователя, значения настроек, поля карточки и строки списка; виджет запустится заново с ними.
preview-fixture_user = Имя текущего пользователя
preview-fixture_setting = Настройка { $key } ({ $kind })
preview-fixture_card_field = Поле карточки { $name }
preview-fixture_rows = Строки списка, по одному названию в строке (не больше 20)
preview-fixtures_apply = Запустить заново с этими значениями
preview-open = Предпросмотр
moderation-preview_runs = Запуски предпросмотра
moderation-preview_run_new = Запустить предпросмотр
moderation-preview_run = { $area } ({ $lang }): { $errors ->
    [one] { $errors } ошибка
    [few] { $errors } ошибки
   *[many] { $errors } ошибок
}, { $warnings ->
    [one] { $warnings } предупреждение
    [few] { $warnings } предупреждения
   *[many] { $warnings } предупреждений
}
moderation-preview_run_clean = Виджет отработал без замечаний.
moderation-preview_run_screenshot = Виджет в { $area } в конце запуска
moderation-preview_run_screenshot_note = Снято внутри фрейма виджета в конце запуска: показывает, что нарисовал виджет, и виджет мог его изменить.
moderation-preview_runs_none = Сохранённых запусков пока нет: запустите предпросмотр и сохраните запуск в эту заявку.
moderation-notice_previewed = Запуск предпросмотра сохранён в заявке.
preview-save_run = Сохранить этот запуск в заявке { $id }
preview-save_run_note = Его замечания (preview.*) можно будет указать при отклонении.
preview-save_all = Запустить во всех областях ({ $count }) и сохранить каждый запуск с заявкой { $id }
preview-save_all_progress = Запуск и сохранение
preview-save_all_failed = Остановлено: сервер не принял запуск в
input-preview-area = Укажите область запуска, например lcard или settings.
input-preview-lang = Укажите язык запуска, например en или ru.
input-preview-events = В запуске не больше { $max } событий и { $max_bytes } байт, как их записал предпросмотр.
input-preview-screenshot = Снимок запуска — PNG не больше { $max_bytes } байт и { $max_side } пикселей по стороне ({ $error }).
