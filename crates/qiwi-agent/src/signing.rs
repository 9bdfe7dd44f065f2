//! Request signatures (`X-Digital-Sign`, `X-Digital-Sign-Alg`), feature `signing`.
//!
//! The agent signs each request body with its RSA private key (QIWI holds the public key):
//! RSASSA-PKCS1-v1_5 over SHA-1 or MD5, which is what Java's `SHA1withRSA` and `MD5withRSA`
//! (the header's values) denote, Base64-encoded. The bytes signed are exactly the bytes sent.
//! With signatures the protocol does not use the password extra, so a client may be built
//! without a password.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use http::{HeaderName, HeaderValue};
use qiwi_transport::Request;
use rsa::RsaPrivateKey;
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs1v15;
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{SignatureEncoding, Signer};

use crate::error::Error;
use qiwi_types::InvalidValue;

/// The signature header.
pub const SIGNATURE_HEADER: &str = "x-digital-sign";
/// The header naming the algorithm.
pub const ALGORITHM_HEADER: &str = "x-digital-sign-alg";

/// The two algorithms the protocol names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignatureAlgorithm {
    /// `SHA1withRSA`: RSASSA-PKCS1-v1_5 with SHA-1.
    Sha1WithRsa,
    /// `MD5withRSA`: RSASSA-PKCS1-v1_5 with MD5.
    Md5WithRsa,
}

impl SignatureAlgorithm {
    /// The value of `X-Digital-Sign-Alg`.
    ///
    /// ```
    /// use qiwi_agent::signing::SignatureAlgorithm;
    /// assert_eq!(SignatureAlgorithm::Sha1WithRsa.header_value(), "SHA1withRSA");
    /// ```
    pub fn header_value(self) -> &'static str {
        match self {
            Self::Sha1WithRsa => "SHA1withRSA",
            Self::Md5WithRsa => "MD5withRSA",
        }
    }
}

impl fmt::Display for SignatureAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.header_value())
    }
}

#[derive(Clone)]
enum Key {
    Sha1(pkcs1v15::SigningKey<sha1::Sha1>),
    Md5(pkcs1v15::SigningKey<md5::Md5>),
}

/// The agent's RSA private key with the algorithm to sign with. `Debug` never shows the key.
#[derive(Clone)]
pub struct SigningKey {
    key: Key,
    algorithm: SignatureAlgorithm,
}

impl SigningKey {
    /// Reads a PEM private key: PKCS#8 (`BEGIN PRIVATE KEY`, what `openssl genrsa` writes
    /// today) or PKCS#1 (`BEGIN RSA PRIVATE KEY`).
    ///
    /// ```no_run
    /// use qiwi_agent::signing::{SignatureAlgorithm, SigningKey};
    /// let pem = std::fs::read_to_string("private.key").unwrap();
    /// let key = SigningKey::from_pem(&pem, SignatureAlgorithm::Sha1WithRsa)?;
    /// # Ok::<(), qiwi_agent::InvalidValue>(())
    /// ```
    ///
    /// # Errors
    /// [`InvalidValue`] when the text is not an unencrypted RSA private key in either form (the
    /// message does not repeat the key).
    pub fn from_pem(pem: &str, algorithm: SignatureAlgorithm) -> Result<Self, InvalidValue> {
        let private = RsaPrivateKey::from_pkcs8_pem(pem)
            .or_else(|_| RsaPrivateKey::from_pkcs1_pem(pem))
            .map_err(|_| {
                InvalidValue::new(
                    "signing key",
                    "expected an unencrypted RSA private key in PEM (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY)",
                )
            })?;
        let key = match algorithm {
            SignatureAlgorithm::Sha1WithRsa => Key::Sha1(pkcs1v15::SigningKey::new(private)),
            SignatureAlgorithm::Md5WithRsa => Key::Md5(pkcs1v15::SigningKey::new(private)),
        };
        Ok(Self { key, algorithm })
    }

    /// The algorithm.
    pub fn algorithm(&self) -> SignatureAlgorithm {
        self.algorithm
    }

    /// The Base64 signature of `body`, the value of `X-Digital-Sign`.
    ///
    /// ```no_run
    /// # use qiwi_agent::signing::{SignatureAlgorithm, SigningKey};
    /// # let key = SigningKey::from_pem("", SignatureAlgorithm::Sha1WithRsa)?;
    /// let signature = key.sign(b"<request>...</request>")?;
    /// # Ok::<(), qiwi_agent::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::NotSent`] when the key cannot sign (a key too small for the digest).
    pub fn sign(&self, body: &[u8]) -> Result<String, Error> {
        let signature = match &self.key {
            Key::Sha1(key) => key.try_sign(body).map(|s| s.to_vec()),
            Key::Md5(key) => key.try_sign(body).map(|s| s.to_vec()),
        }
        .map_err(|_| Error::configuration("the signing key could not sign the request"))?;
        Ok(STANDARD.encode(signature))
    }

    /// Adds the two signature headers for the request's body.
    pub(crate) fn sign_request(&self, request: Request) -> Result<Request, Error> {
        let signature = self.sign(&request.body)?;
        let value = HeaderValue::from_str(&signature)
            .map_err(|_| Error::configuration("the signature is not a valid header value"))?;
        Ok(request
            .header(HeaderName::from_static(SIGNATURE_HEADER), value)
            .header(
                HeaderName::from_static(ALGORITHM_HEADER),
                HeaderValue::from_static(self.algorithm.header_value()),
            ))
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "SigningKey {{ algorithm: {}, key: [REDACTED] }}",
            self.algorithm
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/signing");

    fn read(name: &str) -> String {
        std::fs::read_to_string(format!("{FIXTURES}/{name}")).unwrap()
    }

    #[test]
    fn signatures_match_openssl_for_both_algorithms_and_key_forms() {
        let body = std::fs::read(format!("{FIXTURES}/signed_body.xml")).unwrap();
        for key_file in ["test_private_key.pem", "test_private_key_pkcs1.pem"] {
            for (algorithm, expected) in [
                (
                    SignatureAlgorithm::Sha1WithRsa,
                    "signed_body.sha1withrsa.b64",
                ),
                (SignatureAlgorithm::Md5WithRsa, "signed_body.md5withrsa.b64"),
            ] {
                let key = SigningKey::from_pem(&read(key_file), algorithm).unwrap();
                assert_eq!(
                    key.sign(&body).unwrap(),
                    read(expected).trim(),
                    "{key_file} {algorithm}"
                );
            }
        }
    }

    #[test]
    fn debug_hides_the_key_and_bad_pem_is_refused_quietly() {
        let key = SigningKey::from_pem(
            &read("test_private_key.pem"),
            SignatureAlgorithm::Sha1WithRsa,
        )
        .unwrap();
        assert_eq!(
            format!("{key:?}"),
            "SigningKey { algorithm: SHA1withRSA, key: [REDACTED] }"
        );
        let public = read("test_public_key.pem");
        let err = SigningKey::from_pem(&public, SignatureAlgorithm::Sha1WithRsa).unwrap_err();
        assert!(!err.to_string().contains("MII"), "{err}");
        assert!(SigningKey::from_pem("garbage", SignatureAlgorithm::Md5WithRsa).is_err());
    }
}
