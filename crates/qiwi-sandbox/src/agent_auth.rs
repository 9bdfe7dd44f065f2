//! Agent authentication, as the real service does it: the terminal id with the password extra,
//! or with a request signature (`X-Digital-Sign`, the Base64 RSASSA-PKCS1-v1_5 signature of
//! the exact body bytes; `X-Digital-Sign-Alg`, `SHA1withRSA` or `MD5withRSA`) checked against
//! the agent's public key. A signed request does not need the password.

use axum::http::HeaderMap;
use axum::response::Response;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rsa::RsaPublicKey;
use rsa::pkcs1::DecodeRsaPublicKey;
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::pkcs8::DecodePublicKey;
use rsa::signature::Verifier;

use crate::agent_api::error_response;
use crate::state::AgentState;
use crate::xml::{self, Element};

const SIGNATURE: &str = "x-digital-sign";
const ALGORITHM: &str = "x-digital-sign-alg";

/// Reads a PEM public key: SPKI (`BEGIN PUBLIC KEY`, what `openssl rsa -pubout` writes) or
/// PKCS#1 (`BEGIN RSA PUBLIC KEY`).
pub(crate) fn parse_public_key(pem: &str) -> Result<RsaPublicKey, String> {
    RsaPublicKey::from_public_key_pem(pem.trim())
        .or_else(|_| RsaPublicKey::from_pkcs1_pem(pem.trim()))
        .map_err(|_| {
            "expected an RSA public key in PEM (BEGIN PUBLIC KEY or BEGIN RSA PUBLIC KEY)".into()
        })
}

/// Reads an agent request and checks who sent it: its root element, or the protocol's answer
/// to a malformed document (result code 300) or to a sender it does not know (150, fatal).
pub(crate) fn request(
    agent: &AgentState,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Element, Response> {
    let root = match xml::parse(body) {
        Ok(root) if root.name == "request" => root,
        Ok(_) => {
            return Err(error_response(
                300,
                true,
                "The root element must be <request>",
            ));
        }
        Err(e) => {
            return Err(error_response(
                300,
                true,
                &format!("Malformed request: {}", e.0),
            ));
        }
    };
    check(agent, headers, body, &root)?;
    Ok(root)
}

/// Checks who sent `root`, whose exact bytes are `body`.
fn check(
    agent: &AgentState,
    headers: &HeaderMap,
    body: &[u8],
    root: &Element,
) -> Result<(), Response> {
    let refuse = |message: &str| Err(error_response(150, true, message));
    if root.child_text("terminal-id") != Some(agent.terminal_id.as_str()) {
        return refuse("Authorization error: check the agent id and password");
    }
    if headers.contains_key(SIGNATURE) {
        return match verify(agent.public_key.as_ref(), headers, body) {
            Ok(()) => Ok(()),
            Err(message) => refuse(message),
        };
    }
    if root.extra("password") == Some(agent.password.as_str()) {
        Ok(())
    } else {
        refuse("Authorization error: check the agent id and password")
    }
}

fn verify(
    key: Option<&RsaPublicKey>,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(), &'static str> {
    let key = key.ok_or("Authorization error: no signature key is registered for this agent")?;
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    let signature = header(SIGNATURE)
        .and_then(|s| STANDARD.decode(s).ok())
        .and_then(|bytes| Signature::try_from(bytes.as_slice()).ok())
        .ok_or("Authorization error: the X-Digital-Sign header is not a Base64 signature")?;
    let verified = match header(ALGORITHM) {
        Some(alg) if alg.eq_ignore_ascii_case("SHA1withRSA") => {
            VerifyingKey::<sha1::Sha1>::new(key.clone()).verify(body, &signature)
        }
        Some(alg) if alg.eq_ignore_ascii_case("MD5withRSA") => {
            VerifyingKey::<md5::Md5>::new(key.clone()).verify(body, &signature)
        }
        _ => {
            return Err(
                "Authorization error: X-Digital-Sign-Alg must be SHA1withRSA or MD5withRSA",
            );
        }
    };
    verified.map_err(|_| "Authorization error: the request signature does not verify")
}
