//! The syntax tree: what the text says, before includes, variables,
//! conditionals and aliases are resolved. Every node carries its [`Span`].

use super::Span;

/// One token of a rule, profile header or variable value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenKind {
    /// An unquoted word, as written (escapes kept).
    Word(String),
    /// A quoted string, without its quotes (escapes kept).
    Quoted(String),
    /// A word the lexer can only read as a name, though it is spelt in
    /// permission letters: one glued to a comment (`rw#c`). It may be a
    /// relative path (`rw#c` on one line, ` r,` on the next) but never
    /// permissions (`/a r#c` is an error).
    Name(String),
    /// `->`
    Arrow,
    /// `<=`
    Le,
    /// `key=value`, `key=(list)` or `key in (list)`.
    Cond {
        key: String,
        /// True for `in`, false for `=` and `:=`.
        is_in: bool,
        /// True for `:=` (only a network peer label takes it).
        assign: bool,
        value: Box<Token>,
    },
    /// `( ... )`: the items of a parenthesised list.
    List(Vec<Token>),
}

impl Token {
    /// The text of a word or quoted string.
    pub fn text(&self) -> Option<&str> {
        match &self.kind {
            TokenKind::Word(s) | TokenKind::Quoted(s) | TokenKind::Name(s) => Some(s),
            _ => None,
        }
    }

    /// The token a value stands for where 5.0.2 reads only the first item
    /// of a list (`ip=(1.2.3.4 x)`, `xattrs=(a=(x))`): a list's first item,
    /// else the token itself (an empty list included).
    pub fn first_of_list(&self) -> &Token {
        match &self.kind {
            TokenKind::List(items) => items.first().unwrap_or(self),
            _ => self,
        }
    }

    /// The text of an unquoted word.
    pub fn word(&self) -> Option<&str> {
        match &self.kind {
            TokenKind::Word(s) | TokenKind::Name(s) => Some(s),
            _ => None,
        }
    }
}

/// A top-level or block-level statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    Abi(Abi),
    Include(Include),
    VarDef(VarDef),
    BoolDef(BoolDef),
    Alias(Alias),
    If(IfBlock),
    QualifierBlock(QualifierBlock),
    Profile(ProfileDecl),
    Rule(RuleDecl),
}

impl Item {
    pub fn span(&self) -> Span {
        match self {
            Item::Abi(x) => x.span,
            Item::Include(x) => x.span,
            Item::VarDef(x) => x.span,
            Item::BoolDef(x) => x.span,
            Item::Alias(x) => x.span,
            Item::If(x) => x.span,
            Item::QualifierBlock(x) => x.span,
            Item::Profile(x) => x.span,
            Item::Rule(x) => x.span,
        }
    }
}

/// `abi <name>,` (`angle`) or `abi "name",`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Abi {
    pub name: String,
    pub angle: bool,
    pub span: Span,
}

/// How an include names its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IncludeTarget {
    /// `<name>`: searched in the include path, then the base directory.
    Angle(String),
    /// `"name"` or a bare `name`: a path, relative to the working directory.
    Path(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Include {
    pub target: IncludeTarget,
    /// `include if exists`: a missing file is silently skipped.
    pub if_exists: bool,
    pub span: Span,
}

/// Assignment operators of variables and booleans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VarOp {
    /// `=`
    Set,
    /// `+=`
    Append,
    /// `?=`: set only if not yet defined.
    SetDefault,
    /// `:=`: set, replacing any earlier definition of the name.
    Override,
}

/// `@{NAME} OP value ...`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VarDef {
    pub name: String,
    pub op: VarOp,
    pub values: Vec<Token>,
    pub span: Span,
}

/// `${NAME} OP EXPR`: the value is a condition (`true`, `not ${B}`,
/// `@{V} == x`, ...), evaluated where the assignment stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoolDef {
    pub name: String,
    pub op: VarOp,
    pub value: CondExpr,
    pub span: Span,
}

/// `alias FROM -> TO,`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    pub from: Token,
    pub to: Token,
    pub span: Span,
}

/// `if COND { ... } [else ...]`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IfBlock {
    pub cond: CondExpr,
    pub then: Vec<Item>,
    pub otherwise: Option<Else>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Else {
    If(Box<IfBlock>),
    Block(Vec<Item>),
}

/// Comparison operators of 5.0 conditionals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
}

/// One side of a comparison: a variable's value set, or one literal
/// value. A quoted `"@{V}"` names the variable too; `x@{V}` is literal
/// text (apparmor_parser looks a side up only when it is a variable
/// reference as a whole).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operand {
    Literal(String),
    Var(String),
}

impl Operand {
    /// The operand a side's text denotes: `@{NAME}`, `@NAME`, `${NAME}`
    /// or `$NAME` (even with an empty name, which then names nothing) is a
    /// variable, anything else a literal.
    pub fn from_text(text: &str) -> Operand {
        let Some(rest) = text.strip_prefix(['@', '$']) else {
            return Operand::Literal(text.to_string());
        };
        let name = match rest.strip_prefix('{') {
            Some(braced) => match braced.strip_suffix('}') {
                Some(name) => name,
                None => return Operand::Literal(text.to_string()),
            },
            None => rest,
        };
        let valid = name.is_empty()
            || (name.starts_with(|c: char| c.is_ascii_alphabetic())
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
        if valid {
            Operand::Var(name.to_string())
        } else {
            Operand::Literal(text.to_string())
        }
    }
}

/// A condition of `if` or the value of a boolean assignment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CondExpr {
    /// `${b}`
    Bool {
        name: String,
        span: Span,
    },
    /// `defined @{v}` or `defined ${v}`: whether a *set* variable of that
    /// name exists (apparmor_parser 5.0.2 ignores the sigil).
    Defined {
        name: String,
        span: Span,
    },
    Compare {
        left: Operand,
        op: CompareOp,
        right: Operand,
        span: Span,
    },
    /// A lone value: `true` or `false` in any case; anything else is an
    /// error reported by resolution.
    Value {
        text: String,
        span: Span,
    },
    Not(Box<CondExpr>),
    And(Box<CondExpr>, Box<CondExpr>),
    Or(Box<CondExpr>, Box<CondExpr>),
    /// A boolean assignment's value that is no expression (a syntax
    /// error, reported by resolution at the assignment).
    Invalid {
        text: String,
        span: Span,
    },
}

/// `QUALIFIERS { ... }`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QualifierBlock {
    pub qualifiers: Vec<Token>,
    pub items: Vec<Item>,
    pub span: Span,
}

/// The keyword in front of a profile header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfileKeyword {
    Profile,
    Hat,
}

/// A profile, hat or child profile: header tokens (name, attachment,
/// `xattrs=`, `flags=`), then the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileDecl {
    pub keyword: Option<ProfileKeyword>,
    pub header: Vec<Token>,
    pub items: Vec<Item>,
    pub span: Span,
}

/// A rule: its tokens (qualifiers included), without the final comma.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleDecl {
    pub tokens: Vec<Token>,
    pub span: Span,
}
