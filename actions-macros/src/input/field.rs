//! The grammar of `#[field(...)]`, the refinements of one input field:
//!
//! `trim`, `lowercase`, `email`, `url`, `uuid`, `min_length = n`, `max_length = n`, `min = n`,
//! `max = n`, `pattern = "regex"`, `one_of("a", "b")`, `custom = path`.

use crate::errors::Errors;
use syn::meta::ParseNestedMeta;
use syn::{Attribute, Expr, LitStr, Path, Token};

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
    /// Takes every `#[field(...)]` out of `attrs`, parsing the rules.
    pub(crate) fn take(attrs: &mut Vec<Attribute>, errors: &mut Errors) -> FieldRules {
        let mut rules = FieldRules::default();
        attrs.retain(|attr| {
            if !attr.path().is_ident("field") {
                return true;
            }
            if let Err(error) = attr.parse_nested_meta(|meta| rules.parse_key(&meta)) {
                errors.push(error);
            }
            false
        });
        rules
    }

    fn parse_key(&mut self, meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
        let flag = |slot: &mut bool| {
            if *slot {
                Err(meta.error("specified more than once"))
            } else {
                *slot = true;
                Ok(())
            }
        };
        let name = meta
            .path
            .get_ident()
            .map(ToString::to_string)
            .unwrap_or_default();
        if ["email", "url", "uuid", "pattern"].contains(&name.as_str())
            && let Some(other) = self.shape_rule()
            && other != name
        {
            return Err(meta.error(format!(
                "`{name}` and `{other}` cannot both apply: each one sets the field's pattern; \
                 keep one and check the rest with `custom = path`"
            )));
        }
        match name.as_str() {
            "trim" => flag(&mut self.trim),
            "lowercase" => flag(&mut self.lowercase),
            "email" => flag(&mut self.email),
            "url" => flag(&mut self.url),
            "uuid" => flag(&mut self.uuid),
            "min_length" => set(&mut self.min_length, meta.value()?.parse()?, meta),
            "max_length" => set(&mut self.max_length, meta.value()?.parse()?, meta),
            "min" => set(&mut self.min, meta.value()?.parse()?, meta),
            "max" => set(&mut self.max, meta.value()?.parse()?, meta),
            "pattern" => set(&mut self.pattern, meta.value()?.parse()?, meta),
            "custom" => set(&mut self.custom, meta.value()?.parse()?, meta),
            "one_of" => {
                let content;
                syn::parenthesized!(content in meta.input);
                let choices = content.parse_terminated(|input| input.parse::<LitStr>(), Token![,])?;
                set(&mut self.one_of, choices.into_iter().collect(), meta)
            }
            _ => Err(meta.error(
                "expected one of: `trim`, `lowercase`, `email`, `url`, `uuid`, `min_length`, `max_length`, `min`, `max`, `pattern`, `one_of`, `custom`",
            )),
        }
    }
}

impl FieldRules {
    /// The one rule that sets the field's JSON Schema `pattern`, if any.
    fn shape_rule(&self) -> Option<&'static str> {
        [
            (self.email, "email"),
            (self.url, "url"),
            (self.uuid, "uuid"),
            (self.pattern.is_some(), "pattern"),
        ]
        .into_iter()
        .find_map(|(on, name)| on.then_some(name))
    }
}

fn set<T>(slot: &mut Option<T>, value: T, meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
    if slot.is_some() {
        return Err(meta.error("specified more than once"));
    }
    *slot = Some(value);
    Ok(())
}
