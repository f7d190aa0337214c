//! The Rust type a column's SQL type travels as, when the schema file names a SQL type the
//! runtime maps (`Text` → `String`, `Nullable<Int8>` → `Option<i64>`), so a derived field reads
//! as what it is in rustdoc and rust-analyzer. A generated assertion ties it to
//! `Wire<<table::col as Expression>::SqlType>`, which the compiler resolves from the `table!`
//! itself; a SQL type not listed here (an enum of the app's) keeps that `Wire<…>` form.

use proc_macro2::TokenStream;
use quote::quote;
use syn::Type;

/// The Rust type of SQL type `sql`, as the runtime's `WireType` maps it, if known.
pub(crate) fn rust_type(sql: &Type, private: &TokenStream) -> Option<TokenStream> {
    let Type::Path(path) = sql else { return None };
    let last = path.path.segments.last()?;
    let name = last.ident.to_string();
    if name == "Nullable" {
        let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
            return None;
        };
        let inner = args.args.iter().find_map(|arg| match arg {
            syn::GenericArgument::Type(ty) => Some(ty),
            _ => None,
        })?;
        let inner = rust_type(inner, private)?;
        return Some(quote!(::core::option::Option<#inner>));
    }
    if !last.arguments.is_empty() {
        return None;
    }
    Some(match name.as_str() {
        "SmallInt" | "Int2" => quote!(i16),
        "Integer" | "Int4" => quote!(i32),
        "BigInt" | "Int8" => quote!(i64),
        "Float" | "Float4" => quote!(f32),
        "Double" | "Float8" => quote!(f64),
        "Text" | "Varchar" | "VarChar" => quote!(::std::string::String),
        "Bool" => quote!(bool),
        "Binary" | "Bytea" => quote!(::std::vec::Vec<u8>),
        "Numeric" | "Decimal" => quote!(#private::Decimal),
        "Timestamp" | "Timestamptz" => quote!(#private::Timestamp),
        "Date" => quote!(#private::chrono::NaiveDate),
        "Time" => quote!(#private::chrono::NaiveTime),
        "Uuid" => quote!(#private::uuid::Uuid),
        "Json" | "Jsonb" => quote!(#private::serde_json::Value),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::rust_type;
    use quote::quote;

    #[test]
    fn known_sql_types_read_as_rust_types() {
        let private = quote!(p);
        let read = |sql: syn::Type| rust_type(&sql, &private).map(|t| t.to_string());
        assert_eq!(read(syn::parse_quote!(Int8)).as_deref(), Some("i64"));
        assert_eq!(
            read(syn::parse_quote!(Nullable<Text>)).as_deref(),
            Some(":: core :: option :: Option < :: std :: string :: String >")
        );
        assert_eq!(
            read(syn::parse_quote!(diesel::sql_types::Bool)).as_deref(),
            Some("bool")
        );
        assert_eq!(read(syn::parse_quote!(Mood)), None);
        assert_eq!(read(syn::parse_quote!(Nullable<Mood>)), None);
    }
}
