//! Rules about images: the logos' presence, format, exact size and weight; other images'
//! format and weight.

use super::Rule;

rule!(IMAGE_LOGO_MISSING, "image.logo_missing", Warning / Error,
    en: "`{file}` is missing",
    ru: "нет файла `{file}`",
    hint_en: "add a {size} PNG at `{file}`{when}",
    hint_ru: "добавьте PNG размером {size} в `{file}`{when}",
    why: "The catalogue, the install modal and the settings page show these logos; amoCRM requires logo_main (400x272), logo_small (108x108), logo (130x100), logo_medium (240x84), logo_min (84x84), and logo_dp (174x109) for Digital Pipeline widgets.",
    example: "a widget.zip without images/logo_main.png");

rule!(IMAGE_LOGO_SIZE, "image.logo_size", Warning / Error,
    en: "`{file}` is {width}x{height} pixels; it must be exactly {size}",
    ru: "`{file}` имеет размер {width}x{height} пикселей, а должен быть ровно {size}",
    hint_en: "resize the image to exactly {size} pixels",
    hint_ru: "приведите изображение ровно к {size} пикселям",
    why: "The CRM lays logos out at fixed sizes; the marketplace refuses logos of any other size.",
    example: "images/logo_small.png of 100x100");

rule!(IMAGE_NOT_PNG, "image.not_png", Warning / Error,
    en: "`{file}` is a {format} image; published logos must be PNG",
    ru: "`{file}` — изображение {format}; логотипы опубликованного виджета должны быть в PNG",
    hint_en: "convert the logo to PNG",
    hint_ru: "преобразуйте логотип в PNG",
    why: "amoCRM accepts PNG, JPEG or GIF logos, but the marketplace checklist demands PNG.",
    example: "a JPEG saved as images/logo.png");

rule!(IMAGE_NOT_IMAGE, "image.not_image", Error / Error,
    en: "`{file}` is not a PNG, JPEG or GIF image",
    ru: "`{file}` — не изображение PNG, JPEG или GIF",
    hint_en: "save the image as PNG; the file's content decides its format, not its extension",
    hint_ru: "сохраните изображение в PNG; формат определяется содержимым файла, а не расширением",
    why: "Logos and tour images are judged by content; a file that is not an image shows as broken.",
    example: "a text file named images/logo_main.png");

rule!(IMAGE_FORMAT_MISMATCH, "image.format_mismatch", Warning / Warning,
    en: "`{file}` holds a {format} image, not what its extension says",
    ru: "`{file}` содержит изображение {format}, а не то, что указано в расширении",
    hint_en: "rename the file to `.{ext}` or convert it to the format of its extension",
    hint_ru: "переименуйте файл в `.{ext}` или преобразуйте его в формат расширения",
    why: "Browsers sniff images, but servers send the content type from the extension; a mismatch can break caching proxies and strict clients.",
    example: "a GIF named tour_1_en.png");

rule!(IMAGE_TOO_LARGE, "image.too_large", Warning / Error,
    en: "`{file}` is {size} bytes, over {limit} bytes",
    ru: "`{file}` весит {size} байт, больше {limit} байт",
    hint_en: "compress the image (for PNG, tools such as oxipng or pngquant) to at most {limit} bytes",
    hint_ru: "сожмите изображение (для PNG подойдут oxipng или pngquant) до {limit} байт",
    why: "Each image in a widget may weigh at most 300 KB.",
    example: "a 1 MB photo as images/tour_1_en.png");

/// The image rules, in catalogue order.
pub(super) const RULES: &[&Rule] = &[
    &IMAGE_LOGO_MISSING,
    &IMAGE_LOGO_SIZE,
    &IMAGE_NOT_PNG,
    &IMAGE_NOT_IMAGE,
    &IMAGE_FORMAT_MISMATCH,
    &IMAGE_TOO_LARGE,
];
