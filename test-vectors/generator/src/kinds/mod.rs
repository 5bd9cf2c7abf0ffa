//! One module per vector kind.

pub mod account;
pub mod megolm;
pub mod session;
