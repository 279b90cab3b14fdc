//! Rules about the archive itself: readability, limits, entry names, OS junk.

use super::Rule;

rule!(ARCHIVE_NOT_ZIP, "archive.not_zip", Error / Error,
    en: "the upload is not a ZIP archive: {detail}",
    ru: "загруженный файл не является ZIP-архивом: {detail}",
    hint_en: "upload `widget.zip` made with `widgetry pack` or any ZIP tool; RAR, 7z and tar archives are not accepted",
    hint_ru: "загрузите `widget.zip`, собранный командой `widgetry pack` или любым ZIP-архиватором; архивы RAR, 7z и tar не принимаются",
    why: "amoCRM accepts widgets only as a ZIP archive named widget.zip. Anything else cannot be unpacked.",
    example: "widget.zip containing the text `hello`");

rule!(ARCHIVE_CORRUPT, "archive.corrupt", Error / Error,
    en: "the ZIP archive is damaged: {detail}",
    ru: "ZIP-архив повреждён: {detail}",
    hint_en: "the archive is truncated or its central directory is broken; pack the widget again and upload the new file",
    hint_ru: "архив обрезан или повреждён его центральный каталог; соберите виджет заново и загрузите новый файл",
    why: "A truncated download or a broken archiver leaves a central directory that does not describe the entries. Such an archive cannot be read reliably.",
    example: "the first 3,000 bytes of a valid widget.zip");

rule!(ARCHIVE_CORRUPT_ENTRY, "archive.corrupt_entry", Error / Error,
    en: "entry `{path}` cannot be read: {detail}",
    ru: "файл `{path}` в архиве не читается: {detail}",
    hint_en: "the entry's data is damaged (bad checksum or compressed stream); pack the widget again",
    hint_ru: "данные файла повреждены (неверная контрольная сумма или сжатый поток); соберите виджет заново",
    why: "An entry whose data fails to inflate or whose CRC-32 does not match would be served broken to every account.",
    example: "an entry whose CRC-32 was altered after packing");

rule!(ARCHIVE_TOO_LARGE, "archive.too_large", Error / Error,
    en: "the archive is {size} bytes, over the limit of {limit} bytes",
    ru: "размер архива {size} байт превышает предел {limit} байт",
    hint_en: "remove unused files, images and libraries; load large third-party libraries from a CDN through `define` dependencies",
    hint_ru: "удалите неиспользуемые файлы, изображения и библиотеки; большие сторонние библиотеки подключайте с CDN через зависимости `define`",
    why: "The service caps archive size so that one upload cannot exhaust its storage or bandwidth.",
    example: "a 25 MiB widget.zip with the default 20 MiB limit");

rule!(ARCHIVE_TOO_MANY_ENTRIES, "archive.too_many_entries", Error / Error,
    en: "the archive has {count} entries, over the limit of {limit}",
    ru: "в архиве {count} файлов, больше предела {limit}",
    hint_en: "bundle your scripts and remove unused files; `node_modules` never belongs in a widget",
    hint_ru: "объедините скрипты и удалите неиспользуемые файлы; `node_modules` не должен попадать в виджет",
    why: "Each entry costs work to check and serve; a widget needs few files.",
    example: "an archive with 10,000 empty files");

rule!(ARCHIVE_ENTRY_TOO_LARGE, "archive.entry_too_large", Error / Error,
    en: "entry `{path}` is larger than {limit} bytes when unpacked",
    ru: "файл `{path}` после распаковки больше {limit} байт",
    hint_en: "split or shrink the file; big media belong on your own server, not in the widget",
    hint_ru: "разделите или уменьшите файл; большие медиафайлы размещайте на своём сервере, а не в виджете",
    why: "The per-entry limit is checked while inflating, so an entry that lies about its size in the headers is still caught.",
    example: "script.js of 30 MiB");

rule!(ARCHIVE_TOTAL_TOO_LARGE, "archive.total_too_large", Error / Error,
    en: "the unpacked archive is larger than {limit} bytes",
    ru: "распакованный архив больше {limit} байт",
    hint_en: "remove unused files; the whole widget must unpack to less than the limit",
    hint_ru: "удалите неиспользуемые файлы; весь виджет после распаковки должен быть меньше предела",
    why: "A zip bomb of many moderately compressed entries is caught by the total limit, counted while inflating.",
    example: "ten entries of 15 MiB each");

rule!(ARCHIVE_RATIO_EXCEEDED, "archive.ratio_exceeded", Error / Error,
    en: "entry `{path}` inflates at least {ratio} times its packed size (limit {limit}:1)",
    ru: "файл `{path}` распаковывается минимум в {ratio} раз больше сжатого размера (предел {limit}:1)",
    hint_en: "such a ratio is typical of a zip bomb; a real widget file does not compress that well",
    hint_ru: "такое соотношение характерно для zip-бомбы; настоящие файлы виджета так не сжимаются",
    why: "Entries over 1 MiB may not expand more than 100 times: that is how zip bombs exhaust memory.",
    example: "a 20 MiB file of zero bytes, deflated to 20 KiB");

rule!(ARCHIVE_PATH_TRAVERSAL, "archive.path_traversal", Error / Error,
    en: "entry name `{path}` climbs out of the archive with `..`",
    ru: "имя файла `{path}` выходит за пределы архива через `..`",
    hint_en: "pack the widget from its folder so that every path is relative to the widget root",
    hint_ru: "собирайте виджет из его папки, чтобы все пути были относительными от корня виджета",
    why: "A `..` segment lets an archive write outside the folder it is unpacked into (zip slip).",
    example: "../../etc/cron.d/x");

rule!(ARCHIVE_ABSOLUTE_PATH, "archive.absolute_path", Error / Error,
    en: "entry name `{path}` is an absolute path",
    ru: "имя файла `{path}` — абсолютный путь",
    hint_en: "paths in the archive must be relative to the widget root, without a leading `/` or a drive letter",
    hint_ru: "пути в архиве должны быть относительными от корня виджета, без начального `/` и буквы диска",
    why: "An absolute path or a drive letter points outside the unpacking folder.",
    example: "/etc/passwd or C:/widget/script.js");

rule!(ARCHIVE_BACKSLASH_PATH, "archive.backslash_path", Error / Error,
    en: "entry name `{path}` uses `\\` as a separator",
    ru: "в имени файла `{path}` используется разделитель `\\`",
    hint_en: "ZIP paths use `/`; pack with `widgetry pack` or a tool that writes standard paths",
    hint_ru: "в ZIP пути разделяются `/`; собирайте архив командой `widgetry pack` или инструментом, который пишет стандартные пути",
    why: "Backslashes are read as separators on Windows only, so the same archive unpacks differently on different systems.",
    example: "images\\logo.png");

rule!(ARCHIVE_INVALID_PATH, "archive.invalid_path", Error / Error,
    en: "entry name `{path}` contains control characters or is empty",
    ru: "имя файла `{path}` содержит управляющие символы или пусто",
    hint_en: "rename the file using printable characters only",
    hint_ru: "переименуйте файл, используя только печатные символы",
    why: "NUL and control characters in names truncate or disguise paths on many systems.",
    example: "script.js\\u0000.png");

rule!(ARCHIVE_NON_UTF8_NAME, "archive.non_utf8_name", Error / Error,
    en: "entry name `{path}` is not valid UTF-8",
    ru: "имя файла `{path}` не в кодировке UTF-8",
    hint_en: "rename the file with ASCII characters, or pack with a tool that stores UTF-8 names",
    hint_ru: "переименуйте файл латиницей или собирайте архив инструментом, который сохраняет имена в UTF-8",
    why: "Widget files are served by URL; a name that is not UTF-8 has no reliable URL.",
    example: "a name in CP866 such as b\"\\x8f\\xe0\\xa8.js\"");

rule!(ARCHIVE_SYMLINK, "archive.symlink", Error / Error,
    en: "entry `{path}` is a symbolic link",
    ru: "файл `{path}` — символическая ссылка",
    hint_en: "replace the link with the file it points to",
    hint_ru: "замените ссылку файлом, на который она указывает",
    why: "A link can point outside the widget when the archive is unpacked.",
    example: "script.js -> /etc/passwd");

rule!(ARCHIVE_DUPLICATE_ENTRY, "archive.duplicate_entry", Error / Error,
    en: "the archive holds `{path}` more than once",
    ru: "файл `{path}` встречается в архиве несколько раз",
    hint_en: "pack the archive again from scratch instead of adding to an existing one",
    hint_ru: "соберите архив заново, а не дописывайте файлы в существующий",
    why: "With two entries of one name, which one is used depends on the tool: the reviewed file may not be the one served.",
    example: "two entries named script.js");

rule!(ARCHIVE_CASE_COLLISION, "archive.case_collision", Error / Error,
    en: "entry `{path}` collides with `{other}` on case-insensitive systems",
    ru: "файл `{path}` совпадает с `{other}` в системах без учёта регистра",
    hint_en: "give the two files names that differ by more than letter case or Unicode normalisation",
    hint_ru: "дайте файлам имена, которые отличаются не только регистром или нормализацией Юникода",
    why: "On Windows and macOS the two names are one file, so one silently replaces the other.",
    example: "Script.js and script.js");

rule!(ARCHIVE_ENCRYPTED_ENTRY, "archive.encrypted_entry", Error / Error,
    en: "entry `{path}` is encrypted",
    ru: "файл `{path}` зашифрован",
    hint_en: "pack the archive without a password",
    hint_ru: "соберите архив без пароля",
    why: "An encrypted entry cannot be checked or served.",
    example: "zip -e widget.zip script.js");

rule!(ARCHIVE_UNSUPPORTED_COMPRESSION, "archive.unsupported_compression", Error / Error,
    en: "entry `{path}` uses compression method {method}",
    ru: "файл `{path}` сжат методом {method}",
    hint_en: "use the standard Deflate method (or no compression); `widgetry pack` does",
    hint_ru: "используйте стандартный метод Deflate (или без сжатия), как `widgetry pack`",
    why: "Only Stored and Deflated entries are readable by every ZIP tool and by the CRM.",
    example: "an entry compressed with bzip2 or LZMA");

rule!(ARCHIVE_WRAPPED_FOLDER, "archive.wrapped_folder", Error / Error,
    en: "`manifest.json` is inside the folder `{folder}` instead of at the archive root",
    ru: "`manifest.json` лежит в папке `{folder}`, а не в корне архива",
    hint_en: "zip the contents of `{folder}`, not the folder itself (`widgetry pack {folder}` does this); the findings below are for the folder's contents",
    hint_ru: "упакуйте содержимое папки `{folder}`, а не саму папку (`widgetry pack {folder}` делает это); замечания ниже относятся к содержимому папки",
    why: "amoCRM reads manifest.json from the archive root. Archivers add a wrapping folder by default, the most common upload mistake.",
    example: "my-widget/manifest.json, my-widget/script.js");

rule!(ARCHIVE_OS_JUNK, "archive.os_junk", Warning / Error,
    en: "`{path}` is operating-system junk",
    ru: "`{path}` — служебный файл операционной системы",
    hint_en: "delete it from the archive; `widgetry pack` leaves out `__MACOSX`, `.DS_Store` and `Thumbs.db`",
    hint_ru: "удалите его из архива; `widgetry pack` не включает `__MACOSX`, `.DS_Store` и `Thumbs.db`",
    why: "Moderation requires that a widget holds no unused files; these are created by file managers, not by the author.",
    example: "__MACOSX/._script.js");

rule!(ARCHIVE_NESTED_ARCHIVE, "archive.nested_archive", Warning / Error,
    en: "`{path}` is an archive inside the archive",
    ru: "`{path}` — архив внутри архива",
    hint_en: "unpack what the widget needs into the widget folder, or delete the nested archive",
    hint_ru: "распакуйте нужные виджету файлы в его папку или удалите вложенный архив",
    why: "A nested archive is never loaded by the CRM and cannot be reviewed.",
    example: "lib/vendor.zip");

/// The archive rules, in catalogue order.
pub(super) const RULES: &[&Rule] = &[
    &ARCHIVE_NOT_ZIP,
    &ARCHIVE_CORRUPT,
    &ARCHIVE_CORRUPT_ENTRY,
    &ARCHIVE_TOO_LARGE,
    &ARCHIVE_TOO_MANY_ENTRIES,
    &ARCHIVE_ENTRY_TOO_LARGE,
    &ARCHIVE_TOTAL_TOO_LARGE,
    &ARCHIVE_RATIO_EXCEEDED,
    &ARCHIVE_PATH_TRAVERSAL,
    &ARCHIVE_ABSOLUTE_PATH,
    &ARCHIVE_BACKSLASH_PATH,
    &ARCHIVE_INVALID_PATH,
    &ARCHIVE_NON_UTF8_NAME,
    &ARCHIVE_SYMLINK,
    &ARCHIVE_DUPLICATE_ENTRY,
    &ARCHIVE_CASE_COLLISION,
    &ARCHIVE_ENCRYPTED_ENTRY,
    &ARCHIVE_UNSUPPORTED_COMPRESSION,
    &ARCHIVE_WRAPPED_FOLDER,
    &ARCHIVE_OS_JUNK,
    &ARCHIVE_NESTED_ARCHIVE,
];
