//! Forward-compatible server enums.

/// Declares a server enum that never fails on a value it does not know.
///
/// Two forms, one shape: the enum is `#[non_exhaustive]` and keeps any other value in its
/// `Unknown` variant.
///
/// - Text codes (`Full = "FULL"`): `Unknown(String)`; reads from a JSON string or number,
///   writes the wire text back, and displays it.
/// - Integer codes (`enum Code: i32 { Ok = 0, "ok", "no error"; ... _ = "unknown code"; }`):
///   `Unknown(i32)`; each code has a stable name and a description (the last line gives the
///   description of an unknown code); `from_code`, `code`, `name`, `description`, `is_ok`;
///   writes `{"code", "name"}` and displays `code (description)`.
///
/// ```
/// qiwi_types::open_enum! {
///     /// How far the owner's identity has been checked.
///     pub enum Level {
///         /// Not identified.
///         Anonymous = "ANONYMOUS",
///         /// Fully identified.
///         Full = "FULL",
///     }
/// }
///
/// let level: Level = serde_json::from_str(r#""FULL""#).unwrap();
/// assert_eq!(level, Level::Full);
/// let newer: Level = serde_json::from_str(r#""PLATINUM""#).unwrap();
/// assert_eq!(newer, Level::Unknown("PLATINUM".into()));
/// assert_eq!(newer.as_str(), "PLATINUM");
/// ```
#[macro_export]
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident : i32 {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal, $wire_name:literal, $text:literal; )+
            _ = $unknown_text:literal;
        }
    ) => {
        $(#[$meta])*
        #[non_exhaustive]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A code this version does not know, kept as sent.
            Unknown(i32),
        }

        impl $name {
            /// The value for a code; any code not listed is kept in `Unknown`.
            pub fn from_code(code: i32) -> Self {
                match code {
                    $( $code => Self::$variant, )+
                    other => Self::Unknown(other),
                }
            }

            /// The number.
            pub fn code(self) -> i32 {
                match self {
                    $( Self::$variant => $code, )+
                    Self::Unknown(code) => code,
                }
            }

            /// A stable `snake_case` name (`other` for an unknown code).
            pub fn name(self) -> &'static str {
                match self {
                    $( Self::$variant => $wire_name, )+
                    Self::Unknown(_) => "other",
                }
            }

            /// What the code means, in English.
            pub fn description(self) -> &'static str {
                match self {
                    $( Self::$variant => $text, )+
                    Self::Unknown(_) => $unknown_text,
                }
            }

            /// Whether the code is `0`.
            pub fn is_ok(self) -> bool {
                self.code() == 0
            }
        }

        impl ::std::convert::From<i32> for $name {
            fn from(code: i32) -> Self {
                Self::from_code(code)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(f, "{} ({})", self.code(), self.description())
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                use $crate::__private::serde::ser::SerializeStruct as _;
                let mut st = s.serialize_struct(stringify!($name), 2)?;
                st.serialize_field("code", &self.code())?;
                st.serialize_field("name", self.name())?;
                st.end()
            }
        }
    };
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[non_exhaustive]
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version does not know, kept as the server wrote it.
            Unknown(::std::string::String),
        }

        impl $name {
            /// Every value this version knows.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),+];

            /// The text the server writes for this value.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )+
                    $name::Unknown(other) => other.as_str(),
                }
            }

            /// Whether this is a value the server added after this version was written.
            pub fn is_unknown(&self) -> bool {
                matches!(self, $name::Unknown(_))
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(text: &str) -> Self {
                match text {
                    $( $wire => $name::$variant, )+
                    other => $name::Unknown(other.to_owned()),
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(text: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self::from(text))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                $crate::lenient::with_text(d, |text: &str| Self::from(text))
            }
        }
    };
}
