//! One module per vector kind.

pub mod account;
pub mod megolm;
pub mod pickle;
pub mod sas_pk;
pub mod session;
