//! Megolm: the group ratchet that encrypts Matrix room messages (libolm's
//! `docs/megolm.md`).
