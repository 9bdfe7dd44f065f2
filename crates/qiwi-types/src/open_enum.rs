//! Forward-compatible server enums.

/// Declares a server enum that never fails on a value it does not know.
///
/// The enum is `#[non_exhaustive]`, gets an `Unknown(String)` variant holding any other value,
/// reads from a JSON string or number, writes the wire text back, and displays it.
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
                $crate::lenient::string_or_number(d).map(|text| Self::from(text.as_str()))
            }
        }
    };
}

#[cfg(test)]
mod tests {
    crate::open_enum! {
        /// A test enum.
        pub enum Status {
            /// Waiting.
            Waiting = "WAITING",
            /// Done.
            Success = "SUCCESS",
        }
    }

    #[test]
    fn known_and_unknown_values_round_trip() {
        for (json, expected) in [
            (r#""WAITING""#, Status::Waiting),
            (r#""SUCCESS""#, Status::Success),
            (r#""REFUNDED""#, Status::Unknown("REFUNDED".into())),
            ("7", Status::Unknown("7".into())),
        ] {
            let parsed: Status = serde_json::from_str(json).unwrap();
            assert_eq!(parsed, expected);
            let back = serde_json::to_string(&parsed).unwrap();
            assert_eq!(back.trim_matches('"'), json.trim_matches('"'));
        }
        assert_eq!(Status::KNOWN.len(), 2);
        assert!(Status::from("x").is_unknown());
    }
}
