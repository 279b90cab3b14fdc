//! The CSS rules (rule book 6.2): every selector scoped under the widget's own class, no
//! restyling of system classes, no external `@import`, on every `.css` file of the package
//! (vendored style sheets included: the rule book forbids external CSS with global
//! selectors too).
//!
//! Each file is read with `cssparser`'s rule-list parser; `@media`, `@supports`, `@layer`,
//! `@container`, `@scope` and `@document` blocks are entered (up to [`MAX_BLOCK_DEPTH`]
//! levels), other at-rules (`@font-face`, `@keyframes`, ...) hold no selectors. The blocks
//! of style rules are not read: a nested rule lives under its parent's selector, which is
//! judged itself.
//!
//! Decisions:
//! - **Global selector.** A selector (each one of a comma list) is global when no compound
//!   has a class or an id. A leading compound that is `html`, `body` or has `:root` does not
//!   scope, even with a class (`body.modal-open input` is global; `body .my-widget input` is
//!   scoped). Classes inside functional pseudo-classes (`:not(.x)`, `:is(.x)`) do not scope.
//! - **System class.** A scoped selector with no id whose classes are all amoCRM system
//!   classes ([`is_system_class`]) restyles the CRM's own UI.
//! - **Syntax.** Only what the rule-list parser rejects is a syntax error: a malformed
//!   selector prelude, a rule without a block. Declarations are not validated.

use crate::catalog::{self as rules, Rule};
use crate::context::Ctx;
use crate::diag::Loc;
use crate::lines::LineIndex;
use cssparser::{
    AtRuleParser, BasicParseErrorKind, CowRcStr, ParseError, ParseErrorKind, Parser, ParserInput,
    ParserState, QualifiedRuleParser, SourceLocation, StyleSheetParser, ToCss, Token,
};
use smallvec::SmallVec;
use std::fmt::Display;

/// How many levels of `@media`-like blocks are entered; deeper ones are skipped.
const MAX_BLOCK_DEPTH: usize = 32;

/// Runs the css rules.
pub fn check(ctx: &mut Ctx<'_>) {
    let paths: Vec<&str> = ctx
        .package
        .files()
        .map(|(p, _)| p)
        .filter(|p| crate::paths::extension(p).as_deref() == Some("css"))
        .collect();
    for path in paths {
        let Some(text) = ctx.text(path) else { continue };
        let hits = check_css(text);
        if hits.is_empty() {
            continue;
        }
        let index = LineIndex::new(text);
        for hit in hits {
            let (line, column) = match hit.at {
                At::Offset(offset) => index.position(text, offset),
                At::Location(loc) => location_position(&index, text, loc),
            };
            let args: Vec<(&'static str, &dyn Display)> = hit
                .args
                .iter()
                .map(|(k, v)| (*k, v as &dyn Display))
                .collect();
            ctx.out.add(hit.rule, Loc::at(path, line, column), &args);
        }
    }
}

/// Where a finding is: a byte offset, or a cssparser location.
#[derive(Debug, Clone, Copy)]
enum At {
    Offset(usize),
    Location(SourceLocation),
}

#[derive(Debug, Clone)]
struct Hit {
    rule: &'static Rule,
    at: At,
    args: Vec<(&'static str, String)>,
}

impl Hit {
    fn new(rule: &'static Rule, at: At, args: &[(&'static str, &dyn Display)]) -> Hit {
        Hit {
            rule,
            at,
            args: args.iter().map(|(k, v)| (*k, v.to_string())).collect(),
        }
    }
}

/// A cssparser location (0-based line, column in UTF-16 units) as a 1-based line and a
/// character column.
fn location_position(index: &LineIndex, text: &str, loc: SourceLocation) -> (u32, u32) {
    let line = loc.line.saturating_add(1);
    let Some(line_text) = index.line_text(text, line) else {
        return (line, loc.column.max(1));
    };
    let mut units = 0u32;
    let mut chars = 0u32;
    for c in line_text.chars() {
        if units + 1 >= loc.column {
            break;
        }
        units += u32::try_from(c.len_utf16()).unwrap_or(1);
        chars += 1;
    }
    (line, chars + 1)
}

/// All findings for one style sheet.
fn check_css(text: &str) -> Vec<Hit> {
    let mut input = ParserInput::new(text);
    let mut parser = Parser::new(&mut input);
    let mut rules = Rules {
        src: text,
        hits: Vec::new(),
        depth: 0,
    };
    rules.rule_list(&mut parser);
    rules.hits
}

/// The rule-list parser: records findings as it goes.
struct Rules<'s> {
    src: &'s str,
    hits: Vec<Hit>,
    depth: usize,
}

/// What an at-rule's prelude said.
enum AtPrelude {
    /// `@import` of this URL.
    Import(String),
    /// A block holding rules (`@media`...).
    Group,
    /// Anything else.
    Other,
}

impl Rules<'_> {
    fn rule_list(&mut self, input: &mut Parser<'_, '_>) {
        let mut errors = Vec::new();
        for result in StyleSheetParser::new(input, self) {
            if let Err((error, _)) = result {
                errors.push((error.location, describe(&error.kind)));
            }
        }
        for (location, detail) in errors {
            self.hits.push(Hit::new(
                &rules::CSS_SYNTAX_ERROR,
                At::Location(location),
                &[("detail", &detail)],
            ));
        }
    }

    fn judge(&mut self, selector: &Selector, text: &str) {
        let compounds = match selector.compounds.first() {
            Some(first) if first.root => &selector.compounds[1..],
            _ => &selector.compounds[..],
        };
        let scoped = compounds.iter().any(|c| c.id || !c.classes.is_empty());
        let at = At::Offset(selector.start);
        if !scoped {
            self.hits.push(Hit::new(
                &rules::CSS_GLOBAL_SELECTOR,
                at,
                &[("selector", &text)],
            ));
            return;
        }
        let has_id = compounds.iter().any(|c| c.id);
        let mut classes = compounds.iter().flat_map(|c| c.classes.iter());
        if !has_id
            && classes.clone().all(|c| is_system_class(c))
            && let Some(class) = classes.next()
        {
            self.hits.push(Hit::new(
                &rules::CSS_SYSTEM_CLASS,
                at,
                &[("selector", &text), ("class", class)],
            ));
        }
    }
}

/// What a custom parse error says.
type Msg = &'static str;

/// A parse error in words.
fn describe(kind: &ParseErrorKind<'_, Msg>) -> String {
    match kind {
        ParseErrorKind::Basic(BasicParseErrorKind::UnexpectedToken(t)) => {
            format!("unexpected `{}`", t.to_css_string())
        }
        ParseErrorKind::Basic(BasicParseErrorKind::EndOfInput) => {
            "the rule ends before its `{ ... }` block".to_string()
        }
        ParseErrorKind::Basic(BasicParseErrorKind::AtRuleInvalid(name)) => {
            format!("invalid `@{name}` rule")
        }
        ParseErrorKind::Custom(msg) => (*msg).to_string(),
        _ => "invalid rule".to_string(),
    }
}

/// Skips the rest of a (delimited) input.
fn consume_all(input: &mut Parser<'_, '_>) {
    while input.next().is_ok() {}
}

/// One compound selector, as far as the rules care.
#[derive(Debug, Default)]
struct Compound<'i> {
    /// Borrowed from the style sheet (a class is copied only when it has escapes).
    classes: SmallVec<[CowRcStr<'i>; 2]>,
    id: bool,
    /// `html`, `body` or `:root`: the document itself.
    root: bool,
    /// Holds at least one simple selector.
    any: bool,
}

/// One selector of a comma list.
#[derive(Debug, Default)]
struct Selector<'i> {
    start: usize,
    end: usize,
    compounds: SmallVec<[Compound<'i>; 4]>,
}

/// A selector list. Lists, selectors and compounds are kept inline while they are as short as
/// most are: a style sheet has a selector list per rule.
type Selectors<'i> = SmallVec<[Selector<'i>; 2]>;

impl<'i> Selector<'i> {
    fn current(&mut self) -> &mut Compound<'i> {
        if self.compounds.is_empty() {
            self.compounds.push(Compound::default());
        }
        let last = self.compounds.len() - 1;
        &mut self.compounds[last]
    }

    fn is_empty(&self) -> bool {
        self.compounds.iter().all(|c| !c.any)
    }
}

const EMPTY_SELECTOR: Msg = "an empty selector in the list";
const DANGLING: Msg = "a combinator with no selector after it";

/// Splits a selector list into selectors and compounds. `Err` with the offending position
/// when it is malformed.
fn read_selectors<'i>(input: &mut Parser<'i, '_>) -> Result<Selectors<'i>, ParseError<'i, Msg>> {
    let mut selectors = Selectors::new();
    let mut sel = Selector::default();
    let mut boundary = false;
    let mut dangling = false;
    loop {
        let before = input.position().byte_index();
        let location = input.current_source_location();
        let token = match input.next_including_whitespace_and_comments() {
            Ok(t) => t.clone(),
            Err(_) => break,
        };
        let is_space = matches!(token, Token::WhiteSpace(_) | Token::Comment(_));
        let simple = |sel: &mut Selector, boundary: &mut bool| {
            if sel.is_empty() {
                sel.start = before;
            }
            if *boundary && sel.current().any {
                sel.compounds.push(Compound::default());
            }
            *boundary = false;
            sel.current().any = true;
        };
        if !is_space && !matches!(token, Token::Delim('>' | '+' | '~')) {
            dangling = false;
        }
        match token {
            Token::WhiteSpace(_) | Token::Comment(_) => boundary = true,
            Token::Delim('>' | '+' | '~') => {
                if sel.is_empty() || dangling {
                    return Err(location.new_unexpected_token_error(token));
                }
                boundary = true;
                dangling = true;
            }
            Token::Comma => {
                if sel.is_empty() {
                    return Err(location.new_custom_error(EMPTY_SELECTOR));
                }
                if dangling {
                    return Err(location.new_custom_error(DANGLING));
                }
                selectors.push(std::mem::take(&mut sel));
                boundary = false;
            }
            Token::Delim('.') => {
                simple(&mut sel, &mut boundary);
                let after = input.current_source_location();
                match input.next_including_whitespace_and_comments() {
                    Ok(Token::Ident(name)) => {
                        let name = name.clone();
                        sel.current().classes.push(name);
                    }
                    Ok(t) => {
                        let t = t.clone();
                        return Err(after.new_unexpected_token_error(t));
                    }
                    Err(e) => return Err(e.into()),
                }
            }
            Token::IDHash(_) | Token::Hash(_) => {
                simple(&mut sel, &mut boundary);
                sel.current().id = true;
            }
            Token::Ident(name) => {
                simple(&mut sel, &mut boundary);
                if name.eq_ignore_ascii_case("html") || name.eq_ignore_ascii_case("body") {
                    sel.current().root = true;
                }
            }
            Token::Delim('*' | '&' | '|') | Token::SquareBracketBlock => {
                simple(&mut sel, &mut boundary);
            }
            Token::Colon => {
                simple(&mut sel, &mut boundary);
                let mut next = input.next_including_whitespace_and_comments().cloned();
                if let Ok(Token::Colon) = next {
                    next = input.next_including_whitespace_and_comments().cloned();
                }
                match next {
                    Ok(Token::Ident(name)) => {
                        if name.eq_ignore_ascii_case("root") {
                            sel.current().root = true;
                        }
                    }
                    Ok(Token::Function(_)) => {}
                    Ok(t) => return Err(location.new_unexpected_token_error(t)),
                    Err(e) => return Err(e.into()),
                }
            }
            t => return Err(location.new_unexpected_token_error(t)),
        }
        if !is_space && !sel.is_empty() {
            sel.end = input.position().byte_index();
        }
    }
    if sel.is_empty() {
        return Err(input.new_custom_error(EMPTY_SELECTOR));
    }
    if dangling {
        return Err(input.new_custom_error(DANGLING));
    }
    selectors.push(sel);
    Ok(selectors)
}

impl<'i> QualifiedRuleParser<'i> for Rules<'_> {
    type Prelude = ();
    type QualifiedRule = ();
    type Error = Msg;

    fn parse_prelude<'t>(&mut self, input: &mut Parser<'i, 't>) -> Result<(), ParseError<'i, Msg>> {
        let selectors = read_selectors(input)?;
        let src = self.src;
        for selector in &selectors {
            let text = src
                .get(selector.start..selector.end)
                .unwrap_or_default()
                .trim();
            self.judge(selector, text);
        }
        Ok(())
    }

    fn parse_block<'t>(
        &mut self,
        _prelude: (),
        _start: &ParserState,
        input: &mut Parser<'i, 't>,
    ) -> Result<(), ParseError<'i, Msg>> {
        consume_all(input);
        Ok(())
    }
}

impl<'i> AtRuleParser<'i> for Rules<'_> {
    type Prelude = AtPrelude;
    type AtRule = ();
    type Error = Msg;

    fn parse_prelude<'t>(
        &mut self,
        name: CowRcStr<'i>,
        input: &mut Parser<'i, 't>,
    ) -> Result<AtPrelude, ParseError<'i, Msg>> {
        let name = name.to_ascii_lowercase();
        let prelude = match name.as_str() {
            "import" => match input.expect_url_or_string() {
                Ok(url) => AtPrelude::Import(url.to_string()),
                Err(_) => AtPrelude::Other,
            },
            "media" | "supports" | "layer" | "container" | "scope" | "document"
            | "-moz-document" | "starting-style" => AtPrelude::Group,
            _ => AtPrelude::Other,
        };
        consume_all(input);
        Ok(prelude)
    }

    fn rule_without_block(&mut self, prelude: AtPrelude, start: &ParserState) -> Result<(), ()> {
        if let AtPrelude::Import(url) = prelude
            && is_external(&url)
        {
            self.hits.push(Hit::new(
                &rules::CSS_EXTERNAL_IMPORT,
                At::Offset(start.position().byte_index()),
                &[("url", &url)],
            ));
        }
        Ok(())
    }

    fn parse_block<'t>(
        &mut self,
        prelude: AtPrelude,
        start: &ParserState,
        input: &mut Parser<'i, 't>,
    ) -> Result<(), ParseError<'i, Msg>> {
        match prelude {
            AtPrelude::Group if self.depth < MAX_BLOCK_DEPTH => {
                self.depth += 1;
                self.rule_list(input);
                self.depth -= 1;
            }
            AtPrelude::Import(url) => {
                let _ = self.rule_without_block(AtPrelude::Import(url), start);
            }
            _ => {}
        }
        consume_all(input);
        Ok(())
    }
}

/// An absolute or protocol-relative URL.
fn is_external(url: &str) -> bool {
    let url = url.trim().to_ascii_lowercase();
    url.starts_with("http://") || url.starts_with("https://") || url.starts_with("//")
}

/// amoCRM's own UI classes: a widget that restyles them changes the CRM for everyone.
pub fn is_system_class(class: &str) -> bool {
    const EXACT: &[&str] = &[
        "modal",
        "card-holder",
        "widget_settings_block",
        "widget-settings",
        "button-input",
        "control-select",
        "control-checkbox",
        "control-toggler",
        "control-wrapper",
        "page-holder",
        "list",
        "card",
        "content",
        "feed",
        "notes-wrapper",
        "aside",
    ];
    // Only prefixes that amoCRM's own markup owns; generic ones (`card-`, `list-`, `notes-`)
    // are left out, since widgets name their own classes that way too.
    const PREFIXES: &[&str] = &[
        "js-",
        "control-",
        "button-",
        "modal-",
        "pipeline_",
        "widget_settings_block__",
    ];
    EXACT.contains(&class) || PREFIXES.iter().any(|p| class.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{Diagnostic, Severity};
    use crate::options::Profile;

    fn run_with(files: &[(&str, &str)], profile: Profile) -> Vec<Diagnostic> {
        crate::testing::findings(files, profile, "css.")
    }

    fn run(css: &str) -> Vec<Diagnostic> {
        run_with(&[("style.css", css)], Profile::Upload)
    }

    fn codes(d: &[Diagnostic]) -> Vec<&str> {
        d.iter().map(|d| d.code.as_str()).collect()
    }

    fn place(d: &Diagnostic) -> (Option<u32>, Option<u32>) {
        (d.line, d.column)
    }

    fn severities(css: &str, code: &str) -> (Severity, Severity) {
        let up = run_with(&[("style.css", css)], Profile::Upload);
        let publ = run_with(&[("style.css", css)], Profile::Publication);
        let find = |d: &[Diagnostic]| {
            d.iter()
                .find(|x| x.code == code)
                .map(|x| x.severity)
                .unwrap_or(Severity::Info)
        };
        (find(&up), find(&publ))
    }

    #[test]
    fn a_scoped_style_sheet_triggers_nothing() {
        let css = r#"@charset "utf-8";
.my-widget { color: red; }
.my-widget input, .my-widget > .row + .row ~ span { margin: 0; }
#my-widget-root a:hover::after, .my-widget [data-x="1"] { content: "}"; }
body .my-widget .control-select { width: 100%; }
@media (max-width: 600px) { .my-widget { display: none; } }
@supports (display: grid) { @media print { .my-widget__grid { display: grid; } } }
@font-face { font-family: "X"; src: url(x.woff); }
@keyframes spin { from { transform: rotate(0); } to { transform: rotate(360deg); } }
@import "local.css";
.my-widget { .nested { color: blue; } &:hover { color: red; } }
/* input { } in a comment */
"#;
        assert_eq!(codes(&run(css)), Vec::<&str>::new());
    }

    #[test]
    fn global_selectors() {
        let css = ".my-widget { }\ninput, .w a,\n  div > span { border: 0; }\n";
        let d = run(css);
        assert_eq!(codes(&d), ["css.global_selector", "css.global_selector"]);
        assert_eq!(place(&d[0]), (Some(2), Some(1)));
        assert!(d[0].message.contains("`input`"), "{}", d[0].message);
        assert_eq!(place(&d[1]), (Some(3), Some(3)));
        assert!(d[1].message.contains("`div > span`"), "{}", d[1].message);
        assert_eq!(d[0].file.as_deref(), Some("style.css"));
        assert_eq!(
            severities("input {}", "css.global_selector"),
            (Severity::Warning, Severity::Error)
        );
        for global in [
            "*",
            "body",
            "html body div",
            ":root",
            "body.modal-open input",
            "a:not(.w)",
            "[data-widget]",
            "::selection",
        ] {
            let d = run(&format!("{global} {{ color: red; }}"));
            assert_eq!(codes(&d), ["css.global_selector"], "{global}");
        }
        // Inside @media too, with the right position.
        let d = run("@media screen {\n  .w { }\n  p { }\n}\n");
        assert_eq!(codes(&d), ["css.global_selector"]);
        assert_eq!(place(&d[0]), (Some(3), Some(3)));
    }

    #[test]
    fn system_classes() {
        let css = "\n.control-select { width: 100%; }\n.widget_settings_block input, .js-save, .my-w .modal-body, #x .card-holder { }\n";
        let d = run(css);
        assert_eq!(
            codes(&d),
            ["css.system_class", "css.system_class", "css.system_class"]
        );
        assert_eq!(place(&d[0]), (Some(2), Some(1)));
        assert!(
            d[0].message.contains("`.control-select`"),
            "{}",
            d[0].message
        );
        assert!(d[1].message.contains("`.widget_settings_block`"));
        assert_eq!(place(&d[2]), (Some(3), Some(31)));
        assert_eq!(
            severities(".button-input {}", "css.system_class"),
            (Severity::Warning, Severity::Error)
        );
        assert!(is_system_class("control-checkbox"));
        assert!(!is_system_class("my-widget"));
    }

    #[test]
    fn external_imports() {
        let css = "@import url(\"https://cdn.example.com/x.css\");\n@import '//cdn.example.com/y.css' screen;\n@import url(local.css);\n@IMPORT url(HTTP://a.b/c.css);\n";
        let d = run(css);
        assert_eq!(
            codes(&d),
            [
                "css.external_import",
                "css.external_import",
                "css.external_import"
            ]
        );
        assert_eq!(place(&d[0]), (Some(1), Some(1)));
        assert!(d[0].message.contains("https://cdn.example.com/x.css"));
        assert_eq!(place(&d[1]), (Some(2), Some(1)));
        assert_eq!(place(&d[2]), (Some(4), Some(1)));
        assert_eq!(
            severities("@import 'http://x/y.css';", "css.external_import"),
            (Severity::Warning, Severity::Error)
        );
    }

    #[test]
    fn syntax_errors() {
        let d = run(".w { }\n.w > { color: red; }\n.ok { }\n.w, { }\n");
        let errors: Vec<_> = d.iter().filter(|x| x.code == "css.syntax_error").collect();
        assert_eq!(errors.len(), 2, "{d:?}");
        assert_eq!(errors[0].line, Some(2));
        assert_eq!(errors[1].line, Some(4));
        assert!(
            errors[0].message.contains("combinator"),
            "{}",
            errors[0].message
        );
        assert!(
            errors[1].message.contains("empty selector"),
            "{}",
            errors[1].message
        );
        assert_eq!(
            severities(".w > { }", "css.syntax_error"),
            (Severity::Warning, Severity::Error)
        );
        // A rule without a block at the end.
        let d = run(".w { }\n.x");
        assert_eq!(codes(&d), ["css.syntax_error"]);
        // Columns count characters, not UTF-16 units or bytes.
        let d = run("/* ё𝄞 */ .w. { }");
        assert_eq!(codes(&d), ["css.syntax_error"]);
        assert_eq!(d[0].column, Some(13), "{d:?}");
    }

    #[test]
    fn every_css_file_is_checked() {
        let d = run_with(
            &[
                ("style.css", ".w {}"),
                ("vendor/lib.css", "\n\ninput {}"),
                ("other.txt", "input {}"),
            ],
            Profile::Upload,
        );
        assert_eq!(codes(&d), ["css.global_selector"]);
        assert_eq!(d[0].file.as_deref(), Some("vendor/lib.css"));
        assert_eq!(d[0].line, Some(3));
    }

    #[test]
    fn garbage_and_deep_nesting_never_panic() {
        let deep_media = format!(
            "{}.w {{}}{}",
            "@media screen {".repeat(10_000),
            "}".repeat(10_000)
        );
        let _ = run(&deep_media);
        let deep_blocks = format!(".w {}{}", "{".repeat(100_000), "}".repeat(100_000));
        assert!(run(&deep_blocks).is_empty());
        let parens = format!(".w:not{}", "(".repeat(100_000));
        let _ = run(&parens);
        let mut state: u32 = 12345;
        let alphabet = b"{}()[].#:,>+~*@ \n;'\"/\\abcmediaimporturl";
        for n in 0..300 {
            let s: String = (0..(n % 200 + 1))
                .map(|_| {
                    state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    alphabet[(state >> 16) as usize % alphabet.len()] as char
                })
                .collect();
            let _ = run(&s);
        }
    }
}
