//! The grammar of `#[field(...)]`, the refinements of one input field:
//!
//! `trim`, `lowercase`, `email`, `url`, `uuid`, `min_length = n`, `max_length = n`, `min = n`,
//! `max = n`, `pattern = "regex"`, `one_of("a", "b")`, `custom = path`.

use crate::errors::Errors;
use crate::grammar::{self, Key, key_list, key_value, kw, set_flag, set_once};
use syn::parse::{Parse, ParseStream};
use syn::{Attribute, Expr, LitStr, Path};

/// The rules written on one field.
#[derive(Default, Clone)]
pub(crate) struct FieldRules {
    pub(crate) trim: bool,
    pub(crate) lowercase: bool,
    pub(crate) email: bool,
    pub(crate) url: bool,
    pub(crate) uuid: bool,
    pub(crate) min_length: Option<Expr>,
    pub(crate) max_length: Option<Expr>,
    pub(crate) min: Option<Expr>,
    pub(crate) max: Option<Expr>,
    pub(crate) pattern: Option<LitStr>,
    pub(crate) one_of: Option<Vec<LitStr>>,
    pub(crate) custom: Option<Path>,
}

impl FieldRules {
    /// Takes every `#[field(...)]` out of `attrs`, parsing the rules and recording every error.
    pub(crate) fn take(attrs: &mut Vec<Attribute>, errors: &mut Errors) -> FieldRules {
        let mut rules = FieldRules::default();
        attrs.retain(|attr| {
            if !attr.path().is_ident("field") {
                return true;
            }
            match &attr.meta {
                syn::Meta::List(list) => {
                    grammar::parse_keys(list.tokens.clone(), errors, |input, errors| {
                        rules.parse_key(input, errors)
                    });
                }
                meta => errors.spanned(
                    meta,
                    "expected `#[field(rule, …)]`, like `#[field(trim, max_length = 80)]`",
                ),
            }
            false
        });
        rules
    }

    fn parse_key(&mut self, input: ParseStream<'_>, errors: &mut Errors) -> syn::Result<()> {
        let lookahead = input.lookahead1();
        if lookahead.peek(kw::trim) {
            set_flag(&mut self.trim, input.parse::<kw::trim>()?, errors);
        } else if lookahead.peek(kw::lowercase) {
            set_flag(&mut self.lowercase, input.parse::<kw::lowercase>()?, errors);
        } else if lookahead.peek(kw::email) {
            let key = self.shape_rule::<kw::email>(input)?;
            set_flag(&mut self.email, key, errors);
        } else if lookahead.peek(kw::url) {
            let key = self.shape_rule::<kw::url>(input)?;
            set_flag(&mut self.url, key, errors);
        } else if lookahead.peek(kw::uuid) {
            let key = self.shape_rule::<kw::uuid>(input)?;
            set_flag(&mut self.uuid, key, errors);
        } else if lookahead.peek(kw::min_length) {
            let (key, value) = key_value::<kw::min_length, _>(input, "a length", "1")?;
            set_once(&mut self.min_length, key, value, errors);
        } else if lookahead.peek(kw::max_length) {
            let (key, value) = key_value::<kw::max_length, _>(input, "a length", "80")?;
            set_once(&mut self.max_length, key, value, errors);
        } else if lookahead.peek(kw::min) {
            let (key, value) = key_value::<kw::min, _>(input, "a number", "0")?;
            set_once(&mut self.min, key, value, errors);
        } else if lookahead.peek(kw::max) {
            let (key, value) = key_value::<kw::max, _>(input, "a number", "100")?;
            set_once(&mut self.max, key, value, errors);
        } else if lookahead.peek(kw::pattern) {
            self.shape_rule::<kw::pattern>(&input.fork())?;
            let (key, value) = key_value::<kw::pattern, _>(input, "a string", "\"^[a-z]+$\"")?;
            set_once(&mut self.pattern, key, value, errors);
        } else if lookahead.peek(kw::one_of) {
            let (key, choices) = key_list::<kw::one_of, _>(input, <LitStr as Parse>::parse)?;
            set_once(&mut self.one_of, key, choices, errors);
        } else if lookahead.peek(kw::custom) {
            let (key, value) = key_value::<kw::custom, _>(input, "a function path", "check_slug")?;
            set_once(&mut self.custom, key, value, errors);
        } else {
            return Err(lookahead.error());
        }
        Ok(())
    }

    /// Reads `K`, one of the rules that set the field's JSON Schema `pattern`, refusing it when
    /// another of them was given already.
    fn shape_rule<K: Key>(&self, input: ParseStream<'_>) -> syn::Result<K> {
        let key: K = input.parse()?;
        match self.pattern_rule() {
            Some(other) if other != K::NAME => Err(syn::Error::new(
                key.span(),
                format!(
                    "`{}` and `{other}` cannot both apply: each one sets the field's pattern; \
                     keep one and check the rest with `custom = path`",
                    K::NAME
                ),
            )),
            _ => Ok(key),
        }
    }

    /// The one rule that sets the field's JSON Schema `pattern`, if any.
    fn pattern_rule(&self) -> Option<&'static str> {
        [
            (self.email, kw::email::NAME),
            (self.url, kw::url::NAME),
            (self.uuid, kw::uuid::NAME),
            (self.pattern.is_some(), kw::pattern::NAME),
        ]
        .into_iter()
        .find_map(|(on, name)| on.then_some(name))
    }
}
