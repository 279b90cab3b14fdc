//! Rules about the texts shown in the marketplace listing: lengths, brand names, scripts in
//! descriptions.

use super::Rule;

rule!(LISTING_NAME_LENGTH, "listing.name_length", Warning / Error,
    en: "the name in `{file}` is {count} characters; the limit is {limit}",
    ru: "название в `{file}` длиной {count} символов; предел {limit}",
    hint_en: "shorten the name to at most {limit} characters",
    hint_ru: "сократите название до {limit} символов",
    why: "The marketplace tile has room for 30 characters of name.",
    example: "\"name\": \"The Best Deal Notes Synchronisation Widget\"");

rule!(LISTING_NAME_WORD_LENGTH, "listing.name_word_length", Warning / Error,
    en: "the name in `{file}` has the word `{word}` of {count} characters; the limit is {limit}",
    ru: "в названии в `{file}` слово `{word}` длиной {count} символов; предел {limit}",
    hint_en: "split or shorten words longer than {limit} characters",
    hint_ru: "разделите или сократите слова длиннее {limit} символов",
    why: "Long words do not wrap in the marketplace tile.",
    example: "\"name\": \"Superintegrationplatform\"");

rule!(LISTING_SHORT_DESCRIPTION_LENGTH, "listing.short_description_length", Warning / Error,
    en: "the short description in `{file}` is {count} characters; the limit is {limit}",
    ru: "краткое описание в `{file}` длиной {count} символов; предел {limit}",
    hint_en: "shorten the short description to at most {limit} characters",
    hint_ru: "сократите краткое описание до {limit} символов",
    why: "The short description sits beside the logo in the install modal and has room for 50 characters.",
    example: "a short description of 80 characters");

rule!(LISTING_DESCRIPTION_LENGTH, "listing.description_length", Warning / Error,
    en: "the description in `{file}` is {count} characters of text; the limit is {limit}",
    ru: "описание в `{file}` содержит {count} символов текста; предел {limit}",
    hint_en: "shorten the install-screen description to at most {limit} characters; put details on your support site",
    hint_ru: "сократите описание на экране установки до {limit} символов; подробности разместите на сайте поддержки",
    why: "The install-screen description is limited to 400 characters of text (HTML tags not counted).",
    example: "a description of 1,000 characters");

rule!(LISTING_BRAND_NAME, "listing.brand_name", Warning / Error,
    en: "the name in `{file}` contains `{brand}`",
    ru: "название в `{file}` содержит `{brand}`",
    hint_en: "name the widget after what it does and who made it, without the platform's brand",
    hint_ru: "назовите виджет по тому, что он делает и кто его сделал, без бренда платформы",
    why: "Integration and developer names must not contain \"Kommo\" or \"amoCRM\", so that users do not mistake them for the vendor's own.",
    example: "\"name\": \"amoCRM Telephony\"");

rule!(LISTING_DESCRIPTION_SCRIPT, "listing.description_script", Warning / Error,
    en: "the description in `{file}` contains a `<script>` tag",
    ru: "описание в `{file}` содержит тег `<script>`",
    hint_en: "remove the script; descriptions may hold HTML markup and links, never code",
    hint_ru: "удалите скрипт; описание может содержать HTML-разметку и ссылки, но не код",
    why: "Descriptions are shown inside the CRM; a script there would run in every account that opens the listing.",
    example: "\"description\": \"<script>alert(1)</script>\"");

/// The listing rules, in catalogue order.
pub(super) const RULES: &[&Rule] = &[
    &LISTING_NAME_LENGTH,
    &LISTING_NAME_WORD_LENGTH,
    &LISTING_SHORT_DESCRIPTION_LENGTH,
    &LISTING_DESCRIPTION_LENGTH,
    &LISTING_BRAND_NAME,
    &LISTING_DESCRIPTION_SCRIPT,
];
