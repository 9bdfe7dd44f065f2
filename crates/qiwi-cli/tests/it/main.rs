//! The integration tests of `qiwi-cli`, one module per area, linked as one binary.

mod agent_pay;
mod cli;
mod common;
mod e2e_agent;
mod e2e_agent_signed;
mod e2e_cards;
mod e2e_history;
mod e2e_invoices;
mod e2e_pay_kinds;
mod e2e_treezor;
mod e2e_wallet;
mod e2e_wallet_pay;
mod e2e_watch;
mod e2e_webhook;
mod exactly_once;
mod json_contract;
mod one_match;
mod out_file;
mod pay_answer_echo;
mod program;
mod secrets;
