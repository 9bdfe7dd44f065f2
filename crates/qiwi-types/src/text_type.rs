//! What every text value type shows the same way.

/// Implements, for a newtype over `String`: `as_str`, `AsRef<str>`, `Display` (the text),
/// `Debug` (`Name(text)`) and, given the type's checked constructor, `FromStr` through it.
/// A type whose text must not be shown whole (a card number) writes its own.
macro_rules! text_type {
    ($name:ident $(, from_str = $check:path)?) => {
        impl $name {
            /// The text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, concat!(stringify!($name), "({})"), self.0)
            }
        }

        $(impl std::str::FromStr for $name {
            type Err = $crate::InvalidValue;
            fn from_str(text: &str) -> Result<Self, $crate::InvalidValue> {
                $check(text)
            }
        })?
    };
}

pub(crate) use text_type;
