//! Tests of each module of `qiwi-types` through its public interface.

#[cfg(feature = "agent")]
mod agent_amount;
#[cfg(feature = "agent")]
mod agent_codes;
#[cfg(feature = "agent")]
mod agent_ids;
#[cfg(feature = "agent")]
mod agent_model;
#[cfg(feature = "agent")]
mod agent_text;
mod card;
mod date;
mod excerpt;
mod invalid;
mod lenient;
mod money;
mod open_enum;
mod time;
#[cfg(feature = "treezor")]
mod treezor_balance;
#[cfg(feature = "treezor")]
mod treezor_history;
#[cfg(feature = "treezor")]
mod treezor_ids;
#[cfg(feature = "wallet")]
mod wallet_account;
#[cfg(feature = "wallet")]
mod wallet_identification;
#[cfg(feature = "wallet")]
mod wallet_json_value;
mod wallet_number;
#[cfg(feature = "wallet")]
mod wallet_payment;
