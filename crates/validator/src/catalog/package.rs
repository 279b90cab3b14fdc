//! Rules about the package as a set of files.

use super::Rule;

rule!(PACKAGE_UNUSED_FILE, "package.unused_file", Info / Warning,
    en: "`{file}` does not seem to be used: nothing in the widget refers to it",
    ru: "`{file}`, похоже, не используется: ни один файл виджета на него не ссылается",
    hint_en: "delete the file if the widget does not load it; if it is loaded by a computed name, ignore this note",
    hint_ru: "удалите файл, если виджет его не загружает; если имя файла вычисляется в коде, не обращайте внимания на это замечание",
    why: "Moderation requires that unused files, images and scripts are deleted. A file counts as used when it is a fixed part of the widget (manifest, script.js, declared i18n files, logos), when the manifest names it, or when its name appears in another text file.",
    example: "images/old_logo_v1.png that nothing refers to");

rule!(PACKAGE_MORE_FINDINGS, "package.more_findings", Info / Info,
    en: "{count} more `{code}` findings are not listed: a report lists at most {limit} of each kind and severity",
    ru: "ещё {count} замечаний `{code}` не показаны: в отчёте не больше {limit} замечаний каждого вида и уровня",
    hint_en: "fix the ones listed and check again: the rest are usually the same mistake repeated",
    hint_ru: "исправьте показанные и проверьте снова: остальные обычно повторяют ту же ошибку",
    why: "A package can repeat one mistake thousands of times (a language file that lacks every key of another). Listing each would make reports of megabytes that nobody reads and every server stores; the count keeps the size of the problem, and the verdict is unchanged, as the listed findings of each severity remain.",
    example: "an i18n file with 5,000 keys the other languages lack");

/// The package rules, in catalogue order.
pub(super) const RULES: &[&Rule] = &[&PACKAGE_UNUSED_FILE, &PACKAGE_MORE_FINDINGS];
