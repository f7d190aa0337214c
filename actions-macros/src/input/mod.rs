//! `#[input]` on a struct: attribute grammar (`attr`), field rules (`field`), the table read
//! from the schema file (`table`), their agreement (`model`) and code generation (`expand`).

pub(crate) mod attr;
mod expand;
mod field;
mod model;
mod sql;
mod table;

pub(crate) use expand::expand;
pub(crate) use model::build;

#[cfg(test)]
mod tests;
