//! Kinds `megolm` and `megolm_inbound` (pending).
