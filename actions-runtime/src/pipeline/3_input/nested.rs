//! Fields whose type is itself an input (`address: Address`, `lines: Vec<Line>`): validated
//! through that type, with paths continuing into it (`lines.2.sku`), when an input is built
//! in-process. (A decoded body was validated field by field as it decoded: see `fields`.)
//!
//! The macro cannot know whether a field's type is an input; the type system can. Generated
//! code calls `(&mut Nested(&mut field)).validate_nested(errors)`: method lookup tries the impls
//! on `Nested<T>` first, which exist only for inputs (and lists and options of them), and falls
//! back to the do-nothing impl on `&mut Nested<T>` (autoref specialization).

use crate::base::ActionInput;
use crate::error::FieldErrors;

/// A field, for [`Validate`] and [`Skip`].
#[allow(missing_debug_implementations)]
pub struct Nested<'a, T>(pub &'a mut T);

/// Validation of a field that is an input, or a list or option of inputs.
pub trait Validate {
    /// Validates the nested input(s).
    fn validate_nested(&mut self, errors: &mut FieldErrors);
}

impl<T: ActionInput> Validate for Nested<'_, T> {
    fn validate_nested(&mut self, errors: &mut FieldErrors) {
        self.0.validate(errors);
    }
}

impl<T: ActionInput> Validate for Nested<'_, Vec<T>> {
    fn validate_nested(&mut self, errors: &mut FieldErrors) {
        for (index, item) in self.0.iter_mut().enumerate() {
            errors.nested(index, |errors| item.validate(errors));
        }
    }
}

impl<T: ActionInput> Validate for Nested<'_, Option<T>> {
    fn validate_nested(&mut self, errors: &mut FieldErrors) {
        if let Some(item) = self.0 {
            item.validate(errors);
        }
    }
}

/// Any other field: nothing nested to validate.
pub trait Skip {
    /// Does nothing.
    fn validate_nested(&mut self, errors: &mut FieldErrors);
}

impl<T> Skip for &mut Nested<'_, T> {
    fn validate_nested(&mut self, _: &mut FieldErrors) {}
}
