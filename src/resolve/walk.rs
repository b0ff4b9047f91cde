//! Walking the syntax tree: includes inlined, variables and booleans
//! recorded, conditionals evaluated. The result is a tree of raw profiles
//! whose rules are still token lists; [`super::build`] types them.

use super::Options;
use super::cache::SourceCache;
use super::include::{Found, locate};
use super::vars::VarTable;
use crate::diagnostics::{Diagnostic, IncludeSite, Location};
use crate::syntax::*;
use std::collections::HashSet;
use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::Arc;

/// Where a group of items was read: the file and the include chain to it.
#[derive(Debug)]
pub struct Place {
    pub source: Arc<Source>,
    pub chain: Arc<[IncludeSite]>,
}

impl Place {
    pub fn location(&self, span: Span) -> Option<Location> {
        Some(Location {
            source: self.source.clone(),
            span,
            file_only: false,
        })
    }

    pub fn error(
        self: &Arc<Self>,
        code: &'static str,
        message: impl Into<String>,
        span: Span,
    ) -> Diagnostic {
        Diagnostic::error(code, message, self.location(span)).with_chain(self.chain.clone())
    }
}

/// A rule with its origin and the qualifiers of enclosing blocks.
#[derive(Debug, Clone)]
pub struct RawRule {
    pub place: Arc<Place>,
    pub decl: RuleDecl,
    /// The qualifiers of each enclosing block, outermost first (a bare
    /// `{ ... }` block has none but is a block all the same).
    pub block_qualifiers: Vec<Vec<Token>>,
    /// The rule stands in a conditional branch of its profile (`if ... {`):
    /// 5.0.2 checks rlimit rules there but drops them.
    pub in_conditional: bool,
    /// How many blocks (`if`/`else`, `audit {`, ...) had closed, file-wide
    /// and in reading order, when the rule was read; compared with
    /// [`Walked::blocks_closed`] it tells whether a block follows it.
    pub blocks_closed_before: usize,
}

impl RawRule {
    /// The first word after the qualifiers: the class keyword, or a file
    /// rule's path (or `file`).
    pub fn class_word(&self) -> &str {
        self.decl
            .tokens
            .iter()
            .find(|t| qualifier_rank(t).is_none())
            .and_then(|t| t.word())
            .unwrap_or("")
    }

    /// A rule of a class 5.0.2 keeps in its list of policy rules, apart
    /// from file, link and change_profile rules (its "entries").
    pub fn is_policy_rule(&self) -> bool {
        POLICY_CLASS_KEYWORDS.contains(&self.class_word())
    }
}

/// The keywords of the rule classes 5.0.2 holds as policy rules (`set`
/// stands for `set rlimit`).
pub const POLICY_CLASS_KEYWORDS: &[&str] = &[
    "capability",
    "network",
    "unix",
    "dbus",
    "mount",
    "remount",
    "umount",
    "unmount",
    "pivot_root",
    "ptrace",
    "signal",
    "set",
    "userns",
    "mqueue",
    "io_uring",
    "all",
];

/// A qualifier's place in the order 5.0.2 requires (`priority=`, then
/// `audit`, then `allow`/`deny`/`prompt`, then `owner`/`other`); `None`
/// for any other token.
pub fn qualifier_rank(t: &Token) -> Option<u8> {
    match &t.kind {
        TokenKind::Word(w) => match w.as_str() {
            // `quiet` is a reserved word of the man page, but 5.0.2's
            // lexer reads it as a plain name: `quiet r,` is a file rule on
            // the relative path `quiet`, `quiet /a r,` an error.
            "audit" => Some(1),
            "deny" | "allow" | "prompt" => Some(2),
            "owner" | "other" => Some(3),
            w if w.starts_with("priority=") => Some(0),
            _ => None,
        },
        TokenKind::Cond { key, .. } if key == "priority" => Some(0),
        _ => None,
    }
}

/// A profile as declared, rules still untyped.
#[derive(Debug)]
pub struct RawProfile {
    pub place: Arc<Place>,
    pub keyword: Option<ProfileKeyword>,
    pub header: Vec<Token>,
    pub span: Span,
    pub rules: Vec<RawRule>,
    pub children: Vec<RawProfile>,
}

/// An `alias` rule.
#[derive(Debug, Clone)]
pub struct RawAlias {
    pub place: Arc<Place>,
    pub from: Token,
    pub to: Token,
}

/// Everything the walk collected.
#[derive(Debug, Default)]
pub struct Walked {
    pub profiles: Vec<RawProfile>,
    pub vars: VarTable,
    pub aliases: Vec<RawAlias>,
    pub abi: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
    /// Every include met, with what it resolved to (`Missing` for a
    /// skipped `include if exists`): what the policy cache re-checks.
    pub includes: Vec<(IncludeTarget, Found)>,
    /// What the branches not taken held, walked like the taken ones but
    /// into these throwaway profiles: apparmor_parser reads and checks
    /// every rule while parsing, so their errors count, though the rules
    /// do not.
    pub untaken: Vec<RawProfile>,
    /// Blocks closed in the whole file (includes inlined), taken branches
    /// or not: 5.0.2 empties its old network table at each one, so only
    /// `network` rules read after the last block reach that table.
    pub blocks_closed: usize,
}

/// Deepest include nesting accepted.
const MAX_INCLUDE_DEPTH: usize = 64;

pub struct Walker<'a> {
    options: &'a Options,
    cache: &'a SourceCache,
    out: Walked,
    /// Files being included, outermost first.
    stack: Vec<PathBuf>,
    /// Where in `stack` the innermost profile began: apparmor_parser skips
    /// a file that is already being included within the same profile, but
    /// a nested profile starts afresh (so endless nesting hits the depth
    /// limit instead).
    profile_base: usize,
    /// Set once the depth limit is hit, so one runaway recursion gives one
    /// error, not thousands.
    depth_exceeded: bool,
    /// Set after the first profile: the preamble (variables, booleans,
    /// aliases) is over, apparmor_parser's grammar allows only profiles
    /// after it.
    seen_profile: bool,
    /// The files included so far in each open scope (the file's top level,
    /// then one per enclosing profile, innermost last), by the path the
    /// include resolved to: apparmor_parser 5.0.2 reads a file once per
    /// scope and skips later includes of it ("skipped duplicate include").
    /// Branches not taken read their includes too (5.0.2 expands includes
    /// before it evaluates conditionals), so they mark files here as well.
    included: Vec<HashSet<OsString>>,
    /// How many `if` blocks enclose the current item within its profile.
    conditional_depth: usize,
}

impl<'a> Walker<'a> {
    pub fn new(options: &'a Options, cache: &'a SourceCache) -> Self {
        Walker {
            options,
            cache,
            out: Walked::default(),
            stack: Vec::new(),
            profile_base: 0,
            depth_exceeded: false,
            seen_profile: false,
            included: vec![HashSet::new()],
            conditional_depth: 0,
        }
    }

    /// Walks a parsed input file and returns what was collected.
    pub fn run(mut self, file: &ParsedFile) -> Walked {
        let place = Arc::new(Place {
            source: file.source.clone(),
            chain: Arc::from(Vec::new()),
        });
        if let Some(path) = &file.source.path {
            self.stack.push(canonical(path));
        }
        self.out.diagnostics.extend(file.errors.iter().cloned());
        self.items(&file.items, &place, None, &[]);
        self.out
    }

    fn items(
        &mut self,
        items: &[Item],
        place: &Arc<Place>,
        mut profile: Option<&mut RawProfile>,
        quals: &[Vec<Token>],
    ) {
        for item in items {
            self.item(item, place, profile.as_deref_mut(), quals);
        }
    }

    fn item(
        &mut self,
        item: &Item,
        place: &Arc<Place>,
        profile: Option<&mut RawProfile>,
        quals: &[Vec<Token>],
    ) {
        match item {
            Item::Abi(abi) => {
                self.check_abi(abi, place);
                // Only a preamble abi rule selects the policy features:
                // 5.0.2 accepts one in a profile body and ignores it
                // (conformance abi/ok_20..22 compile with kernel features).
                if profile.is_none() && self.out.abi.is_none() {
                    self.out.abi = Some(abi.name.clone());
                }
            }
            Item::Include(inc) => self.include(inc, place, profile, quals),
            Item::VarDef(def) => {
                if !self.preamble_item(
                    place,
                    profile.is_some(),
                    ("variable", "variable assignment"),
                    def.span,
                ) {
                    return;
                }
                let values: Vec<String> = def
                    .values
                    .iter()
                    .filter_map(|t| t.text().map(str::to_string))
                    .collect();
                if values.is_empty() {
                    self.out.diagnostics.push(place.error(
                        "variable",
                        format!("variable @{{{}}} is assigned no value", def.name),
                        def.span,
                    ));
                    return;
                }
                if let Err(e) = self.out.vars.assign(&def.name, def.op, values) {
                    self.out
                        .diagnostics
                        .push(place.error("variable", e.to_string(), def.span));
                }
            }
            Item::BoolDef(def) => {
                if !self.preamble_item(
                    place,
                    profile.is_some(),
                    ("boolean", "boolean assignment"),
                    def.span,
                ) {
                    return;
                }
                // The value is evaluated whatever the operator (its errors
                // count even for `?=` on a defined name).
                let Some(value) = self.eval(&def.value, place) else {
                    return;
                };
                if let Err(e) = self.out.vars.assign_bool(&def.name, def.op, value) {
                    self.out
                        .diagnostics
                        .push(place.error("boolean", e.to_string(), def.span));
                }
            }
            Item::Alias(alias) => {
                self.preamble_item(
                    place,
                    profile.is_some(),
                    ("alias", "alias rule"),
                    alias.span,
                );
                self.out.aliases.push(RawAlias {
                    place: place.clone(),
                    from: alias.from.clone(),
                    to: alias.to.clone(),
                });
            }
            Item::If(block) if profile.is_none() => {
                self.out.diagnostics.push(place.error(
                    "outside-profile",
                    "conditionals are only allowed inside profiles",
                    block.span,
                ));
            }
            Item::If(block) => self.if_block(block, place, profile, quals),
            Item::QualifierBlock(block) => {
                if profile.is_none() {
                    self.out.diagnostics.push(place.error(
                        "outside-profile",
                        "rule block outside of a profile",
                        block.span,
                    ));
                    return;
                }
                if let Err((message, span)) = super::build::qualifiers_in_order(&block.qualifiers) {
                    self.out
                        .diagnostics
                        .push(place.error("rule", message, span));
                    return;
                }
                // 5.0.2: "priority is not allowed on rule blocks", for any
                // priority but the default 0 (`priority=-0 {` passes), even
                // on an empty block.
                let priority = block.qualifiers.iter().find(|t| {
                    let value = match &t.kind {
                        TokenKind::Word(w) => w.strip_prefix("priority="),
                        TokenKind::Cond { key, value, .. } if key == "priority" => value.text(),
                        _ => None,
                    };
                    value.is_some_and(|v| !v.parse::<i64>().is_ok_and(|n| n == 0))
                });
                if let Some(t) = priority {
                    self.out.diagnostics.push(place.error(
                        "rule",
                        "priority is not allowed on rule blocks",
                        t.span,
                    ));
                    return;
                }
                let mut inner = quals.to_vec();
                inner.push(block.qualifiers.clone());
                // 5.0.2 reads a block into a scratch profile (where an `if`
                // puts its rules in front of the block's, not the
                // profile's), then moves its file rules out one by one onto
                // the front of the profile's list, as it adds rules: within
                // a block they end up in reverse order, as the order of the
                // exec table shows.
                self.out.blocks_closed += 1;
                let Some(profile) = profile else {
                    // Outside a profile: each rule is reported as such.
                    self.items(&block.items, place, None, &inner);
                    return;
                };
                let before = std::mem::take(&mut profile.rules);
                self.items(&block.items, place, Some(&mut *profile), &inner);
                let mut moved = std::mem::replace(&mut profile.rules, before);
                moved.reverse();
                profile.rules.append(&mut moved);
            }
            Item::Profile(decl) => {
                let mut raw = RawProfile {
                    place: place.clone(),
                    keyword: decl.keyword,
                    header: decl.header.clone(),
                    span: decl.span,
                    rules: Vec::new(),
                    children: Vec::new(),
                };
                let saved = std::mem::replace(&mut self.profile_base, self.stack.len());
                let conditional_depth = std::mem::take(&mut self.conditional_depth);
                self.included.push(HashSet::new());
                self.items(&decl.items, place, Some(&mut raw), &[]);
                self.included.pop();
                self.conditional_depth = conditional_depth;
                self.profile_base = saved;
                self.seen_profile = true;
                match profile {
                    // 5.0.2 accepts a child profile or hat in a rule block
                    // (`owner { profile c {} }`, `{ ^h {} }`) and leaves
                    // it out of the policy.
                    Some(_) if !quals.is_empty() => {}
                    Some(parent) => parent.children.push(raw),
                    None => self.out.profiles.push(raw),
                }
            }
            Item::Rule(decl) => match profile {
                Some(p) => p.rules.push(RawRule {
                    place: place.clone(),
                    decl: decl.clone(),
                    block_qualifiers: quals.to_vec(),
                    in_conditional: self.conditional_depth > 0,
                    blocks_closed_before: self.out.blocks_closed,
                }),
                None => self.out.diagnostics.push(place.error(
                    "outside-profile",
                    "rule outside of a profile",
                    decl.span,
                )),
            },
        }
    }

    fn include(
        &mut self,
        inc: &Include,
        place: &Arc<Place>,
        mut profile: Option<&mut RawProfile>,
        quals: &[Vec<Token>],
    ) {
        let shown = match &inc.target {
            IncludeTarget::Angle(n) => format!("<{n}>"),
            IncludeTarget::Path(p) => format!("\"{p}\""),
        };
        let found = locate(&inc.target, self.options);
        self.out.includes.push((inc.target.clone(), found.clone()));
        let files = match found {
            Found::File(f) => vec![f],
            Found::Dir(files) => files,
            Found::Missing if inc.if_exists => return,
            Found::Missing => {
                self.out.diagnostics.push(
                    place
                        .error(
                            "include",
                            format!("could not find include {shown}"),
                            inc.span,
                        )
                        .with_label("no such file in the include path"),
                );
                return;
            }
        };
        let (line, column) = place.source.line_col(inc.span.start);
        let mut chain = place.chain.to_vec();
        chain.push(IncludeSite {
            file: place.source.name.clone(),
            line,
            column,
        });
        let chain: Arc<[IncludeSite]> = Arc::from(chain);
        for path in files {
            let key = canonical(&path);
            if self.stack[self.profile_base..].contains(&key) {
                self.out.diagnostics.push(
                    // apparmor_parser 5.0.2 accepts a file that includes
                    // itself (it stops the recursion), so this warns.
                    Diagnostic {
                        severity: crate::diagnostics::Severity::Warning,
                        ..place
                            .error(
                                "include-cycle",
                                format!(
                                    "include cycle: {} is already being included; skipped",
                                    path.display()
                                ),
                                inc.span,
                            )
                            .with_label("this include starts the cycle")
                    },
                );
                continue;
            }
            let scope = self.included.last_mut().expect("the top-level scope");
            if !scope.insert(path.as_os_str().to_owned()) {
                continue;
            }
            if self.stack.len() >= MAX_INCLUDE_DEPTH {
                self.out.diagnostics.push(place.error(
                    "include-depth",
                    format!("includes nested deeper than {MAX_INCLUDE_DEPTH} levels"),
                    inc.span,
                ));
                self.depth_exceeded = true;
                continue;
            }
            if self.depth_exceeded {
                continue;
            }
            let parsed = match self.cache.get(&path) {
                Ok(p) => p,
                Err(e) => {
                    self.out.diagnostics.push(place.error(
                        "include",
                        format!("could not read include {}: {e}", path.display()),
                        inc.span,
                    ));
                    continue;
                }
            };
            self.out.diagnostics.extend(
                parsed
                    .errors
                    .iter()
                    .map(|d| d.clone().with_chain(chain.clone())),
            );
            let inner = Arc::new(Place {
                source: parsed.source.clone(),
                chain: chain.clone(),
            });
            self.stack.push(key);
            self.items(&parsed.items, &inner, profile.as_deref_mut(), quals);
            self.stack.pop();
        }
    }

    /// The abi file must exist (apparmor_parser reads it), except the
    /// built-in names `kernel` and `default`.
    fn check_abi(&mut self, abi: &Abi, place: &Arc<Place>) {
        if abi.angle && (abi.name == "kernel" || abi.name == "default") {
            return;
        }
        let target = if abi.angle {
            IncludeTarget::Angle(abi.name.clone())
        } else {
            IncludeTarget::Path(abi.name.clone())
        };
        if abi.name.is_empty() || !matches!(locate(&target, self.options), Found::File(_)) {
            let shown = if abi.angle {
                format!("<{}>", abi.name)
            } else {
                format!("\"{}\"", abi.name)
            };
            self.out.diagnostics.push(
                place
                    .error("abi", format!("could not find abi {shown}"), abi.span)
                    .with_label("no such file in the include path"),
            );
        }
    }

    /// A taken conditional block's file, link and change_profile rules
    /// move to the front of the profile's rules: apparmor_parser 5.0 adds
    /// them to its (reversed) list of such entries after the profile's
    /// other ones, which shows in the order exec targets take xtable slots
    /// (apparmor.d `tecla`: a `px` inside `if "nvidia" in @{GPU}` is
    /// numbered after a later plain `px`). Its policy rules keep their
    /// written place, which shows in which of two equal unix rules merges
    /// into the other (`unix type=dgram, if ... { network dgram, }` keeps
    /// the written unix rule).
    fn if_block(
        &mut self,
        block: &IfBlock,
        place: &Arc<Place>,
        mut profile: Option<&mut RawProfile>,
        quals: &[Vec<Token>],
    ) {
        let start = profile.as_ref().map(|p| p.rules.len());
        self.conditional_depth += 1;
        self.if_branch(block, place, profile.as_deref_mut(), quals);
        self.conditional_depth -= 1;
        self.out.blocks_closed += 1;
        if let (Some(p), Some(start)) = (profile, start) {
            let (policy, entries): (Vec<RawRule>, Vec<RawRule>) =
                p.rules.drain(start..).partition(RawRule::is_policy_rule);
            p.rules.splice(0..0, entries);
            p.rules.extend(policy);
        }
    }

    /// Checks that a preamble statement stands in the preamble: at the top
    /// level, before the first profile. Reports and returns false if not.
    fn preamble_item(
        &mut self,
        place: &Arc<Place>,
        in_profile: bool,
        (code, what): (&'static str, &str),
        span: Span,
    ) -> bool {
        let message = if in_profile {
            format!("{what}s are not allowed inside a profile: they belong before it")
        } else if self.seen_profile {
            format!("{what}s must come before the first profile")
        } else {
            return true;
        };
        self.out.diagnostics.push(place.error(code, message, span));
        false
    }

    fn if_branch(
        &mut self,
        block: &IfBlock,
        place: &Arc<Place>,
        profile: Option<&mut RawProfile>,
        quals: &[Vec<Token>],
    ) {
        let taken = match self.eval(&block.cond, place) {
            Some(v) => v,
            None => return,
        };
        // apparmor_parser reads every branch, evaluating its conditions and
        // checking its rules, taken or not; the untaken ones go to a
        // throwaway profile whose errors count.
        let mut untaken = self.untaken_sink(place, block.span);
        if taken {
            self.items(&block.then, place, profile, quals);
            match &block.otherwise {
                Some(Else::If(next)) => self.if_branch(next, place, Some(&mut untaken), quals),
                Some(Else::Block(items)) => self.items(items, place, Some(&mut untaken), quals),
                None => {}
            }
        } else {
            self.items(&block.then, place, Some(&mut untaken), quals);
            match &block.otherwise {
                Some(Else::If(next)) => self.if_branch(next, place, profile, quals),
                Some(Else::Block(items)) => self.items(items, place, profile, quals),
                None => {}
            }
        }
        if !untaken.rules.is_empty() || !untaken.children.is_empty() {
            self.out.untaken.push(untaken);
        }
    }

    fn untaken_sink(&self, place: &Arc<Place>, span: Span) -> RawProfile {
        RawProfile {
            place: place.clone(),
            keyword: None,
            header: Vec::new(),
            span,
            rules: Vec::new(),
            children: Vec::new(),
        }
    }

    /// Evaluates a condition; `None` after reporting an error. Every part
    /// is evaluated (`true or ${undefined}` is an error), as
    /// apparmor_parser evaluates each part while reading it.
    fn eval(&mut self, cond: &CondExpr, place: &Arc<Place>) -> Option<bool> {
        match cond {
            CondExpr::Bool { name, span } => match self.out.vars.bool_value(name) {
                Ok(v) => Some(v),
                Err(e) => {
                    self.out
                        .diagnostics
                        .push(place.error("boolean", e.to_string(), *span));
                    None
                }
            },
            // `defined ${B}` looks for a set variable too: apparmor_parser
            // 5.0.2 answers false for a boolean (its own conditional/ok_25-27
            // compile without the guarded rule).
            CondExpr::Defined { name, .. } => Some(self.out.vars.is_defined(name)),
            CondExpr::Not(inner) => self.eval(inner, place).map(|v| !v),
            CondExpr::And(a, b) => {
                let a = self.eval(a, place);
                let b = self.eval(b, place);
                Some(a? && b?)
            }
            CondExpr::Or(a, b) => {
                let a = self.eval(a, place);
                let b = self.eval(b, place);
                Some(a? || b?)
            }
            CondExpr::Compare {
                left,
                op,
                right,
                span,
            } => {
                let left = self.operand(left, place, *span)?;
                let right = self.operand(right, place, *span)?;
                match super::compare::compare(&left, *op, &right) {
                    Ok(v) => Some(v),
                    Err(e) => {
                        self.out
                            .diagnostics
                            .push(place.error("condition", e.to_string(), *span));
                        None
                    }
                }
            }
            CondExpr::Value { text, span } => {
                if text.eq_ignore_ascii_case("true") {
                    Some(true)
                } else if text.eq_ignore_ascii_case("false") {
                    Some(false)
                } else {
                    self.out.diagnostics.push(place.error(
                        "condition",
                        format!("invalid boolean `{text}`: expected true or false, ${{bool}}, defined @{{var}} or a comparison"),
                        *span,
                    ));
                    None
                }
            }
            CondExpr::Invalid { text, span } => {
                self.out.diagnostics.push(place.error(
                    "condition",
                    format!("`{text}` is not a condition: expected true, false, ${{bool}}, defined @{{var}} or a comparison"),
                    *span,
                ));
                None
            }
        }
    }

    /// A side's value set: a variable's values (merged and sorted, as
    /// apparmor_parser keeps them in a set) or the one literal.
    fn operand(
        &mut self,
        operand: &Operand,
        place: &Arc<Place>,
        span: Span,
    ) -> Option<super::compare::ValueSet> {
        match operand {
            Operand::Literal(s) => Some(std::iter::once(s.clone()).collect()),
            Operand::Var(name) => match self.out.vars.values_for_condition(name) {
                Ok(v) => Some(v.into_iter().collect()),
                Err(e) => {
                    self.out
                        .diagnostics
                        .push(place.error("variable", e.to_string(), span));
                    None
                }
            },
        }
    }
}

fn canonical(path: &std::path::Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}
