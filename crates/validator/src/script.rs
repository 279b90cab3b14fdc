//! The JavaScript rules: `script.js` as an AMD module with the callbacks the host calls, and
//! the moderation rules (rule book 6.2) on every `.js` file of the package.
//!
//! Every file is parsed with oxc as a classic script; when that fails and parsing as an ES
//! module succeeds, the module parse is used. A syntax error is a finding at its position,
//! never a crash, and the recovered tree is still checked.
//!
//! Decisions:
//! - **First-party and third-party files.** A file under a `vendor`, `vendors`,
//!   `node_modules` or `bower_components` folder, or named `*.min.js`, is third-party. The
//!   rules about the author's own habits (`script.debugger`, `script.console`, `script.alert`,
//!   `script.minified`, `script.syntax_error`) apply to first-party files only; the rules
//!   about what the code does to the host (eval, `new Function`, synchronous XHR, script
//!   injection, writes to `APP`/`AMOCRM`, API calls in loops, install clicks, switcher
//!   classes) apply to every `.js` file, vendored or not.
//! - **AMD.** `script.js` must call `define(...)` with a function (the factory) as its last
//!   argument. A top-level call is looked for first; a `define` call anywhere else whose last
//!   argument is a function or a name (the UMD wrapper bundlers write) is accepted too.
//! - **Callbacks.** Every object literal assigned to `<anything>.callbacks`, or given as the
//!   value of a `callbacks` property, counts, as does `x.callbacks = name` where `name` is a
//!   variable holding an object literal, and single assignments `x.callbacks.render = ...`.
//!   Keys of nested objects count with a dot (`leads.selected`). When such an object has a
//!   spread or computed key, or `callbacks` is assigned something else, the key set is
//!   unknown and no callback is reported missing. When `script.js` has a syntax error, the
//!   AMD and callback rules are skipped: the syntax error is the finding.
//! - **Location callbacks.** Only locations with one clear callback are checked:
//!   `advanced_settings` (`advancedSettings`), `digital_pipeline` (`dpSettings`),
//!   `widget_page` (`initMenuPage`), `salesbot_designer` (`onSalesbotDesignerSave`),
//!   `card_sdk` (`loadPreloadedData`), `catalogs` (`loadCatalogElement`), `settings`
//!   (`settings`). List locations are not: a list widget may work without the mass action.
//! - **Console.** Any `console.*` call is reported unless it sits, lexically, in a `catch`
//!   body, in a function given to `.catch(fn)`, `.fail(fn)` or as the second argument of
//!   `.then(ok, fn)`, or in an `error:` option of a call.
//! - **Loops.** A loop is the body of `for`/`for-in`/`for-of`/`while`/`do`, or a function
//!   given to `forEach`, `each`, `map`, `filter`, `some`, `every` or `reduce`; functions
//!   defined in a loop count as in it (a Promise executor runs there).
//! - **Depth.** oxc recurses once per nesting level and has no depth limit. A scan of the
//!   text estimates the parser's recursion (brackets, prefix operators, right-nested
//!   assignments, conditionals, arrows and statement chains); a file over the budget is
//!   reported as `script.too_deep` and its tree is not used. A weight per byte bounds the
//!   estimate from above ([`stack_bound`]). A file within the budget by that bound is parsed
//!   at once. Another is parsed on a stack its bound pays for, and estimated only when it
//!   does not parse cleanly or its tree is at least [`RECHECK_DEPTH`] deep; one so large that
//!   this stack would pass [`MAX_BOUND_UNITS`] is estimated before it is parsed, as every
//!   file used to be. A shallow tree whose text the estimate overcounts (a thousand `case`
//!   labels in a row) is therefore checked, not reported. The tree walk itself stops
//!   descending past a fixed depth, and walks long `a + b + c` chains without recursion.

use crate::catalog::{self as rules, Rule};
use crate::context::Ctx;
use crate::diag::{Loc, Severity};
use crate::lines::LineIndex;
use crate::loaders::{self, Dep, Target, Via};
use crate::options::Lang;
use crate::package::Package;
use corosensei::stack::DefaultStack;
use oxc_allocator::Allocator;
use oxc_ast::ast::{
    Argument, AssignmentExpression, AssignmentTarget, AssignmentTargetPattern, BinaryExpression,
    BinaryOperator, BindingPattern, CallExpression, CatchClause, DebuggerStatement,
    DoWhileStatement, Expression, ForInStatement, ForOfStatement, ForStatement, NewExpression,
    ObjectExpression, ObjectProperty, ObjectPropertyKind, Program, SimpleAssignmentTarget,
    Statement, StringLiteral, TemplateLiteral, UnaryExpression, UnaryOperator, UpdateExpression,
    VariableDeclarator, WhileStatement,
};
use oxc_ast_visit::{Visit, walk};
use oxc_parser::{ParseOptions, Parser, ParserReturn};
use oxc_span::{GetSpan, SourceType, Span};
use smallvec::SmallVec;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Display;
use std::sync::OnceLock;

/// Recursion budget of the pre-parse scan, in units of roughly 512 bytes of parser stack.
const DEPTH_BUDGET: usize = 1000;
/// What one level of brackets costs in that budget.
const BRACKET_COST: usize = 4;
/// How deep the tree walk descends; deeper subtrees are not inspected.
const MAX_WALK_DEPTH: usize = 600;
/// Parser stack bought per unit of [`stack_bound`] when a text is parsed before its estimate:
/// four times the estimate's 512 bytes, the same margin as a budget of [`DEPTH_BUDGET`] on a
/// default thread's 2 MiB.
const STACK_PER_UNIT: usize = 2048;
/// What that stack has besides: a default thread's 2 MiB, for the tree walk.
const BASE_STACK: usize = 2 << 20;
/// Texts whose [`stack_bound`] is over this are estimated before they are parsed, on the
/// caller's stack: the bound would ask for more than 130 MiB of address space. (A release
/// build uses about a fifth of what it buys: 16,000 nested brackets, 64,000 units, took 25
/// MB of stack.) Scripts up to about 250 KB are within it.
const MAX_BOUND_UNITS: usize = 1 << 16;
/// A text parsed before its estimate is estimated after all when its tree is at least this
/// deep (or did not parse cleanly), and reported as too deep if the estimate says so. The
/// estimate passes its budget at 250 levels of brackets or 1,000 nested operators; the
/// scripts of the test corpus reach 42.
const RECHECK_DEPTH: usize = 64;
/// At most this many switcher-class findings per file.
const MAX_TEXT_HITS: usize = 50;

/// Locations whose callback is clear, and that callback.
const LOCATION_CALLBACKS: &[(&str, &str)] = &[
    ("advanced_settings", "advancedSettings"),
    ("digital_pipeline", "dpSettings"),
    ("widget_page", "initMenuPage"),
    ("salesbot_designer", "onSalesbotDesignerSave"),
    ("card_sdk", "loadPreloadedData"),
    ("catalogs", "loadCatalogElement"),
    ("settings", "settings"),
];

/// The callbacks the host always calls.
const REQUIRED_CALLBACKS: &[&str] = &["render", "init", "bind_actions"];

/// How many levels of loaders are followed from `script.js` to find the callbacks.
const MAX_LOADER_DEPTH: usize = 4;
/// At most this many package modules are followed.
const MAX_LOADED_MODULES: usize = 32;

/// Runs the script rules.
pub fn check(ctx: &mut Ctx<'_>) {
    if !ctx.package.contains("script.js") {
        ctx.out
            .add(&rules::SCRIPT_MISSING, Loc::file("script.js"), &[]);
    }
    let locations = ctx.locations();
    let package = ctx.package;
    let mut hits: BTreeMap<String, Vec<Hit>> = BTreeMap::new();
    let mut modules: BTreeMap<String, Facts> = BTreeMap::new();
    // A known library's code is not the author's: none of these rules apply to it.
    let mut texts: Vec<(&str, &str)> = ctx
        .texts()
        .filter(|(path, _)| !ctx.libraries.contains(*path))
        .collect();
    // The largest first, so that the parser's arena, reused from file to file, has its
    // final size from the start (the results are keyed by path: the order changes nothing).
    texts.sort_by_key(|(_, text)| std::cmp::Reverse(text.len()));
    let (scripts, others): (Vec<_>, Vec<_>) =
        texts.into_iter().partition(|(path, _)| is_script(path));
    for ((path, _), (found, facts)) in scripts
        .iter()
        .zip(check_scripts(&scripts, ctx.options.lang))
    {
        if let Some(facts) = facts {
            modules.insert(path.to_string(), facts);
        }
        hits.entry(path.to_string()).or_default().extend(found);
    }
    for (path, text) in others {
        if matches!(
            crate::paths::extension(path).as_deref(),
            Some("css" | "twig" | "html" | "htm" | "tpl")
        ) {
            let found = text_switcher_hits(text, 0, text.len());
            hits.entry(path.to_string()).or_default().extend(found);
        }
    }
    if let Some(main) = modules.get("script.js")
        && !main.syntax_error
    {
        for (path, hit) in check_module(main, &modules, package, &locations) {
            hits.entry(path).or_default().push(hit);
        }
    }
    for (path, facts) in &modules {
        let found = check_loads(path, facts, package);
        hits.entry(path.clone()).or_default().extend(found);
    }
    for (path, found) in hits {
        if let Some(text) = ctx.text(&path) {
            emit(ctx, &path, text, found);
        }
    }
}

/// Code a file loads from outside the package, and build placeholders, each once per file.
fn check_loads(path: &str, facts: &Facts, package: &Package) -> Vec<Hit> {
    let mut hits = Vec::new();
    let mut seen = BTreeSet::new();
    for dep in &facts.deps {
        if !seen.insert(dep.value.as_str()) {
            continue;
        }
        match loaders::classify(&dep.value, path, package) {
            Target::Remote { url, dev } => {
                let mut hit = Hit::new(
                    &rules::SCRIPT_REMOTE_CODE,
                    dep.offset,
                    &[("url", &url), ("how", &dep.via.describe())],
                );
                if !dev {
                    hit.at_most = Some(Severity::Warning);
                }
                hits.push(hit);
            }
            Target::Placeholder => hits.push(Hit::new(
                &rules::SCRIPT_BUILD_PLACEHOLDER,
                dep.offset,
                &[("value", &dep.value)],
            )),
            Target::Package(_) | Target::Other => {}
        }
    }
    hits
}

/// One finding inside a file, by byte offset.
#[derive(Debug, Clone)]
struct Hit {
    rule: &'static Rule,
    offset: usize,
    args: Vec<(&'static str, String)>,
    at_most: Option<Severity>,
}

impl Hit {
    fn new(rule: &'static Rule, offset: usize, args: &[(&'static str, &dyn Display)]) -> Hit {
        Hit {
            rule,
            offset,
            args: args.iter().map(|(k, v)| (*k, v.to_string())).collect(),
            at_most: None,
        }
    }
}

fn emit(ctx: &mut Ctx<'_>, path: &str, text: &str, hits: Vec<Hit>) {
    if hits.is_empty() {
        return;
    }
    let index = LineIndex::new(text);
    for hit in hits {
        let (line, column) = index.position(text, hit.offset);
        let args: Vec<(&'static str, &dyn Display)> = hit
            .args
            .iter()
            .map(|(k, v)| (*k, v as &dyn Display))
            .collect();
        let loc = Loc::at(path, line, column);
        match hit.at_most {
            Some(cap) => ctx.out.add_at_most(hit.rule, loc, &args, cap),
            None => ctx.out.add(hit.rule, loc, &args),
        }
    }
}

/// What the module rules need to know of a JavaScript file, once its tree is gone.
#[derive(Debug, Default)]
struct Facts {
    /// The file did not parse.
    syntax_error: bool,
    /// Offset of a top-level `define(..., factory)` call.
    top_define: Option<u32>,
    /// Offsets of other `define` calls.
    defines: Vec<u32>,
    callbacks: Callbacks,
    callback_names: Vec<(String, u32)>,
    object_vars: BTreeMap<String, Vec<String>>,
    /// What the file loads.
    deps: Vec<Dep>,
}

/// Whether a file is a JavaScript file the script rules parse.
pub(crate) fn is_script(path: &str) -> bool {
    matches!(crate::paths::extension(path).as_deref(), Some("js" | "mjs"))
}

/// All findings for each script, and its facts, in the order given.
///
/// A text whose [`stack_bound`] is within [`DEPTH_BUDGET`] cannot be too deep and is parsed
/// at once. The others are parsed first too, on a stack their bound pays for (`corosensei`
/// switches the calling thread onto it: no thread is started), and estimated only when the
/// parse fails or the tree turns out deep: the estimate, a pass over every byte, cost more
/// than anything else in these rules but the parser. A text over [`MAX_BOUND_UNITS`], or
/// every text when that stack cannot be had, is estimated before it is parsed.
fn check_scripts(scripts: &[(&str, &str)], lang: Lang) -> Vec<(Vec<Hit>, Option<Facts>)> {
    let bounds: Vec<usize> = scripts.iter().map(|(_, text)| stack_bound(text)).collect();
    let run = |room: usize| {
        let mut allocator = Allocator::default();
        scripts
            .iter()
            .zip(&bounds)
            .map(|((path, text), &bound)| check_js(path, text, lang, &mut allocator, (bound, room)))
            .collect()
    };
    let Some(units) = bounds
        .iter()
        .copied()
        .filter(|&b| b > DEPTH_BUDGET && b <= MAX_BOUND_UNITS)
        .max()
    else {
        return run(DEPTH_BUDGET);
    };
    match DefaultStack::new(BASE_STACK + units * STACK_PER_UNIT) {
        Ok(stack) => corosensei::on_stack(stack, || run(units)),
        Err(_) => run(DEPTH_BUDGET),
    }
}

/// All findings for one JavaScript file, and its facts (none when it was not parsed).
/// `(bound, room)`: the text's [`stack_bound`], and the bound the caller's stack holds (see
/// [`check_scripts`]); a text within it is parsed before it is estimated.
fn check_js(
    path: &str,
    text: &str,
    lang: Lang,
    allocator: &mut Allocator,
    (bound, room): (usize, usize),
) -> (Vec<Hit>, Option<Facts>) {
    let first_party = !crate::text::is_third_party(path);
    let is_main = path == "script.js";
    let mut hits = Vec::new();
    if first_party && let Some((offset, measure)) = minified_measure(text, lang) {
        hits.push(Hit::new(
            &rules::SCRIPT_MINIFIED,
            offset,
            &[("file", &path), ("measure", &measure)],
        ));
    }
    let too_deep = |mut hits: Vec<Hit>, offset: usize| {
        hits.push(Hit::new(
            &rules::SCRIPT_TOO_DEEP,
            offset,
            &[("file", &path), ("limit", &(DEPTH_BUDGET / BRACKET_COST))],
        ));
        (hits, None)
    };
    let parse_first = bound <= room;
    // Whether the estimate still has to be made: never for a text whose bound is within it.
    let mut unsettled = parse_first && bound > DEPTH_BUDGET;
    if !parse_first && let Some(offset) = nesting_overflow(text) {
        return too_deep(hits, offset);
    }
    allocator.reset();
    let parsed = parse(allocator, text);
    if unsettled && (parsed.panicked || !parsed.diagnostics.is_empty()) {
        unsettled = false;
        if let Some(offset) = nesting_overflow(text) {
            return too_deep(hits, offset);
        }
    }
    let syntax_error = parsed.diagnostics.first().map(|d| {
        let offset = d.labels.first().map_or(0, |l| l.offset() as usize);
        (offset, d.message.to_string())
    });
    if let Some((offset, detail)) = &syntax_error
        && (first_party || is_main)
    {
        hits.push(Hit::new(
            &rules::SCRIPT_SYNTAX_ERROR,
            *offset,
            &[("file", &path), ("detail", detail)],
        ));
    }
    if parsed.panicked {
        return (hits, None);
    }
    let mut scan = Scan::new(text, first_party);
    scan.visit_program(&parsed.program);
    if unsettled
        && scan.deepest >= RECHECK_DEPTH
        && let Some(offset) = nesting_overflow(text)
    {
        return too_deep(hits, offset);
    }
    hits.append(&mut scan.hits);
    let top_define = top_level_define(&parsed.program);
    let deps = scan.resolved_deps();
    let facts = Facts {
        syntax_error: syntax_error.is_some(),
        top_define,
        defines: scan.defines,
        callbacks: scan.callbacks,
        callback_names: scan.callback_names,
        object_vars: scan.object_vars,
        deps,
    };
    (hits, Some(facts))
}

/// Parses as a classic script, or as a module when only that succeeds.
fn parse<'a>(allocator: &'a Allocator, text: &'a str) -> ParserReturn<'a> {
    // No identifier hashes: they serve semantic analysis, which the rules do not run; every
    // name is compared as text.
    let options = ParseOptions {
        enable_ident_hashes: false,
        ..ParseOptions::default()
    };
    let script = Parser::new(allocator, text, SourceType::script())
        .with_options(options)
        .parse();
    if script.diagnostics.is_empty() {
        return script;
    }
    let module = Parser::new(allocator, text, SourceType::mjs())
        .with_options(options)
        .parse();
    if module.diagnostics.is_empty() && !module.panicked {
        module
    } else {
        script
    }
}

/// The offset of a top-level `define(..., factory)` call.
fn top_level_define(program: &Program<'_>) -> Option<u32> {
    program.body.iter().find_map(|s| match s {
        Statement::ExpressionStatement(e) => match e.expression.without_parentheses() {
            Expression::CallExpression(c)
                if c.callee.is_specific_id("define") && last_arg_is(c, false) =>
            {
                Some(c.span.start)
            }
            _ => None,
        },
        _ => None,
    })
}

/// The AMD and callback rules for `script.js`, by file: the callbacks may live in a package
/// module `script.js` loads (a loader), followed through [`MAX_LOADER_DEPTH`] levels.
fn check_module(
    main: &Facts,
    modules: &BTreeMap<String, Facts>,
    package: &Package,
    locations: &[String],
) -> Vec<(String, Hit)> {
    let main_path = "script.js".to_string();
    let Some(define_at) = main.top_define.or_else(|| main.defines.first().copied()) else {
        return vec![(main_path, Hit::new(&rules::SCRIPT_NOT_AMD, 0, &[]))];
    };
    // script.js and the package modules it loads, breadth first.
    let mut chain: Vec<(&str, &Facts)> = vec![("script.js", main)];
    let mut seen: BTreeSet<String> = BTreeSet::from([main_path.clone()]);
    let mut outside = false;
    let mut level = vec![("script.js", main)];
    for _ in 0..MAX_LOADER_DEPTH {
        let mut next = Vec::new();
        for (path, facts) in &level {
            for dep in &facts.deps {
                match loaders::classify(&dep.value, path, package) {
                    Target::Package(p) => {
                        if chain.len() + next.len() >= MAX_LOADED_MODULES {
                            continue;
                        }
                        if let Some((name, loaded)) = modules.get_key_value(&p)
                            && seen.insert(p)
                        {
                            next.push((name.as_str(), loaded));
                        }
                    }
                    Target::Remote { .. } | Target::Placeholder => outside = true,
                    Target::Other => {}
                }
            }
        }
        if next.is_empty() {
            break;
        }
        chain.extend(next.iter().copied());
        level = next;
    }
    let Some((home, with_callbacks)) = chain.iter().find(|(_, f)| f.callbacks.found) else {
        // The constructor comes from outside the package (reported as remote code or a
        // placeholder), or there are no callbacks at all.
        if outside {
            return Vec::new();
        }
        return vec![(
            main_path,
            Hit::new(&rules::SCRIPT_NO_CALLBACKS, define_at as usize, &[]),
        )];
    };
    if chain.iter().any(|(_, f)| f.callbacks.open) {
        return Vec::new();
    }
    let mut keys: BTreeSet<&str> = BTreeSet::new();
    for (_, facts) in &chain {
        keys.extend(facts.callbacks.keys.iter().map(String::as_str));
        for (name, _) in &facts.callback_names {
            if let Some(more) = facts.object_vars.get(name) {
                keys.extend(more.iter().map(String::as_str));
            }
        }
    }
    let home = home.to_string();
    let at = with_callbacks.callbacks.at;
    let mut hits = Vec::new();
    for name in REQUIRED_CALLBACKS {
        if !keys.contains(name) {
            hits.push((
                home.clone(),
                Hit::new(&rules::SCRIPT_MISSING_CALLBACK, at, &[("name", name)]),
            ));
        }
    }
    let mut reported = BTreeSet::new();
    for location in locations {
        let area = location
            .strip_suffix("-0")
            .or_else(|| location.strip_suffix("-1"))
            .unwrap_or(location);
        let Some((_, callback)) = LOCATION_CALLBACKS.iter().find(|(l, _)| *l == area) else {
            continue;
        };
        if !keys.contains(callback) && reported.insert(area) {
            hits.push((
                home.clone(),
                Hit::new(
                    &rules::SCRIPT_LOCATION_CALLBACK,
                    at,
                    &[("location", &area), ("callback", callback)],
                ),
            ));
        }
    }
    hits
}

/// Whether a call's last argument is a function (or, when `name_ok`, also a plain name).
fn last_arg_is(call: &CallExpression<'_>, name_ok: bool) -> bool {
    // Rollup writes the factory in parentheses: `define([...], (function ($) { ... }))`.
    match call
        .arguments
        .last()
        .and_then(Argument::as_expression)
        .map(Expression::without_parentheses)
    {
        Some(Expression::FunctionExpression(_) | Expression::ArrowFunctionExpression(_)) => true,
        Some(Expression::Identifier(_)) => name_ok,
        _ => false,
    }
}

/// What the walk learned about `callbacks`.
#[derive(Debug, Default)]
struct Callbacks {
    /// Some callbacks object or assignment was seen.
    found: bool,
    /// Its key set cannot be known statically.
    open: bool,
    /// Keys seen.
    keys: Vec<String>,
    /// Offset of the first callbacks object or assignment.
    at: usize,
}

impl Callbacks {
    fn saw(&mut self, offset: u32) {
        if !self.found {
            self.found = true;
            self.at = offset as usize;
        }
    }
}

/// The tree walk: moderation findings, plus facts for the module rules.
struct Scan<'s> {
    src: &'s str,
    first_party: bool,
    hits: Vec<Hit>,
    depth: usize,
    /// The deepest `depth` reached.
    deepest: usize,
    catch_depth: usize,
    rejection_depth: usize,
    loop_depth: usize,
    install_vars: BTreeSet<String>,
    defines: Vec<u32>,
    callbacks: Callbacks,
    callback_names: Vec<(String, u32)>,
    object_vars: BTreeMap<String, Vec<String>>,
    /// What the file loads, as written (names resolved at the end).
    raw_deps: Vec<(Loaded, Via)>,
    /// Names bound to strings (`var url = dev ? 'http://...' : './app.js'`).
    string_vars: BTreeMap<String, Vec<(String, u32)>>,
}

/// A value a script loads, as written: kept as `String`s, found in the tree as `&str`s.
#[derive(Debug, Clone)]
enum Loaded<S = String> {
    Text(S, u32),
    Name(S),
}

impl Loaded<&str> {
    /// The value as kept once the tree is gone.
    fn kept(&self) -> Loaded {
        match *self {
            Loaded::Text(text, at) => Loaded::Text(text.to_string(), at),
            Loaded::Name(name) => Loaded::Name(name.to_string()),
        }
    }
}

/// What [`collect_loaded`] finds in one expression: a few values at most, as a rule.
type FoundLoads<'a> = SmallVec<[Loaded<&'a str>; 4]>;

/// How deep [`collect_loaded`] looks into an expression.
const MAX_LOADED_DEPTH: usize = 8;
/// At most this many values are remembered per name, and this many loads per file, so that a
/// hostile file cannot make the name resolution quadratic.
const MAX_VALUES_PER_NAME: usize = 8;
const MAX_LOADS_PER_FILE: usize = 1024;

/// The values an expression may evaluate to, as far as they can be read: strings, both
/// branches of `?:` and `||`/`&&`/`??`, the left side of `+`, and names.
fn collect_loaded<'a>(e: &Expression<'a>, out: &mut FoundLoads<'a>, depth: usize) {
    if depth > MAX_LOADED_DEPTH {
        return;
    }
    match e.without_parentheses() {
        Expression::StringLiteral(s) => {
            out.push(Loaded::Text(s.value.as_str(), s.span.start + 1));
        }
        Expression::TemplateLiteral(t) => {
            if let Some(first) = t.quasis.first() {
                let text = first
                    .value
                    .cooked
                    .as_ref()
                    .map_or(first.value.raw.as_str(), |c| c.as_str());
                if !text.is_empty() {
                    out.push(Loaded::Text(text, first.span.start));
                }
            }
        }
        Expression::Identifier(id) => out.push(Loaded::Name(id.name.as_str())),
        Expression::ConditionalExpression(c) => {
            collect_loaded(&c.consequent, out, depth + 1);
            collect_loaded(&c.alternate, out, depth + 1);
        }
        Expression::LogicalExpression(l) => {
            collect_loaded(&l.left, out, depth + 1);
            collect_loaded(&l.right, out, depth + 1);
        }
        Expression::BinaryExpression(b) if b.operator == BinaryOperator::Addition => {
            collect_loaded(&b.left, out, depth + 1);
        }
        Expression::ArrayExpression(a) => {
            for el in &a.elements {
                if let Some(e) = el.as_expression() {
                    collect_loaded(e, out, depth + 1);
                }
            }
        }
        _ => {}
    }
}

impl<'s> Scan<'s> {
    fn new(src: &'s str, first_party: bool) -> Self {
        Scan {
            src,
            first_party,
            hits: Vec::new(),
            depth: 0,
            deepest: 0,
            catch_depth: 0,
            rejection_depth: 0,
            loop_depth: 0,
            install_vars: BTreeSet::new(),
            defines: Vec::new(),
            callbacks: Callbacks::default(),
            callback_names: Vec::new(),
            object_vars: BTreeMap::new(),
            raw_deps: Vec::new(),
            string_vars: BTreeMap::new(),
        }
    }

    fn loads(&mut self, e: &Expression<'_>, via: Via) {
        let mut found = FoundLoads::new();
        collect_loaded(e, &mut found, 0);
        let room = MAX_LOADS_PER_FILE.saturating_sub(self.raw_deps.len());
        self.raw_deps
            .extend(found.iter().take(room).map(|l| (l.kept(), via)));
    }

    /// What the file loads, names resolved to the strings bound to them.
    fn resolved_deps(&self) -> Vec<Dep> {
        let mut out = Vec::new();
        for (loaded, via) in &self.raw_deps {
            match loaded {
                Loaded::Text(value, offset) => out.push(Dep {
                    value: value.clone(),
                    offset: *offset as usize,
                    via: *via,
                }),
                Loaded::Name(name) => {
                    for (value, offset) in self.string_vars.get(name).into_iter().flatten() {
                        out.push(Dep {
                            value: value.clone(),
                            offset: *offset as usize,
                            via: *via,
                        });
                    }
                }
            }
        }
        out
    }

    /// `define([...])`, `require([...])`, `require('x')`, `require.config({paths})`.
    fn record_loads(
        &mut self,
        call: &CallExpression<'_>,
        callee: &Expression<'_>,
        member: Member<'_, '_>,
    ) {
        let loader = match callee.get_inner_expression() {
            Expression::Identifier(id) => Some(id.name.as_str()),
            _ => member.and_then(|(object, prop)| {
                (object.is_specific_id("window") || object.is_specific_id("self")).then_some(prop)
            }),
        }
        .filter(|name| matches!(*name, "define" | "require" | "requirejs"));
        if let Some(loader) = loader {
            let via = if loader == "define" {
                Via::Define
            } else {
                Via::Require
            };
            let args: Vec<&Expression<'_>> = call
                .arguments
                .iter()
                .take(2)
                .filter_map(Argument::as_expression)
                .collect();
            if let Some(array) = args
                .iter()
                .find(|e| matches!(e.without_parentheses(), Expression::ArrayExpression(_)))
            {
                self.loads(array, via);
            } else if loader != "define"
                && let Some(first) = args.first()
            {
                self.loads(first, via);
            }
            return;
        }
        if let Some((object, "config")) = member
            && (object.is_specific_id("require") || object.is_specific_id("requirejs"))
            && let Some(Expression::ObjectExpression(options)) =
                call.arguments.first().and_then(Argument::as_expression)
            && let Some(paths) = find_property(options, "paths")
            && let Expression::ObjectExpression(paths) = paths.value.without_parentheses()
        {
            for prop in &paths.properties {
                if let ObjectPropertyKind::ObjectProperty(p) = prop {
                    self.loads(&p.value, Via::Config);
                }
            }
        }
    }

    fn hit(&mut self, rule: &'static Rule, offset: u32, args: &[(&'static str, &dyn Display)]) {
        self.hits.push(Hit::new(rule, offset as usize, args));
    }

    fn source(&self, span: Span) -> &'s str {
        self.src
            .get(span.start as usize..span.end as usize)
            .unwrap_or("")
    }

    /// A short excerpt of the source for messages.
    fn excerpt(&self, span: Span) -> String {
        let s = self.source(span);
        let s = s.lines().next().unwrap_or("");
        if s.chars().count() > 60 {
            let cut: String = s.chars().take(57).collect();
            format!("{cut}...")
        } else {
            s.to_string()
        }
    }

    fn check_call(&mut self, call: &CallExpression<'_>) {
        let start = call.span.start;
        let callee = call.callee.without_parentheses();
        let member = member_parts(callee);
        let name = match (callee, member) {
            (Expression::Identifier(id), _) => Some(id.name.as_str()),
            (_, Some((_, prop))) => Some(prop),
            _ => None,
        };

        if callee.is_specific_id("define") && last_arg_is(call, true) {
            self.defines.push(start);
        }
        self.record_loads(call, callee, member);

        // console.*
        if let Some(method) = console_method(member)
            && self.first_party
            && self.catch_depth == 0
            && self.rejection_depth == 0
        {
            self.hit(&rules::SCRIPT_CONSOLE, start, &[("method", &method)]);
        }

        // alert
        // The name of a global function called (`name(...)`, `window.name(...)`), once.
        let global = global_callee(callee, member);
        if self.first_party && global == Some("alert") {
            self.hit(&rules::SCRIPT_ALERT, start, &[]);
        }

        // eval and string timers
        if global == Some("eval") {
            self.hit(&rules::SCRIPT_EVAL, start, &[("name", &"eval")]);
        }
        for timer in ["setTimeout", "setInterval"] {
            if global == Some(timer)
                && call
                    .arguments
                    .first()
                    .and_then(Argument::as_expression)
                    .is_some_and(is_stringish)
            {
                self.hit(&rules::SCRIPT_EVAL, start, &[("name", &timer)]);
            }
        }
        if global == Some("Function") {
            self.hit(
                &rules::SCRIPT_NEW_FUNCTION,
                start,
                &[("name", &"Function(...)")],
            );
        }

        let Some(name) = name else { return };

        // synchronous XHR
        if matches!(name, "ajax" | "ajaxSetup" | "$authorizedAjax") {
            for arg in &call.arguments {
                if let Some(Expression::ObjectExpression(obj)) = arg.as_expression()
                    && let Some(prop) = find_property(obj, "async")
                    && is_false(&prop.value)
                {
                    self.hit(&rules::SCRIPT_SYNC_XHR, prop.span.start, &[("call", &name)]);
                }
            }
        }
        if name == "open"
            && member.is_some()
            && call.arguments.len() >= 3
            && call
                .arguments
                .get(2)
                .and_then(Argument::as_expression)
                .is_some_and(is_false)
        {
            let at = call.arguments.get(2).map_or(start, |a| a.span().start);
            self.hit(&rules::SCRIPT_SYNC_XHR, at, &[("call", &"open")]);
        }

        // script injection
        if name == "createElement"
            && let Some(Expression::StringLiteral(s)) =
                call.arguments.first().and_then(Argument::as_expression)
            && s.value.as_str().trim().eq_ignore_ascii_case("script")
        {
            self.hit(
                &rules::SCRIPT_SCRIPT_INJECTION,
                start,
                &[("how", &"document.createElement('script')")],
            );
        }
        if name == "getScript" && member.is_some() {
            self.hit(
                &rules::SCRIPT_SCRIPT_INJECTION,
                start,
                &[("how", &"$.getScript()")],
            );
        }
        if matches!(
            name,
            "$" | "jQuery"
                | "append"
                | "prepend"
                | "after"
                | "before"
                | "html"
                | "replaceWith"
                | "appendTo"
                | "prependTo"
                | "insertAfter"
                | "insertBefore"
                | "wrap"
                | "write"
                | "writeln"
                | "insertAdjacentHTML"
                | "parseHTML"
        ) {
            let injects = call
                .arguments
                .iter()
                .filter_map(Argument::as_expression)
                .any(|a| is_stringish(a) && loaders::script_tag(self.source(a.span())).is_some());
            if injects {
                let how = format!("{name}('<script ...>')");
                self.hit(&rules::SCRIPT_SCRIPT_INJECTION, start, &[("how", &how)]);
            }
        }

        // writes to APP / AMOCRM through helpers
        if matches!(
            name,
            "assign" | "extend" | "merge" | "defineProperty" | "defineProperties"
        ) && let Some(target) = call.arguments.first().and_then(Argument::as_expression)
            && let Some(global) = global_root(target)
        {
            let target = self.excerpt(target.span());
            self.hit(
                &rules::SCRIPT_GLOBAL_WRITE,
                start,
                &[("global", &global), ("target", &target)],
            );
        }

        // API calls in loops
        if self.loop_depth > 0
            && let Some(api) = self.api_call(call, callee, name)
        {
            self.hit(&rules::SCRIPT_API_CALL_IN_LOOP, start, &[("call", &api)]);
        }

        // programmatic install clicks
        let clicks = match name {
            "click" => call.arguments.is_empty(),
            "trigger" | "triggerHandler" => matches!(
                call.arguments.first().and_then(Argument::as_expression),
                Some(Expression::StringLiteral(s)) if s.value.as_str() == "click"
            ),
            _ => false,
        };
        if clicks && let Some((object, _)) = member {
            let text = self.source(object.span());
            let button = if text.contains("js-widget-uninstall") {
                Some("js-widget-uninstall")
            } else if text.contains("js-widget-install") {
                Some("js-widget-install")
            } else {
                match object.without_parentheses() {
                    Expression::Identifier(id) if self.install_vars.contains(id.name.as_str()) => {
                        Some("js-widget-install")
                    }
                    _ => None,
                }
            };
            if let Some(button) = button {
                self.hit(&rules::SCRIPT_INSTALL_CLICK, start, &[("class", &button)]);
            }
        }
    }

    /// The name of an API call worth reporting in a loop.
    fn api_call(
        &self,
        call: &CallExpression<'_>,
        callee: &Expression<'_>,
        name: &str,
    ) -> Option<String> {
        if matches!(name, "crm_post" | "$authorizedAjax") {
            return Some(name.to_string());
        }
        let first = call.arguments.first()?;
        let targets_api = {
            let s = self.source(first.span());
            s.contains("/api/v4") || s.contains("/api/v2")
        };
        if !targets_api {
            return None;
        }
        if is_global(callee, "fetch") {
            return Some("fetch".into());
        }
        if let Some((object, prop)) = member_parts(callee)
            && matches!(prop, "ajax" | "get" | "post" | "getJSON")
            && (object.is_specific_id("$") || object.is_specific_id("jQuery"))
        {
            return Some(format!("$.{prop}"));
        }
        None
    }

    fn record_callbacks_object(&mut self, obj: &ObjectExpression<'_>, at: u32) {
        self.callbacks.saw(at);
        let mut open = false;
        object_keys(obj, "", &mut self.callbacks.keys, &mut open);
        self.callbacks.open |= open;
    }

    fn record_callbacks_value(&mut self, value: &Expression<'_>, at: u32) {
        match value.without_parentheses() {
            Expression::ObjectExpression(obj) => self.record_callbacks_object(obj, at),
            Expression::Identifier(id) => {
                self.callbacks.saw(at);
                self.callback_names.push((id.name.as_str().to_string(), at));
            }
            _ => {
                self.callbacks.saw(at);
                self.callbacks.open = true;
            }
        }
    }

    fn check_global_write(&mut self, target_span: Span, global: Option<&'static str>) {
        if let Some(global) = global {
            let target = self.excerpt(target_span);
            self.hit(
                &rules::SCRIPT_GLOBAL_WRITE,
                target_span.start,
                &[("global", &global), ("target", &target)],
            );
        }
    }

    fn switcher_in(&mut self, span: Span) {
        let (start, end) = (span.start as usize, span.end as usize);
        let found = text_switcher_hits(self.src, start, end);
        self.hits.extend(found);
    }

    /// Walks a left-nested chain of binary expressions without recursion.
    fn visit_binary_chain(&mut self, top: &BinaryExpression<'_>) {
        // Most are not chains: no list to keep.
        if !matches!(top.left, Expression::BinaryExpression(_)) {
            self.visit_expression(&top.left);
            self.visit_expression(&top.right);
            return;
        }
        // Room for the usual chain (`'a' + b + 'c' + d`) at once.
        let mut rights = Vec::with_capacity(8);
        rights.push(&top.right);
        let mut current = &top.left;
        while let Expression::BinaryExpression(b) = current {
            rights.push(&b.right);
            current = &b.left;
        }
        self.visit_expression(current);
        for right in rights.into_iter().rev() {
            self.visit_expression(right);
        }
    }

    /// One level deeper in the tree: not at all past [`MAX_WALK_DEPTH`].
    fn descend(&mut self, f: impl FnOnce(&mut Self)) {
        if self.depth >= MAX_WALK_DEPTH {
            return;
        }
        self.depth += 1;
        self.deepest = self.deepest.max(self.depth);
        f(self);
        self.depth -= 1;
    }

    fn in_loop(&mut self, f: impl FnOnce(&mut Self)) {
        self.loop_depth += 1;
        f(self);
        self.loop_depth -= 1;
    }
}

impl<'a> Visit<'a> for Scan<'_> {
    fn visit_expression(&mut self, it: &Expression<'a>) {
        self.descend(|s| match it {
            Expression::BinaryExpression(b) => s.visit_binary_chain(b),
            _ => walk::walk_expression(s, it),
        });
    }

    fn visit_statement(&mut self, it: &Statement<'a>) {
        self.descend(|s| walk::walk_statement(s, it));
    }

    // Patterns nest too (`var [[[a]]] = x`, `({a: {b: c}} = x)`), outside any expression.
    fn visit_binding_pattern(&mut self, it: &BindingPattern<'a>) {
        self.descend(|s| walk::walk_binding_pattern(s, it));
    }

    fn visit_assignment_target_pattern(&mut self, it: &AssignmentTargetPattern<'a>) {
        self.descend(|s| walk::walk_assignment_target_pattern(s, it));
    }

    fn visit_debugger_statement(&mut self, it: &DebuggerStatement) {
        if self.first_party {
            self.hit(&rules::SCRIPT_DEBUGGER, it.span.start, &[]);
        }
    }

    fn visit_catch_clause(&mut self, it: &CatchClause<'a>) {
        if let Some(param) = &it.param {
            self.visit_catch_parameter(param);
        }
        self.catch_depth += 1;
        self.visit_block_statement(&it.body);
        self.catch_depth -= 1;
    }

    fn visit_for_statement(&mut self, it: &ForStatement<'a>) {
        if let Some(init) = &it.init {
            self.visit_for_statement_init(init);
        }
        if let Some(test) = &it.test {
            self.visit_expression(test);
        }
        if let Some(update) = &it.update {
            self.visit_expression(update);
        }
        self.in_loop(|s| s.visit_statement(&it.body));
    }

    fn visit_for_in_statement(&mut self, it: &ForInStatement<'a>) {
        self.visit_for_statement_left(&it.left);
        self.visit_expression(&it.right);
        self.in_loop(|s| s.visit_statement(&it.body));
    }

    fn visit_for_of_statement(&mut self, it: &ForOfStatement<'a>) {
        self.visit_for_statement_left(&it.left);
        self.visit_expression(&it.right);
        self.in_loop(|s| s.visit_statement(&it.body));
    }

    fn visit_while_statement(&mut self, it: &WhileStatement<'a>) {
        self.visit_expression(&it.test);
        self.in_loop(|s| s.visit_statement(&it.body));
    }

    fn visit_do_while_statement(&mut self, it: &DoWhileStatement<'a>) {
        self.in_loop(|s| s.visit_statement(&it.body));
        self.visit_expression(&it.test);
    }

    fn visit_call_expression(&mut self, it: &CallExpression<'a>) {
        self.check_call(it);
        let name = it.callee_name();
        let rejection_arg = match name {
            Some("catch" | "fail") => Some(0),
            Some("then") => Some(1),
            _ => None,
        };
        let iterates = matches!(
            name,
            Some("forEach" | "each" | "map" | "filter" | "some" | "every" | "reduce")
        );
        self.visit_expression(&it.callee);
        for (i, arg) in it.arguments.iter().enumerate() {
            let is_fn = matches!(
                arg,
                Argument::FunctionExpression(_) | Argument::ArrowFunctionExpression(_)
            );
            let rejects = is_fn && rejection_arg == Some(i);
            let loops = is_fn && iterates;
            self.rejection_depth += usize::from(rejects);
            self.loop_depth += usize::from(loops);
            if let Argument::ObjectExpression(obj) = arg {
                self.visit_options(obj);
            } else {
                self.visit_argument(arg);
            }
            self.rejection_depth -= usize::from(rejects);
            self.loop_depth -= usize::from(loops);
        }
    }

    fn visit_new_expression(&mut self, it: &NewExpression<'a>) {
        if is_global(it.callee.without_parentheses(), "Function") {
            self.hit(
                &rules::SCRIPT_NEW_FUNCTION,
                it.span.start,
                &[("name", &"new Function(...)")],
            );
        }
        walk::walk_new_expression(self, it);
    }

    fn visit_assignment_expression(&mut self, it: &AssignmentExpression<'a>) {
        let target_span = it.left.span();
        let global = match &it.left {
            AssignmentTarget::AssignmentTargetIdentifier(id) => global_name(id.name.as_str()),
            t => t
                .as_member_expression()
                .and_then(|m| global_root_of_member(m.object(), m.static_property_name())),
        };
        self.check_global_write(target_span, global);
        if let Some(member) = it.left.as_member_expression() {
            let prop = member.static_property_name();
            if prop == Some("callbacks") {
                self.record_callbacks_value(&it.right, it.span.start);
            } else if let Some(key) = prop
                && let Some((_, "callbacks")) = member_parts(member.object().without_parentheses())
            {
                self.callbacks.saw(it.span.start);
                self.callbacks.keys.push(key.to_string());
            }
            if prop == Some("src") {
                let mut values = FoundLoads::new();
                collect_loaded(&it.right, &mut values, 0);
                for value in values {
                    if let Loaded::Text(url, at) = value
                        && loaders::is_js_url(url)
                        && self.raw_deps.len() < MAX_LOADS_PER_FILE
                    {
                        self.raw_deps
                            .push((Loaded::Text(url.to_string(), at), Via::ScriptSrc));
                    }
                }
            }
            if matches!(prop, Some("innerHTML" | "outerHTML"))
                && is_stringish(&it.right)
                && loaders::script_tag(self.source(it.right.span())).is_some()
            {
                let how = format!("{}= '<script ...>'", prop.unwrap_or_default());
                self.hit(
                    &rules::SCRIPT_SCRIPT_INJECTION,
                    it.span.start,
                    &[("how", &how)],
                );
            }
        }
        if let AssignmentTarget::AssignmentTargetIdentifier(id) = &it.left
            && self.holds_install_button(&it.right)
        {
            self.install_vars.insert(id.name.as_str().to_string());
        }
        walk::walk_assignment_expression(self, it);
    }

    fn visit_update_expression(&mut self, it: &UpdateExpression<'a>) {
        let global = match &it.argument {
            SimpleAssignmentTarget::AssignmentTargetIdentifier(id) => global_name(id.name.as_str()),
            t => t
                .as_member_expression()
                .and_then(|m| global_root_of_member(m.object(), m.static_property_name())),
        };
        self.check_global_write(it.argument.span(), global);
        walk::walk_update_expression(self, it);
    }

    fn visit_unary_expression(&mut self, it: &UnaryExpression<'a>) {
        if it.operator == UnaryOperator::Delete {
            let global = global_root(&it.argument);
            self.check_global_write(it.argument.span(), global);
        }
        walk::walk_unary_expression(self, it);
    }

    fn visit_variable_declarator(&mut self, it: &VariableDeclarator<'a>) {
        if let (Some(name), Some(init)) = (it.id.get_identifier_name(), &it.init) {
            let mut values = FoundLoads::new();
            collect_loaded(init, &mut values, 0);
            let mut texts = values
                .iter()
                .filter_map(|v| match *v {
                    Loaded::Text(t, at) => Some((t.to_string(), at)),
                    Loaded::Name(_) => None,
                })
                .peekable();
            if texts.peek().is_some() {
                let values = self
                    .string_vars
                    .entry(name.as_str().to_string())
                    .or_default();
                let room = MAX_VALUES_PER_NAME.saturating_sub(values.len());
                values.extend(texts.take(room));
            }
            if let Expression::ObjectExpression(obj) = init.without_parentheses() {
                let mut keys = Vec::new();
                let mut open = false;
                object_keys(obj, "", &mut keys, &mut open);
                self.object_vars
                    .entry(name.as_str().to_string())
                    .or_insert(keys);
            }
            if self.holds_install_button(init) {
                self.install_vars.insert(name.as_str().to_string());
            }
        }
        walk::walk_variable_declarator(self, it);
    }

    fn visit_object_property(&mut self, it: &ObjectProperty<'a>) {
        if it.key.is_specific_static_name("callbacks") && !it.computed {
            self.record_callbacks_value(&it.value, it.span.start);
        }
        walk::walk_object_property(self, it);
    }

    fn visit_string_literal(&mut self, it: &StringLiteral<'a>) {
        self.switcher_in(it.span);
        if self.raw_deps.len() < MAX_LOADS_PER_FILE
            && let Some(raw) = self.src.get(it.span.start as usize..it.span.end as usize)
            && let Some((at, url)) = loaders::script_src(raw)
        {
            let offset = it.span.start + u32::try_from(at).unwrap_or(0);
            self.raw_deps
                .push((Loaded::Text(url.to_string(), offset), Via::ScriptSrc));
        }
    }

    fn visit_template_literal(&mut self, it: &TemplateLiteral<'a>) {
        for quasi in &it.quasis {
            self.switcher_in(quasi.span);
        }
        walk::walk_template_literal(self, it);
    }
}

impl Scan<'_> {
    /// Visits an object literal passed to a call: an `error:` handler counts as a rejection
    /// handler for the console rule.
    fn visit_options(&mut self, obj: &ObjectExpression<'_>) {
        for prop in &obj.properties {
            match prop {
                ObjectPropertyKind::ObjectProperty(p) => {
                    let handler = p.key.is_specific_static_name("error")
                        && matches!(
                            p.value,
                            Expression::FunctionExpression(_)
                                | Expression::ArrowFunctionExpression(_)
                        );
                    self.rejection_depth += usize::from(handler);
                    self.visit_object_property(p);
                    self.rejection_depth -= usize::from(handler);
                }
                ObjectPropertyKind::SpreadProperty(s) => self.visit_spread_element(s),
            }
        }
    }

    fn holds_install_button(&self, e: &Expression<'_>) -> bool {
        if !e.is_call_like_expression() && e.get_member_expr().is_none() {
            return false;
        }
        let text = self.source(e.span());
        text.contains("js-widget-install") || text.contains("js-widget-uninstall")
    }
}

/// A static member access's object and property name (`a.b`, `a['b']`), when an expression
/// is one.
type Member<'e, 'a> = Option<(&'e Expression<'a>, &'a str)>;

/// The object and property name of a static member access (`a.b`, `a['b']`).
fn member_parts<'e, 'a>(e: &'e Expression<'a>) -> Member<'e, 'a> {
    let m = e.get_member_expr()?;
    Some((m.object(), m.static_property_name()?))
}

/// `name(...)` or `window.name(...)` / `globalThis.name(...)`.
fn is_global(callee: &Expression<'_>, name: &str) -> bool {
    global_callee(callee, member_parts(callee)) == Some(name)
}

/// The global a callee names: `name` for `name` and `window.name` / `globalThis.name`
/// (`member` is the callee's [`member_parts`]).
fn global_callee<'a>(callee: &Expression<'a>, member: Member<'_, 'a>) -> Option<&'a str> {
    if let Expression::Identifier(id) = callee {
        return Some(id.name.as_str());
    }
    let (object, prop) = member?;
    match object.without_parentheses() {
        Expression::Identifier(id) if matches!(id.name.as_str(), "window" | "globalThis") => {
            Some(prop)
        }
        _ => None,
    }
}

/// The method of a `console.x(...)` call, also through `.apply`/`.call`/`.bind` (`member` is
/// the callee's [`member_parts`]).
fn console_method(member: Member<'_, '_>) -> Option<String> {
    let (object, prop) = member?;
    let object = object.without_parentheses();
    if is_console(object) {
        return Some(prop.to_string());
    }
    if matches!(prop, "apply" | "call" | "bind")
        && let Some((inner, method)) = member_parts(object)
        && is_console(inner.without_parentheses())
    {
        return Some(method.to_string());
    }
    None
}

fn is_console(e: &Expression<'_>) -> bool {
    e.is_specific_id("console")
        || member_parts(e).is_some_and(|(o, p)| {
            p == "console" && o.without_parentheses().is_specific_id("window")
        })
}

fn global_name(name: &str) -> Option<&'static str> {
    match name {
        "APP" => Some("APP"),
        "AMOCRM" => Some("AMOCRM"),
        _ => None,
    }
}

/// When an expression is `APP`, `AMOCRM`, `window.APP` or a member of them, which one.
fn global_root(e: &Expression<'_>) -> Option<&'static str> {
    let e = e.without_parentheses();
    if let Expression::Identifier(id) = e {
        return global_name(id.name.as_str());
    }
    let m = e.get_member_expr()?;
    global_root_of_member(m.object(), m.static_property_name())
}

/// The same for the object and property of a member access, walking the chain in a loop.
fn global_root_of_member(object: &Expression<'_>, prop: Option<&str>) -> Option<&'static str> {
    let mut object = object.without_parentheses();
    let mut first_prop = prop;
    loop {
        match object {
            Expression::Identifier(id) => {
                let name = id.name.as_str();
                if let Some(g) = global_name(name) {
                    return Some(g);
                }
                if matches!(name, "window" | "globalThis") {
                    return first_prop.and_then(global_name);
                }
                return None;
            }
            e => {
                let m = e.get_member_expr()?;
                first_prop = m.static_property_name();
                object = m.object().without_parentheses();
            }
        }
    }
}

/// A string literal, a template, or a `+` concatenation involving one.
fn is_stringish(e: &Expression<'_>) -> bool {
    match e.without_parentheses() {
        Expression::StringLiteral(_) | Expression::TemplateLiteral(_) => true,
        Expression::BinaryExpression(b) if b.operator == BinaryOperator::Addition => {
            let mut current = b;
            loop {
                if matches!(
                    current.right.without_parentheses(),
                    Expression::StringLiteral(_) | Expression::TemplateLiteral(_)
                ) {
                    return true;
                }
                match current.left.without_parentheses() {
                    Expression::StringLiteral(_) | Expression::TemplateLiteral(_) => return true,
                    Expression::BinaryExpression(l) if l.operator == BinaryOperator::Addition => {
                        current = l;
                    }
                    _ => return false,
                }
            }
        }
        _ => false,
    }
}

/// `false` or `!1` (what minifiers write).
fn is_false(e: &Expression<'_>) -> bool {
    match e.without_parentheses() {
        Expression::BooleanLiteral(b) => !b.value,
        Expression::UnaryExpression(u) => {
            u.operator == UnaryOperator::LogicalNot && u.argument.is_number_value(1.0)
        }
        _ => false,
    }
}

fn find_property<'e, 'a>(
    obj: &'e ObjectExpression<'a>,
    name: &str,
) -> Option<&'e ObjectProperty<'a>> {
    obj.properties
        .iter()
        .filter_map(ObjectPropertyKind::as_property)
        .find(|p| !p.computed && p.key.is_specific_static_name(name))
}

/// The keys of an object literal, with the keys of directly nested object literals as
/// `outer.inner`. A spread or computed key makes the set open.
fn object_keys(obj: &ObjectExpression<'_>, prefix: &str, out: &mut Vec<String>, open: &mut bool) {
    for prop in &obj.properties {
        match prop {
            ObjectPropertyKind::ObjectProperty(p) => match p.key.static_name() {
                Some(name)
                    if !p.computed
                        || matches!(p.key.as_expression(), Some(Expression::StringLiteral(_))) =>
                {
                    let full = if prefix.is_empty() {
                        name.to_string()
                    } else {
                        format!("{prefix}.{name}")
                    };
                    if prefix.is_empty()
                        && let Expression::ObjectExpression(inner) = p.value.without_parentheses()
                    {
                        object_keys(inner, &full, out, open);
                    }
                    out.push(full);
                }
                _ => *open = true,
            },
            ObjectPropertyKind::SpreadProperty(_) => *open = true,
        }
    }
}

/// `switcher_on` / `switcher_off` as whole class names in `text[start..end]`.
fn text_switcher_hits(text: &str, start: usize, end: usize) -> Vec<Hit> {
    // Every string literal of a file comes here: one search for the common prefix, with a
    // searcher built once.
    static PREFIX: OnceLock<memchr::memmem::Finder<'static>> = OnceLock::new();
    let Some(region) = text.get(start..end) else {
        return Vec::new();
    };
    let bytes = region.as_bytes();
    // Most literals are shorter than either class: not even a search for them.
    if bytes.len() < SWITCHER_CLASSES[0].len() {
        return Vec::new();
    }
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
    let prefix = PREFIX.get_or_init(|| memchr::memmem::Finder::new("switcher_o"));
    let mut found: [Vec<usize>; 2] = [Vec::new(), Vec::new()];
    for i in prefix.find_iter(bytes) {
        let rest = bytes.get(i..).unwrap_or_default();
        let Some(k) = SWITCHER_CLASSES
            .iter()
            .position(|class| rest.starts_with(class.as_bytes()))
        else {
            continue;
        };
        let before_ok = i == 0 || !bytes.get(i - 1).copied().is_some_and(is_word);
        let after_ok = !bytes
            .get(i + SWITCHER_CLASSES[k].len())
            .copied()
            .is_some_and(is_word);
        if before_ok && after_ok {
            found[k].push(i);
        }
    }
    // Each class's places in turn, at most MAX_TEXT_HITS in all.
    let mut hits = Vec::new();
    for (class, places) in SWITCHER_CLASSES.iter().zip(found) {
        for i in places {
            if hits.len() < MAX_TEXT_HITS {
                hits.push(Hit::new(
                    &rules::SCRIPT_SWITCHER_CLASS,
                    start + i,
                    &[("class", class)],
                ));
            }
        }
    }
    hits
}

/// The classes of amoCRM's own switch control, which a widget must not reuse.
/// The shortest first.
const SWITCHER_CLASSES: [&str; 2] = ["switcher_on", "switcher_off"];

/// Whether a first-party file looks minified or obfuscated, with the measure that says so
/// and where.
fn minified_measure(text: &str, lang: Lang) -> Option<(usize, String)> {
    let ru = lang == Lang::Ru;
    let bytes = text.as_bytes();
    if let Some((i, signature)) = packer_signature(bytes) {
        return Some((
            i,
            if ru {
                format!("сигнатура упаковщика `{signature}`")
            } else {
                format!("packer signature `{signature}`")
            },
        ));
    }
    let obfuscated = obfuscator_names(bytes);
    if obfuscated.0 >= 20 {
        return Some((
            obfuscated.1,
            if ru {
                format!("{} идентификаторов обфускатора вида `_0x...`", obfuscated.0)
            } else {
                format!("{} obfuscator-style `_0x...` identifiers", obfuscated.0)
            },
        ));
    }
    let mut first_long: Option<(usize, usize, usize)> = None;
    // Lines that have characters, and those over 200 of them.
    let (mut lines, mut long_lines) = (0usize, 0usize);
    for (n, (start, line)) in lines_at(text).enumerate() {
        let len = line_length(line);
        lines += usize::from(len > 0);
        if len <= 200 {
            continue;
        }
        long_lines += 1;
        if first_long.is_none() && len > 1000 {
            let spaces = line.bytes().filter(u8::is_ascii_whitespace).count();
            let punct = line
                .bytes()
                .filter(|b| matches!(b, b';' | b'{' | b'}'))
                .count();
            if spaces * 100 < len * 15 && punct >= 20 {
                first_long = Some((start, n + 1, len));
            }
        }
    }
    if let Some((at, line, len)) = first_long {
        return Some((
            at,
            if ru {
                format!("строка {line} длиной {len} символов почти без пробелов")
            } else {
                format!("line {line} is {len} characters long with almost no whitespace")
            },
        ));
    }
    // Minified code wrapped at a fixed width: most lines are long. The median ignores a few
    // long data lines in readable code. It is over 200 when at most half the lines (below
    // the middle one) are 200 characters or shorter; only then is it worked out, for the
    // message.
    if text.len() < 5000 || lines - long_lines > lines / 2 {
        return None;
    }
    let mut lengths: Vec<usize> = lines_at(text)
        .map(|(_, line)| line_length(line))
        .filter(|&len| len > 0)
        .collect();
    let middle = lengths.len() / 2;
    let median = if middle < lengths.len() {
        *lengths.select_nth_unstable(middle).1
    } else {
        0
    };
    if median > 200
        && bytes.iter().filter(|b| b.is_ascii_whitespace()).count() * 100 < text.len() * 10
    {
        let measure = if ru {
            format!("медианная длина строки {median} символов")
        } else {
            format!("the median line is {median} characters long")
        };
        return Some((0, measure));
    }
    None
}

/// Each line of a text, with the offset where it starts.
fn lines_at(text: &str) -> impl Iterator<Item = (usize, &str)> {
    memchr::memchr_iter(b'\n', text.as_bytes())
        .chain(std::iter::once(text.len()))
        .scan(0, |start, end| {
            let at = *start;
            *start = end + 1;
            Some((at, text.get(at..end).unwrap_or_default()))
        })
}

/// A line's length: in characters when it is over 200 bytes, else in bytes (it can only be
/// shorter in characters, so no short line is taken for a long one).
fn line_length(line: &str) -> usize {
    if line.len() > 200 {
        line.chars().count()
    } else {
        line.len()
    }
}

/// The first signature of Dean Edwards' packer (`eval(function(p,a,c,k,e,` written tight,
/// else with spaces), and where it is.
fn packer_signature(bytes: &[u8]) -> Option<(usize, &'static str)> {
    const SIGNATURES: [&str; 2] = ["eval(function(p,a,c,k,e,", "eval(function(p, a, c, k, e,"];
    let mut found: [Option<usize>; 2] = [None, None];
    for i in memchr::memmem::find_iter(bytes, b"eval(function(p,") {
        for (slot, signature) in found.iter_mut().zip(SIGNATURES) {
            if slot.is_none()
                && bytes
                    .get(i..)
                    .is_some_and(|rest| rest.starts_with(signature.as_bytes()))
            {
                *slot = Some(i);
            }
        }
        if found[0].is_some() {
            break;
        }
    }
    found
        .iter()
        .zip(SIGNATURES)
        .find_map(|(at, signature)| at.map(|i| (i, signature)))
}

/// How many `_0x1a2b`-style names a text has, and where the first is.
fn obfuscator_names(bytes: &[u8]) -> (usize, usize) {
    let mut count = 0;
    let mut first = 0;
    for i in memchr::memmem::find_iter(bytes, b"_0x") {
        let hex = bytes
            .get(i + 3..)
            .unwrap_or_default()
            .iter()
            .take_while(|b| b.is_ascii_hexdigit())
            .count();
        if hex >= 4 {
            if count == 0 {
                first = i;
            }
            count += 1;
        }
    }
    (count, first)
}

/// What the previous significant token was, for the pre-parse scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prev {
    /// A value ended: `/` divides, `+` is binary, a newline may end the statement.
    Value,
    /// An expression is expected: `/` starts a regular expression, `+` is unary.
    Operand,
}

#[derive(Debug, Clone, Copy)]
struct Frame {
    /// Right-nesting tokens since the last `;`, `,` or statement boundary.
    chain: usize,
    /// `else` keywords in this frame: an `else if` chain nests without bound.
    elses: usize,
    /// The `(` after `if`/`for`/`while`/`with`: its `)` does not end a value.
    condition: bool,
    /// A `${` of a template literal: its `}` resumes the template.
    template: bool,
}

impl Frame {
    fn new(condition: bool, template: bool) -> Frame {
        Frame {
            chain: 0,
            elses: 0,
            condition,
            template,
        }
    }
}

/// An upper bound of [`nesting_overflow`]'s estimate from byte counts alone, without reading
/// the text as tokens: every token the estimate counts holds bytes weighing here at least
/// what it adds (a bracket [`BRACKET_COST`]; an operator 1 for its `=`, `?`, `:`, `!`, `~`,
/// `+`, `-`, `*` or `.`; a keyword 1 for its `f`, `w`, `d` or `s`), and the estimate never
/// adds anything else.
fn stack_bound(text: &str) -> usize {
    text.bytes()
        .map(|b| usize::from(STACK_WEIGHT[usize::from(b)]))
        .sum()
}

/// What each byte weighs in [`stack_bound`].
static STACK_WEIGHT: [u8; 256] = {
    let mut table = [0u8; 256];
    let brackets = b"([{";
    let mut k = 0;
    while k < brackets.len() {
        table[brackets[k] as usize] = BRACKET_COST as u8;
        k += 1;
    }
    // Operators, and a letter of each keyword: `if`, `for`, `typeof` (f); `while`, `with`,
    // `await`, `new` (w); `do`, `void`, `delete`, `yield` (d); `else` (s).
    let ones = b"=?:!~+-*.fwds";
    k = 0;
    while k < ones.len() {
        table[ones[k] as usize] = 1;
        k += 1;
    }
    table
};

/// Estimates how deep oxc will recurse on a text, without parsing it. Returns the offset
/// where the estimate passes [`DEPTH_BUDGET`]. Errs on the side of a larger estimate.
fn nesting_overflow(text: &str) -> Option<usize> {
    nesting_over(text, DEPTH_BUDGET)
}

/// [`nesting_overflow`] against any budget (the tests hold it to [`stack_bound`]).
// Kept out of its caller: inlined there, it ran 7 % more instructions (its state no longer
// fit in registers).
#[inline(never)]
fn nesting_over(text: &str, budget: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut frames = Frames::default();
    let mut total = 0usize;
    let mut prev = Prev::Operand;
    // What the last token left for the next one ([`NEWLINE`], [`AFTER_BLOCK`], ...).
    let mut pending = 0u8;
    let mut i = 0;

    macro_rules! chain {
        () => {{
            frames.top.chain += 1;
            total += 1;
        }};
    }
    macro_rules! reset {
        () => {{
            total = total.saturating_sub(frames.top.chain);
            frames.top.chain = 0;
        }};
    }

    while i < b.len() {
        let c = b[i];
        if matches!(c, b'\n' | b'\r' | b' ' | b'\t' | 0x0b | 0x0c) {
            if matches!(c, b'\n' | b'\r') && prev == Prev::Value {
                pending |= NEWLINE;
            }
            i += 1;
            // A run of spaces (the indentation after a newline) at once.
            while b.get(i) == Some(&b' ') {
                i += 1;
            }
            continue;
        }
        if c == b'/' && b.get(i + 1) == Some(&b'/') {
            i = memchr::memchr(b'\n', rest(b, i)).map_or(b.len(), |k| i + k);
            continue;
        }
        if c == b'/' && b.get(i + 1) == Some(&b'*') {
            i += 2;
            let end = memchr::memmem::find(rest(b, i), b"*/").map_or(b.len(), |k| i + k);
            if prev == Prev::Value
                && memchr::memchr(b'\n', b.get(i..end).unwrap_or_default()).is_some()
            {
                pending |= NEWLINE;
            }
            i = end + 2;
            continue;
        }

        // A statement may have ended at the last newline or block end: the chain ends before
        // a token that cannot continue the expression, and an `else if` chain ends before
        // anything but `else`.
        // The end of the word here, once found (a statement boundary looks at the word first).
        let mut word_end = None;
        let marks = pending;
        pending = 0;
        if marks & (NEWLINE | AFTER_BLOCK | ELSE_BREAK) != 0 {
            let starts_value = c.is_ascii_alphanumeric()
                || c == b'_'
                || c == b'$'
                || c >= 0x80
                || matches!(c, b'"' | b'\'' | b'{' | b'!' | b'~' | b';')
                || (c == b'+' && b.get(i + 1) == Some(&b'+'))
                || (c == b'-' && b.get(i + 1) == Some(&b'-'));
            let end = skip_word(b, i);
            word_end = Some(end);
            let word = b.get(i..end).unwrap_or_default();
            if marks & (NEWLINE | AFTER_BLOCK) != 0 && starts_value && !is_continuation_word(word) {
                reset!();
            }
            if word != b"else" {
                total = total.saturating_sub(frames.top.elses);
                frames.top.elses = 0;
            }
        }

        let was_after_dot = marks & AFTER_DOT != 0;
        let open_condition = marks & CONDITION != 0;

        match c {
            // Identifiers and keywords first: they are most of a script's tokens.
            c if WORD_START[usize::from(c)] => {
                let end = word_end.unwrap_or_else(|| skip_word(b, i));
                let word = &b[i..end];
                i = end;
                if was_after_dot {
                    prev = Prev::Value;
                } else {
                    match word {
                        b"if" | b"while" | b"for" | b"with" => {
                            chain!();
                            pending |= CONDITION;
                            prev = Prev::Operand;
                        }
                        b"else" => {
                            frames.top.elses += 1;
                            total += 1;
                            prev = Prev::Operand;
                        }
                        b"do" | b"typeof" | b"void" | b"delete" | b"await" | b"new" | b"yield" => {
                            chain!();
                            prev = Prev::Operand;
                        }
                        b"return" | b"throw" | b"case" | b"in" | b"of" | b"instanceof"
                        | b"extends" => {
                            prev = Prev::Operand;
                        }
                        _ => prev = Prev::Value,
                    }
                }
            }
            b'"' | b'\'' => {
                i += 1;
                // To the closing quote or the end of the line, over escapes.
                loop {
                    let Some(k) = memchr::memchr3(c, b'\\', b'\n', rest(b, i)) else {
                        i = b.len();
                        break;
                    };
                    i += k;
                    if b.get(i) != Some(&b'\\') {
                        break;
                    }
                    i += 2;
                }
                i = i.min(b.len()) + 1;
                prev = Prev::Value;
            }
            b'`' => {
                i = scan_template(b, i + 1, &mut frames, &mut total, &mut prev);
            }
            b'/' if prev == Prev::Operand => {
                i += 1;
                let mut class = false;
                while i < b.len() && b[i] != b'\n' {
                    match b[i] {
                        b'\\' => i += 1,
                        b'[' => class = true,
                        b']' => class = false,
                        b'/' if !class => break,
                        _ => {}
                    }
                    i += 1;
                }
                i += 1;
                while i < b.len() && b[i].is_ascii_alphabetic() {
                    i += 1;
                }
                prev = Prev::Value;
            }
            b'(' | b'[' | b'{' => {
                frames.push(Frame::new(c == b'(' && open_condition, false));
                total += BRACKET_COST;
                prev = Prev::Operand;
                i += 1;
            }
            b')' | b']' | b'}' => {
                i += 1;
                if let Some(f) = frames.pop() {
                    total = total.saturating_sub(BRACKET_COST + f.chain + f.elses);
                    prev = if f.condition {
                        Prev::Operand
                    } else {
                        Prev::Value
                    };
                    if f.template && c == b'}' {
                        i = scan_template(b, i, &mut frames, &mut total, &mut prev);
                    } else if c == b'}' {
                        pending |= AFTER_BLOCK;
                    }
                } else {
                    prev = Prev::Value;
                }
            }
            b';' | b',' => {
                reset!();
                if c == b';' {
                    pending |= ELSE_BREAK;
                }
                prev = Prev::Operand;
                i += 1;
            }
            b'.' if b.get(i + 1).is_some_and(u8::is_ascii_digit) => {
                i = skip_word(b, i + 1);
                prev = Prev::Value;
            }
            b'.' if b.get(i + 1) == Some(&b'.') && b.get(i + 2) == Some(&b'.') => {
                chain!();
                prev = Prev::Operand;
                i += 3;
            }
            b'.' => {
                // A property name right after the dot is read here: it is never a keyword.
                if b.get(i + 1).is_some_and(|&n| WORD_START[usize::from(n)]) {
                    i = skip_word(b, i + 1);
                    prev = Prev::Value;
                } else {
                    pending |= AFTER_DOT;
                    prev = Prev::Operand;
                    i += 1;
                }
            }
            b'0'..=b'9' => {
                i = skip_word(b, i);
                prev = Prev::Value;
            }
            _ => {
                // Punctuators.
                let next = b.get(i + 1).copied();
                let next2 = b.get(i + 2).copied();
                match (c, next) {
                    (b'=', Some(b'>')) => {
                        chain!();
                        i += 2;
                    }
                    (b'=', Some(b'=')) | (b'!', Some(b'=')) => {
                        i += if next2 == Some(b'=') { 3 } else { 2 };
                    }
                    (b'=', _) => {
                        chain!();
                        i += 1;
                    }
                    (b'?', Some(b'.')) if !next2.is_some_and(|d| d.is_ascii_digit()) => {
                        pending |= AFTER_DOT;
                        i += 2;
                    }
                    (b'?', Some(b'?')) => {
                        if next2 == Some(b'=') {
                            chain!();
                            i += 3;
                        } else {
                            i += 2;
                        }
                    }
                    (b'?' | b':' | b'!' | b'~', _) => {
                        chain!();
                        i += 1;
                    }
                    (b'+', Some(b'+')) | (b'-', Some(b'-')) => {
                        if prev != Prev::Value {
                            chain!();
                        }
                        i += 2;
                        // A postfix update keeps the value; a prefix one expects an operand.
                        if prev == Prev::Value {
                            continue;
                        }
                    }
                    (b'+' | b'-', _) if prev != Prev::Value => {
                        chain!();
                        i += 1;
                    }
                    (b'*', Some(b'*')) => {
                        chain!();
                        i += 2;
                    }
                    _ => {
                        // Any other operator, possibly compound: `+=`, `>>>=`, `&&=`.
                        let mut j = i + 1;
                        while j < b.len()
                            && matches!(b[j], b'<' | b'>' | b'&' | b'|' | b'=' | b'*')
                            && j < i + 4
                        {
                            j += 1;
                        }
                        if b.get(j - 1) == Some(&b'=') && j > i + 1 {
                            chain!();
                        }
                        i = j;
                    }
                }
                prev = Prev::Operand;
            }
        }
        if total > budget {
            return Some(i.min(b.len()).saturating_sub(1));
        }
    }
    None
}

// What a token of the pre-parse scan leaves for the next one, as bits of one byte (the scan
// runs over every byte of every script: one byte keeps its state in registers).
/// A newline followed a value: a statement may have ended.
const NEWLINE: u8 = 1;
/// A block's `}` came last: a statement may have ended.
const AFTER_BLOCK: u8 = 2;
/// A `;` came last: an `else if` chain ends unless `else` follows.
const ELSE_BREAK: u8 = 4;
/// A `.` or `?.` came last: the next word is a property name, never a keyword.
const AFTER_DOT: u8 = 8;
/// `if`, `for`, `while` or `with` came last: the next `(` is a condition's.
const CONDITION: u8 = 16;

/// The bytes from `i` on (none past the end).
fn rest(b: &[u8], i: usize) -> &[u8] {
    b.get(i..).unwrap_or_default()
}

/// Whether a word continues an expression or statement rather than starting one.
fn is_continuation_word(word: &[u8]) -> bool {
    matches!(word, b"in" | b"instanceof" | b"of" | b"else")
}

/// The end of an identifier, keyword or number starting at `i`.
fn skip_word(b: &[u8], i: usize) -> usize {
    let len = b
        .get(i..)
        .unwrap_or_default()
        .iter()
        .position(|&c| !WORD_BYTE[usize::from(c)])
        .unwrap_or(b.len().saturating_sub(i));
    i + len
}

/// The bytes of identifiers, keywords and numbers: ASCII letters and digits, `_`, `$`, `\`
/// (escapes) and every byte of a non-ASCII character.
static WORD_BYTE: [bool; 256] = {
    let mut table = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        table[c] = b.is_ascii_alphanumeric() || matches!(b, b'_' | b'$' | b'\\') || b >= 0x80;
        c += 1;
    }
    table
};

/// The bytes that start an identifier or keyword: [`WORD_BYTE`] but digits.
static WORD_START: [bool; 256] = {
    let mut table = WORD_BYTE;
    let mut c = b'0';
    while c <= b'9' {
        table[c as usize] = false;
        c += 1;
    }
    table
};

/// The open frames: the innermost one, and the ones around it.
#[derive(Debug)]
struct Frames {
    top: Frame,
    outer: Vec<Frame>,
}

impl Default for Frames {
    fn default() -> Self {
        Frames {
            top: Frame::new(false, false),
            outer: Vec::new(),
        }
    }
}

impl Frames {
    fn push(&mut self, frame: Frame) {
        self.outer.push(std::mem::replace(&mut self.top, frame));
    }

    /// Closes the innermost frame and returns it; the outermost one is never closed.
    fn pop(&mut self) -> Option<Frame> {
        let outer = self.outer.pop()?;
        Some(std::mem::replace(&mut self.top, outer))
    }
}

/// Scans template text from `i` up to the closing backtick (a value ends) or a `${` (a frame
/// opens). Returns the offset after what it consumed.
fn scan_template(
    b: &[u8],
    mut i: usize,
    frames: &mut Frames,
    total: &mut usize,
    prev: &mut Prev,
) -> usize {
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'`' => {
                *prev = Prev::Value;
                return i + 1;
            }
            b'$' if b.get(i + 1) == Some(&b'{') => {
                frames.push(Frame::new(false, true));
                *total += BRACKET_COST;
                *prev = Prev::Operand;
                return i + 2;
            }
            _ => i += 1,
        }
    }
    *prev = Prev::Value;
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{Diagnostic, Severity};
    use crate::options::{Options, Profile};

    const VALID: &str = r#"define(['jquery'], function ($) {
  var CustomWidget = function () {
    var self = this;
    this.callbacks = {
      render: function () { return true; },
      init: function () { return true; },
      bind_actions: function () { return true; },
      settings: function () { return true; },
      onSave: function () { return true; },
      destroy: function () {}
    };
    return this;
  };
  return CustomWidget;
});
"#;

    fn run_files(files: &[(&str, &str)], profile: Profile) -> Vec<Diagnostic> {
        crate::testing::findings(files, profile, "script.")
    }

    fn run(src: &str) -> Vec<Diagnostic> {
        run_files(&[("script.js", src)], Profile::Upload)
    }

    /// The valid widget with `body` inserted into `render`.
    fn widget(body: &str) -> String {
        VALID.replace(
            "render: function () { return true; }",
            &format!("render: function () {{\n{body}\nreturn true; }}"),
        )
    }

    fn codes(d: &[Diagnostic]) -> Vec<&str> {
        d.iter().map(|d| d.code.as_str()).collect()
    }

    fn only<'d>(d: &'d [Diagnostic], code: &str) -> Vec<&'d Diagnostic> {
        d.iter().filter(|x| x.code == code).collect()
    }

    /// Asserts exactly one finding of `code` at a place, and its severities.
    fn assert_one(
        src: &str,
        code: &str,
        line: u32,
        column: Option<u32>,
        up: Severity,
        publ: Severity,
    ) {
        let d = run_files(&[("script.js", src)], Profile::Upload);
        let hits = only(&d, code);
        assert_eq!(hits.len(), 1, "{code} in {:?}", codes(&d));
        assert_eq!(hits[0].file.as_deref(), Some("script.js"));
        assert_eq!(hits[0].line, Some(line), "{code}: {:?}", hits[0]);
        if let Some(c) = column {
            assert_eq!(hits[0].column, Some(c), "{code}: {:?}", hits[0]);
        }
        assert_eq!(hits[0].severity, up);
        let d = run_files(&[("script.js", src)], Profile::Publication);
        assert_eq!(only(&d, code)[0].severity, publ);
    }

    #[test]
    fn a_valid_widget_triggers_nothing() {
        assert_eq!(codes(&run(VALID)), Vec::<&str>::new());
    }

    #[test]
    fn missing_script_js() {
        let d = run_files(&[("manifest.json", "{}")], Profile::Upload);
        assert_eq!(codes(&d), ["script.missing"]);
        assert_eq!(d[0].severity, Severity::Error);
        assert_eq!(d[0].file.as_deref(), Some("script.js"));
    }

    #[test]
    fn syntax_errors_have_positions_and_other_files_are_still_checked() {
        let src = "define([], function () {\n  var x = ;\n});\n";
        assert_one(
            src,
            "script.syntax_error",
            2,
            Some(11),
            Severity::Warning,
            Severity::Error,
        );
        let d = run_files(
            &[
                ("script.js", src),
                ("lib/a.js", "foo("),
                ("lib/b.js", "debugger;"),
            ],
            Profile::Upload,
        );
        assert_eq!(only(&d, "script.syntax_error").len(), 2);
        assert_eq!(
            only(&d, "script.debugger")[0].file.as_deref(),
            Some("lib/b.js")
        );
        // AMD rules are skipped on a file that does not parse.
        assert!(only(&d, "script.not_amd").is_empty());
        // Third-party files: no syntax finding.
        let d = run_files(
            &[("script.js", VALID), ("vendor/x.js", "foo(")],
            Profile::Upload,
        );
        assert_eq!(codes(&d), Vec::<&str>::new());
    }

    #[test]
    fn module_syntax_is_accepted_when_script_parsing_fails() {
        let d = run_files(
            &[
                ("script.js", VALID),
                ("lib/m.js", "import a from './a.js';\nexport default a;\n"),
            ],
            Profile::Upload,
        );
        assert_eq!(codes(&d), Vec::<&str>::new());
    }

    #[test]
    fn not_amd() {
        assert_one(
            "var CustomWidget = function () {};\n",
            "script.not_amd",
            1,
            Some(1),
            Severity::Warning,
            Severity::Error,
        );
        // A define whose last argument is not a factory is not enough.
        let d = run("define(['jquery'], {});");
        assert_eq!(codes(&d), ["script.not_amd"]);
        // A UMD wrapper passing the factory by name is accepted.
        let umd = VALID.replacen(
            "define(['jquery'], function ($) {",
            "(function (root, factory) { if (typeof define === 'function') { define(['jquery'], factory); } })(this, function ($) {",
            1,
        );
        assert_eq!(codes(&run(&umd)), Vec::<&str>::new());
    }

    #[test]
    fn no_callbacks() {
        let src = "\ndefine([], function () {\n  return function () { return this; };\n});\n";
        assert_one(
            src,
            "script.no_callbacks",
            2,
            Some(1),
            Severity::Warning,
            Severity::Error,
        );
    }

    #[test]
    fn missing_callbacks_are_reported_one_by_one() {
        let src = VALID
            .replace("init: function () { return true; },", "")
            .replace("bind_actions: function () { return true; },", "");
        let d = run(&src);
        let missing = only(&d, "script.missing_callback");
        assert_eq!(missing.len(), 2, "{:?}", codes(&d));
        assert!(missing[0].message.contains("`init`") || missing[1].message.contains("`init`"));
        assert!(missing.iter().any(|m| m.message.contains("`bind_actions`")));
        assert_eq!(missing[0].line, Some(4));
        assert_eq!(missing[0].column, Some(5));
        assert_eq!(missing[0].severity, Severity::Warning);
    }

    #[test]
    fn callbacks_in_real_world_shapes() {
        // self alias, shorthand methods, string keys.
        let a = "define(['jquery'], function ($) {\n  var W = function () {\n    var self = this;\n    self.callbacks = { render() { return true; }, 'init': () => true, bind_actions: function () { return true; } };\n    return this;\n  };\n  return W;\n});\n";
        assert_eq!(codes(&run(a)), Vec::<&str>::new());
        // callbacks assigned from a variable.
        let b = "define([], function () {\n  var callbacks = { render: function () {}, init: function () {}, bind_actions: function () {} };\n  return function () { this.callbacks = callbacks; return this; };\n});\n";
        assert_eq!(codes(&run(b)), Vec::<&str>::new());
        // callbacks filled one by one.
        let c = "define([], function () {\n  return function () {\n    this.callbacks = {};\n    this.callbacks.render = function () {};\n    this.callbacks.init = function () {};\n    this.callbacks['bind_actions'] = function () {};\n  };\n});\n";
        assert_eq!(codes(&run(c)), Vec::<&str>::new());
        // A spread makes the key set unknown: nothing is reported.
        let d = "define([], function () {\n  return function () { this.callbacks = { ...base }; };\n});\n";
        assert_eq!(codes(&run(d)), Vec::<&str>::new());
        // An arrow factory, ES module style class.
        let e = "define([], () => { class W { constructor() { this.callbacks = { render() {}, init() {}, bind_actions() {} }; } } return W; });";
        assert_eq!(codes(&run(e)), Vec::<&str>::new());
    }

    #[test]
    fn location_callbacks() {
        // The manifest is parsed by another module; the locations are handed in here.
        let locations: Vec<String> = [
            "settings",
            "advanced_settings",
            "digital_pipeline-0",
            "lcard-1",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // script.js alone: its own findings and the module rules.
        let all_hits = |text: &str| {
            let (mut hits, facts) = check_scripts(&[("script.js", text)], Lang::En)
                .pop()
                .unwrap_or_default();
            let modules: BTreeMap<String, Facts> =
                facts.into_iter().map(|f| ("script.js".into(), f)).collect();
            let package = Package::from_paths(&["script.js"]);
            if let Some(main) = modules.get("script.js") {
                hits.extend(
                    check_module(main, &modules, &package, &locations)
                        .into_iter()
                        .map(|(_, h)| h),
                );
            }
            hits
        };
        let hits = all_hits(VALID);
        assert_eq!(hits.len(), 2, "{hits:?}");
        let index = LineIndex::new(VALID);
        for (hit, (location, callback)) in hits.iter().zip([
            ("advanced_settings", "advancedSettings"),
            ("digital_pipeline", "dpSettings"),
        ]) {
            assert_eq!(hit.rule.code, "script.location_callback");
            assert_eq!(hit.rule.upload, Severity::Warning);
            assert_eq!(hit.rule.publication, Severity::Warning);
            assert_eq!(index.position(VALID, hit.offset), (4, 5));
            assert!(hit.args.contains(&("location", location.to_string())));
            assert!(hit.args.contains(&("callback", callback.to_string())));
        }
        let with = VALID.replace(
            "destroy:",
            "advancedSettings: function () {}, dpSettings() {}, destroy:",
        );
        assert!(all_hits(&with).is_empty());
        // Nested keys: leads.selected is recorded with a dot.
        let mut keys = Vec::new();
        let mut open = false;
        let alloc = Allocator::default();
        let p = Parser::new(
            &alloc,
            "x = {leads: {selected: function () {}}}",
            SourceType::script(),
        )
        .parse();
        if let Statement::ExpressionStatement(s) = &p.program.body[0]
            && let Expression::AssignmentExpression(a) = &s.expression
            && let Expression::ObjectExpression(o) = &a.right
        {
            object_keys(o, "", &mut keys, &mut open);
        }
        assert_eq!(keys, ["leads.selected", "leads"]);
    }

    #[test]
    fn debugger_statement() {
        let src = widget("  debugger;");
        assert_one(
            &src,
            "script.debugger",
            6,
            Some(3),
            Severity::Warning,
            Severity::Error,
        );
        let d = run_files(
            &[("script.js", VALID), ("vendor/lib.js", "debugger;")],
            Profile::Upload,
        );
        assert!(
            d.is_empty(),
            "third-party files are not checked for debug code"
        );
    }

    #[test]
    fn console_outside_error_handlers() {
        let src = widget("  console.log('x');");
        assert_one(
            &src,
            "script.console",
            6,
            Some(3),
            Severity::Warning,
            Severity::Error,
        );
        let d = run(&src);
        assert!(
            only(&d, "script.console")[0]
                .message
                .contains("console.log")
        );
        let d = run(&widget(
            "  var log = console.warn.bind(console); window.console.info(1);",
        ));
        assert_eq!(only(&d, "script.console").len(), 2);
    }

    #[test]
    fn console_inside_error_handlers_is_fine() {
        for body in [
            "try { x(); } catch (e) { console.error(e); }",
            "p.catch(e => console.warn(e));",
            "p.catch(function (e) { console.trace(e); });",
            "p.then(function () {}, function (e) { console.error(e); });",
            "$.ajax(url).fail(function (x) { console.log(x); });",
            "$.ajax({ url: u, error: function (x) { console.error(x); } });",
            "try { x(); } catch (e) { setTimeout(function () { console.error(e); }); }",
        ] {
            let d = run(&widget(body));
            assert!(
                only(&d, "script.console").is_empty(),
                "{body}: {:?}",
                codes(&d)
            );
        }
        // The success handler of then() is not an error handler.
        let d = run(&widget("p.then(function (r) { console.log(r); });"));
        assert_eq!(only(&d, "script.console").len(), 1);
    }

    #[test]
    fn alert_calls() {
        assert_one(
            &widget("alert('hi');"),
            "script.alert",
            6,
            Some(1),
            Severity::Warning,
            Severity::Error,
        );
        assert_eq!(
            only(&run(&widget("window.alert('hi');")), "script.alert").len(),
            1
        );
        assert!(
            only(
                &run(&widget("self.alert_box('hi'); confirm('ok?');")),
                "script.alert"
            )
            .is_empty()
        );
    }

    #[test]
    fn eval_and_string_timers() {
        assert_one(
            &widget("eval(code);"),
            "script.eval",
            6,
            Some(1),
            Severity::Warning,
            Severity::Error,
        );
        let d = run(&widget(
            "window.eval(a); setTimeout('go()', 10); setInterval('x' + y, 5); setTimeout(go, 10);",
        ));
        let found = only(&d, "script.eval");
        assert_eq!(found.len(), 3, "{:?}", codes(&d));
        assert!(found[1].message.contains("setTimeout"));
    }

    #[test]
    fn function_constructor() {
        assert_one(
            &widget("var f = new Function('a', 'return a');"),
            "script.new_function",
            6,
            Some(9),
            Severity::Warning,
            Severity::Error,
        );
        let d = run(&widget(
            "var g = Function('return 1'); var h = new window.Function('x');",
        ));
        assert_eq!(only(&d, "script.new_function").len(), 2);
    }

    #[test]
    fn synchronous_requests() {
        assert_one(
            &widget("$.ajax({ url: u, async: false });"),
            "script.sync_xhr",
            6,
            Some(18),
            Severity::Warning,
            Severity::Error,
        );
        let d = run(&widget(
            "jQuery.ajaxSetup({async: !1}); xhr.open('GET', u, false); xhr.open('GET', u, true); $.ajax({async: true});",
        ));
        assert_eq!(only(&d, "script.sync_xhr").len(), 2, "{:?}", codes(&d));
    }

    #[test]
    fn script_injection() {
        assert_one(
            &widget("var s = document.createElement('SCRIPT');"),
            "script.script_injection",
            6,
            Some(9),
            Severity::Warning,
            Severity::Error,
        );
        let d = run(&widget(
            "$('head').append('<script src=\"' + u + '\"></script>'); $('<Script>'); $.getScript(u); el.innerHTML = '<script>x</script>'; document.createElement('div'); $('<div>');",
        ));
        assert_eq!(
            only(&d, "script.script_injection").len(),
            4,
            "{:?}",
            codes(&d)
        );
    }

    #[test]
    fn writes_to_system_globals() {
        assert_one(
            &widget("APP.x = 1;"),
            "script.global_write",
            6,
            Some(1),
            Severity::Warning,
            Severity::Error,
        );
        let d = run(&widget(
            "AMOCRM.constant = f; window.APP = {}; APP = null; delete APP.data.x; APP.n++; $.extend(APP.data, {}); APP.data.current_card.x = 1; var a = APP.constant('account');",
        ));
        let found = only(&d, "script.global_write");
        assert_eq!(found.len(), 7, "{:?}", codes(&d));
        assert!(found[0].message.contains("`AMOCRM`"));
        let d = run(&widget("self.APP = 1; var app = APP; app2.APP.x = 1;"));
        assert!(
            only(&d, "script.global_write").is_empty(),
            "{:?}",
            codes(&d)
        );
    }

    #[test]
    fn minified_first_party_code() {
        let line = "var a=1;function b(){return a}".repeat(50);
        let src = format!("{VALID}{line}\n");
        let d = run(&src);
        let found = only(&d, "script.minified");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].line, Some(16));
        assert!(
            found[0].message.contains("1500 characters"),
            "{}",
            found[0].message
        );
        assert_eq!(
            run_files(&[("script.js", &src)], Profile::Publication)[0].severity,
            Severity::Error
        );
        // Third-party files are not judged.
        let d = run_files(
            &[
                ("script.js", VALID),
                ("lib/x.min.js", &line),
                ("vendor/y.js", &line),
            ],
            Profile::Upload,
        );
        assert!(d.is_empty());
        // Packers and obfuscators.
        let packed =
            format!("{VALID}eval(function(p,a,c,k,e,d){{}}('',0,0,''.split('|'),0,{{}}))\n");
        assert!(
            only(&run(&packed), "script.minified")[0]
                .message
                .contains("packer")
        );
        let names: String = (0..30)
            .map(|i| format!("var _0x{i:04x}a = {i};\n"))
            .collect();
        assert!(
            only(&run(&format!("{VALID}{names}")), "script.minified")[0]
                .message
                .contains("30 obfuscator")
        );
        // A long string (data URI) is not minified code.
        let data = format!(
            "{VALID}var logo = 'data:image/png;base64,{}';\n",
            "A".repeat(5000)
        );
        assert!(only(&run(&data), "script.minified").is_empty());
        // Minified code wrapped at 300 columns.
        let wrapped: String = (0..40)
            .map(|_| format!("{}\n", "x=a(b,c)+d[e]*f;".repeat(20)))
            .collect();
        let found = run_files(
            &[("script.js", VALID), ("app.js", &wrapped)],
            Profile::Upload,
        );
        assert!(found[0].message.contains("median line is 320"), "{found:?}");
    }

    #[test]
    fn api_calls_in_loops() {
        assert_one(
            &widget("for (var i = 0; i < n; i++) {\n  self.crm_post(url, {}, cb);\n}"),
            "script.api_call_in_loop",
            7,
            Some(3),
            Severity::Warning,
            Severity::Warning,
        );
        let d = run(&widget(
            "ids.forEach(function (id) { $.ajax({url: '/api/v4/leads/' + id}); });\n$.each(ids, function () { self.$authorizedAjax({}); });\nwhile (x) { fetch('/api/v4/contacts'); }\ndo { $.get('/api/v4/x'); } while (y);",
        ));
        assert_eq!(
            only(&d, "script.api_call_in_loop").len(),
            4,
            "{:?}",
            codes(&d)
        );
        let d = run(&widget(
            "self.crm_post(url, {}, cb); for (;;) { $.ajax({url: '/other'}); fetch('/x'); } ids.forEach(function () { x(); });",
        ));
        assert!(only(&d, "script.api_call_in_loop").is_empty());
    }

    #[test]
    fn programmatic_install_clicks() {
        assert_one(
            &widget("$('.js-widget-install').click();"),
            "script.install_click",
            6,
            Some(1),
            Severity::Warning,
            Severity::Error,
        );
        let d = run(&widget(
            "$modal.find('.js-widget-uninstall').trigger('click');\nvar b = $('button.js-widget-install'); b.click();\n$('.js-widget-install').on('click', f); $('.js-widget-save').click();",
        ));
        let found = only(&d, "script.install_click");
        assert_eq!(found.len(), 2, "{:?}", codes(&d));
        assert!(found[0].message.contains("js-widget-uninstall"));
    }

    #[test]
    fn switcher_classes_in_js_css_and_templates() {
        assert_one(
            &widget("$el.addClass('switcher_on');"),
            "script.switcher_class",
            6,
            Some(15),
            Severity::Warning,
            Severity::Error,
        );
        let d = run_files(
            &[
                (
                    "script.js",
                    &widget(
                        "var t = `<div class=\"a switcher_off\">${x}</div>`; var u = 'switcher_onward';",
                    ),
                ),
                ("style.css", ".w .switcher_on { color: red; }\n"),
                (
                    "templates/a.twig",
                    "<div>\n  <span class=\"switcher_off\"></span>\n</div>\n",
                ),
            ],
            Profile::Upload,
        );
        let found = only(&d, "script.switcher_class");
        assert_eq!(found.len(), 3, "{:?}", d);
        assert_eq!(found[1].file.as_deref(), Some("style.css"));
        assert_eq!((found[1].line, found[1].column), (Some(1), Some(5)));
        assert_eq!(found[2].file.as_deref(), Some("templates/a.twig"));
        assert_eq!((found[2].line, found[2].column), (Some(2), Some(16)));
    }

    #[test]
    fn other_js_files_get_the_moderation_rules_but_not_the_module_rules() {
        let d = run_files(
            &[
                ("script.js", VALID),
                ("lib/helper.js", "var x = 1;\neval(x);\n"),
            ],
            Profile::Upload,
        );
        assert_eq!(codes(&d), ["script.eval"]);
        assert_eq!(d[0].file.as_deref(), Some("lib/helper.js"));
        assert_eq!(d[0].line, Some(2));
        // Rules about the host apply to vendored code too.
        let d = run_files(
            &[
                ("script.js", VALID),
                ("vendor/lib.js", "console.log(1); eval(x);"),
            ],
            Profile::Upload,
        );
        assert_eq!(codes(&d), ["script.eval"]);
    }

    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        let deep = format!("{}a{}", "(".repeat(10_000), ")".repeat(10_000));
        let d = run(&deep);
        let found = only(&d, "script.too_deep");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].line, Some(1));
        assert_eq!(found[0].severity, Severity::Warning);
        for src in [
            format!("x = {}a", "!".repeat(100_000)),
            format!("{}a", "a=".repeat(100_000)),
            format!("{}a", "a\n=".repeat(100_000)),
            format!("{}a", "a?a:".repeat(100_000)),
            format!("{}a;", "if(a)\n".repeat(100_000)),
            format!("if(a){{}}{}", "\nelse if(a){}".repeat(100_000)),
            format!("if(a)x;{}", "else if(a)x;".repeat(100_000)),
            format!("{}a", "a=>".repeat(100_000)),
            format!("x = `{}`", "${`".repeat(20_000)),
            format!("x = {}", "{a:".repeat(20_000)),
            "function f(){".repeat(20_000),
        ] {
            let d = run(&src);
            assert!(codes(&d).contains(&"script.too_deep"), "{}", &src[..20]);
        }
        // Ordinary deep-ish code passes the estimate.
        let nested = format!(
            "define([], function () {{ var x = {}1{}; }});",
            "[".repeat(100),
            "]".repeat(100)
        );
        assert_eq!(nesting_overflow(&nested), None);
        let chain: String = (0..2000)
            .map(|i| format!("var a{i} = b ? c : d\nif (x) {{ y() }} else {{ z() }}\n"))
            .collect();
        assert_eq!(nesting_overflow(&chain), None);
        assert_eq!(nesting_overflow(VALID), None);
        // Brackets inside comments and strings (escapes included) do not nest; ones after
        // them do, up to the end of the text even when a comment or string is unterminated.
        let deep = "(".repeat(300);
        for hidden in [
            format!("// {deep}\nx = 1;"),
            format!("/* {deep} */ x = 1;"),
            format!("x = '{deep}\\' {deep}';"),
            format!("x = \"\\\"{deep}\";"),
            format!("/* {deep}"),
            format!("x = '{deep}"),
        ] {
            assert_eq!(nesting_overflow(&hidden), None, "{}", &hidden[..8]);
        }
        for shown in [
            format!("// c\n{deep}"),
            format!("/* c */ {deep}"),
            format!("x = 'c'; {deep}"),
            format!("x = 'a\\'b'; {deep}"),
            format!("x = 'unterminated\n{deep}"),
        ] {
            assert!(nesting_overflow(&shown).is_some(), "{}", &shown[..8]);
        }
    }

    #[test]
    fn packer_signatures_prefer_the_tight_form_and_obfuscator_names_count_hex() {
        let spaced = "x; eval(function(p, a, c, k, e, d){})";
        assert_eq!(
            packer_signature(spaced.as_bytes()),
            Some((3, "eval(function(p, a, c, k, e,"))
        );
        let both = "eval(function(p, a, c, k, e, r){}); eval(function(p,a,c,k,e,r){})";
        assert_eq!(
            packer_signature(both.as_bytes()),
            Some((36, "eval(function(p,a,c,k,e,"))
        );
        assert_eq!(packer_signature(b"eval(function(p,q){})"), None);
        assert_eq!(obfuscator_names(b"_0x12 _0x1a2b _0xffff0 x_0xabcd"), (3, 6));
    }

    type Make = fn(usize) -> String;

    /// Texts nesting `n` levels of each construct the estimate counts.
    const DEEP_MAKERS: &[Make] = &[
        |n| format!("{}a{}", "(".repeat(n), ")".repeat(n)),
        |n| format!("x={}{}", "[".repeat(n), "]".repeat(n)),
        |n| format!("x={}1{}", "{a:".repeat(n), "}".repeat(n)),
        |n| format!("{}{}", "function f(){".repeat(n), "}".repeat(n)),
        |n| format!("{}{}", "{".repeat(n), "}".repeat(n)),
        |n| format!("x={}a", "!".repeat(n)),
        |n| format!("x={}a", "-".repeat(n)),
        |n| format!("{}a", "a=".repeat(n)),
        |n| format!("{}a", "a?a:".repeat(n)),
        |n| format!("{}a;", "if(a)".repeat(n)),
        |n| format!("if(a){{}}{}", "else if(a){}".repeat(n)),
        |n| format!("{}a", "a=>".repeat(n)),
        |n| format!("x=`{}`", "${`".repeat(n)),
        |n| {
            format!(
                "x={}1{}",
                "f(function(){return [".repeat(n),
                "]})".repeat(n)
            )
        },
        |n| "new ".repeat(n) + "a",
        |n| format!("{}a", "typeof ".repeat(n)),
        |n| format!("{}a", "void await delete yield ".repeat(n)),
        |n| format!("{}a", "do while(a)".repeat(n)),
        |n| format!("{}a", "for(;;)with(a)".repeat(n)),
        |n| format!("var {}a{} = x;", "[".repeat(n), "]".repeat(n)),
        |n| format!("var {}a{} = x;", "{a:".repeat(n), "}".repeat(n)),
        |n| format!("{}a{} = x;", "[".repeat(n), "]".repeat(n)),
        |n| format!("({}a{} = x);", "{a:".repeat(n), "}".repeat(n)),
        |n| format!("function f({}a{}) {{}}", "[".repeat(n), "]".repeat(n)),
    ];

    /// The largest `n` whose text passes the estimate.
    fn largest_accepted(make: Make) -> usize {
        let mut n = 1;
        while nesting_overflow(&make(n * 2)).is_none() && n < 1 << 16 {
            n *= 2;
        }
        let (mut lo, mut hi) = (n, n * 2);
        while hi - lo > 1 {
            let mid = (lo + hi) / 2;
            if nesting_overflow(&make(mid)).is_none() {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// A finding as a comparable value: its code, offset and arguments.
    type HitKey = (&'static str, usize, Vec<(&'static str, String)>);

    /// A script's findings as comparable values.
    fn hit_keys(hits: &[Hit]) -> Vec<HitKey> {
        hits.iter()
            .map(|h| (h.rule.code, h.offset, h.args.clone()))
            .collect()
    }

    #[test]
    fn the_largest_accepted_nesting_parses_within_a_small_stack() {
        // What the per-unit stack of a parse before its estimate is calibrated on.
        for make in DEEP_MAKERS {
            let lo = largest_accepted(*make);
            let src = make(lo);
            // Estimated, then parsed and walked on this test thread (2 MiB of stack by
            // default), as every text over the bound's limit is.
            let room = (stack_bound(&src), DEPTH_BUDGET);
            let (hits, _) = check_js(
                "lib/deep.js",
                &src,
                Lang::En,
                &mut Allocator::default(),
                room,
            );
            assert!(
                hits.iter().all(|h| h.rule.code != "script.too_deep"),
                "{}",
                &src[..30.min(src.len())]
            );
            // Through the rules, parsed first: the same verdicts, one level apart.
            for (n, deep) in [(lo, false), (lo + 1, true), (lo * 4, true)] {
                let d = run_files(
                    &[("script.js", VALID), ("lib/deep.js", &make(n))],
                    Profile::Upload,
                );
                assert_eq!(
                    codes(&d).contains(&"script.too_deep"),
                    deep,
                    "{n}: {}",
                    &src[..30.min(src.len())]
                );
            }
        }
    }

    /// Random texts of JavaScript punctuation, keywords and letters.
    fn soups(count: usize, min_len: usize, max_len: usize) -> Vec<String> {
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as usize
        };
        let pieces = [
            "(", ")", "[", "]", "{", "}", "${", "`", "'", "\"", "/", "\\", "*", "+", "-", "=", "!",
            "?", ":", ";", ",", ".", "...", "=>", "?.", "??=", "**", "++", " ", "\n", "a", "b1",
            "0x1", "if", "else", "for", "while", "do", "with", "typeof", "void", "delete", "await",
            "new", "yield", "return", "case", "in", "of", "// c\n", "/* c */", "function", "x",
            "y",
        ];
        (0..count)
            .map(|k| {
                let len = min_len + next() % (max_len - min_len) + k % 7;
                let mut text = String::new();
                while text.len() < len {
                    text.push_str(pieces[next() % pieces.len()]);
                }
                text
            })
            .collect()
    }

    /// [`soups`], and each construct nested to the estimate's limit, one level over it and
    /// three times over it.
    fn soups_and_limits(count: usize, min_len: usize, max_len: usize) -> Vec<String> {
        let mut texts = soups(count, min_len, max_len);
        for make in DEEP_MAKERS {
            let lo = largest_accepted(*make);
            texts.extend([make(lo), make(lo + 1), make(lo * 3)]);
        }
        texts
    }

    #[test]
    fn the_bound_is_never_below_the_estimate() {
        let mut texts = soups_and_limits(3000, 1, 2500);
        // Each token the estimate counts, alone and over and over: nothing else to weigh.
        for token in [
            "(", "[", "{", "=", "=>", "?", ":", "!", "~", "++", "--", "+", "-", "**", "...", "??=",
            "+=", ">>>=", "&&=", "if ", "while ", "for ", "with ", "else ", "do ", "typeof ",
            "void ", "delete ", "await ", "new ", "yield ",
        ] {
            texts.push(format!("x={}", token.repeat(1500)));
        }
        for text in &texts {
            assert_eq!(nesting_over(text, stack_bound(text)), None, "{text}");
        }
    }

    #[test]
    fn parsing_first_reports_what_estimating_first_does() {
        let texts = soups_and_limits(1500, 1000, 5000);
        let mut parsed_first = 0;
        for text in &texts {
            let bound = stack_bound(text);
            parsed_first += usize::from(bound > DEPTH_BUDGET && bound <= MAX_BOUND_UNITS);
            let first = check_scripts(&[("lib/x.js", text)], Lang::En);
            // Estimated first, on this thread: a text over the budget is never parsed.
            let estimated = check_js(
                "lib/x.js",
                text,
                Lang::En,
                &mut Allocator::default(),
                (bound, 0),
            );
            assert_eq!(hit_keys(&first[0].0), hit_keys(&estimated.0), "{text}");
            assert_eq!(first[0].1.is_some(), estimated.1.is_some(), "{text}");
        }
        // The comparison is not empty: most texts took the other path.
        assert!(
            parsed_first > texts.len() / 2,
            "{parsed_first} of {}",
            texts.len()
        );
    }

    #[test]
    fn a_shallow_tree_the_estimate_overcounts_is_checked() {
        // A thousand `case` labels in a row: each adds to the estimate's statement chain,
        // none nests in the tree.
        let labels: String = (0..1100).map(|k| format!("case {k}: ")).collect();
        let src = format!("function f(x) {{ switch (x) {{ {labels}return 1; }} }}");
        assert!(nesting_overflow(&src).is_some());
        let d = run_files(
            &[("script.js", VALID), ("lib/cases.js", &src)],
            Profile::Upload,
        );
        assert!(!codes(&d).contains(&"script.too_deep"), "{d:?}");
        // Too large for the stack a parse first would take: estimated first, as before.
        let (hits, facts) = check_js(
            "lib/cases.js",
            &src,
            Lang::En,
            &mut Allocator::default(),
            (MAX_BOUND_UNITS + 1, MAX_BOUND_UNITS),
        );
        assert!(facts.is_none());
        assert!(hits.iter().any(|h| h.rule.code == "script.too_deep"));
    }

    #[test]
    fn long_flat_chains_do_not_overflow() {
        // 2 MB of a+a+...: parsed without recursion trouble, walked without recursion.
        let src = format!("x = a{}", "+a".repeat(1_000_000));
        let d = run(&src);
        assert!(!codes(&d).contains(&"script.syntax_error"));
        for src in [
            format!("x = a{}", ".a".repeat(300_000)),
            format!("x = a{}", "()".repeat(300_000)),
            format!("x = a{}", "&&a".repeat(300_000)),
            format!("x = a{}", ",a".repeat(300_000)),
        ] {
            let _ = run(&src);
        }
    }

    #[test]
    fn garbage_never_panics() {
        // A deterministic generator; bytes biased towards JavaScript punctuation.
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let alphabet = b"(){}[]`'\"/\\*+-=!?:;,.<>$ \n\tabcif0x1eelsefunctionreturn=>${}";
        for n in 0..400 {
            let len = (n * 7) % 300 + 1;
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    if n % 4 == 0 {
                        (state >> 24) as u8
                    } else {
                        alphabet[(state >> 24) as usize % alphabet.len()]
                    }
                })
                .collect();
            let files = vec![
                ("script.js".to_string(), bytes.clone()),
                ("lib/x.js".to_string(), bytes.clone()),
                ("style.css".to_string(), bytes.clone()),
                ("t.twig".to_string(), bytes),
            ];
            let _ = crate::check(crate::Input::Files(files), &Options::default());
        }
    }

    #[test]
    fn findings_survive_in_a_deep_but_acceptable_file() {
        // 200 nested arrays, then a debugger statement: still found.
        let src = format!("x = {}1{};\ndebugger;\n", "[".repeat(200), "]".repeat(200));
        let d = run_files(&[("script.js", VALID), ("lib/a.js", &src)], Profile::Upload);
        assert_eq!(codes(&d), ["script.debugger"]);
        assert_eq!(d[0].line, Some(2));
    }
}
