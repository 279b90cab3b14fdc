# Тексты CLI на русском. Те же ids, что в en.ftl.

## Severities, as the report prints them before a message
severity-error = ошибка
severity-warning = предупреждение
severity-info = примечание
level-help = подсказка
level-note = примечание

## The text report
count-errors = { $n ->
    [one] { $n } ошибка
    [few] { $n } ошибки
   *[many] { $n } ошибок
}
count-warnings = { $n ->
    [one] { $n } предупреждение
    [few] { $n } предупреждения
   *[many] { $n } предупреждений
}
count-notes = { $n ->
    [one] { $n } примечание
    [few] { $n } примечания
   *[many] { $n } примечаний
}
list-and = { $rest } и { $last }
summary-errors = в `{ $name }` { $listed } (профиль `{ $profile }`)
summary-warnings = `{ $name }` проходит проверки профиля `{ $profile }`; { $listed }
summary-clean = `{ $name }` проходит проверки профиля `{ $profile }`: проблем не найдено
summary-ok = готово
json-pointer = JSON-указатель `{ $pointer }`
libraries-title = известные библиотеки (не проверяются как ваш код):
library-how-hash = совпадает с опубликованным выпуском байт в байт
library-how-normalised_hash = опубликованный выпуск, пересохранённый
library-how-banner = по лицензионному заголовку и имени файла

## widgetry rules
rules-profile = { $severity } (профиль `{ $profile }`)
rules-severity = уровень
rules-message = сообщение
rules-why = зачем
rules-example = пример
rules-help = подсказка
summary-errors-preview = `{ $name }` отработал в предпросмотре: { $listed }
summary-warnings-preview = `{ $name }` отработал в предпросмотре: { $listed }
summary-clean-preview = `{ $name }` отработал в предпросмотре: проблем не найдено
