//! Replay detection for Megolm, which the protocol leaves to the application
//! (docs/megolm.md, "Message Replays").

use alloc::{collections::BTreeMap, string::String};

/// Remembers which message used each (session, index) pair, so that a copy
/// of an old message sent again (by a malicious server, say) is refused.
///
/// A message is named by an identifier from its transport (in Matrix, the
/// event id): decrypting the same event twice is fine, while a second event
/// at an index already taken is a replay. Memory grows by one entry per
/// accepted message; call [`forget_session`](Self::forget_session) when a
/// session is discarded.
#[derive(Debug, Clone, Default)]
pub struct ReplayGuard {
    seen: BTreeMap<String, BTreeMap<u32, String>>,
}

/// A message index that another message already used in the same session:
/// the message is a replay and must be discarded, even though it decrypted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "message index {message_index} of session {session_id} was already used by message {first_message_id}: this is a replay"
)]
pub struct ReplayError {
    /// The session.
    pub session_id: String,
    /// The index used twice.
    pub message_index: u32,
    /// The message that used the index first.
    pub first_message_id: String,
}

impl ReplayGuard {
    /// An empty guard.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records that `message_id` decrypted at `message_index` in
    /// `session_id`. Fails, recording nothing, if another message already
    /// did.
    pub fn record(&mut self, session_id: &str, message_index: u32, message_id: &str) -> Result<(), ReplayError> {
        let indices = match self.seen.get_mut(session_id) {
            Some(indices) => indices,
            None => self.seen.entry(String::from(session_id)).or_default(),
        };
        match indices.get(&message_index) {
            Some(first) if first != message_id => Err(ReplayError {
                session_id: String::from(session_id),
                message_index,
                first_message_id: first.clone(),
            }),
            Some(_) => Ok(()),
            None => {
                indices.insert(message_index, String::from(message_id));
                Ok(())
            }
        }
    }

    /// Drops everything recorded for `session_id`.
    pub fn forget_session(&mut self, session_id: &str) {
        self.seen.remove(session_id);
    }

    /// The number of recorded messages.
    pub fn len(&self) -> usize {
        self.seen.values().map(BTreeMap::len).sum()
    }

    /// Whether nothing is recorded.
    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replays_are_refused() {
        let mut guard = ReplayGuard::new();
        assert!(guard.is_empty());
        guard.record("s1", 0, "$a").unwrap();
        assert!(!guard.is_empty());
        guard.record("s1", 1, "$b").unwrap();
        guard.record("s2", 0, "$c").unwrap();
        // The same event again is not a replay.
        guard.record("s1", 0, "$a").unwrap();
        let error = guard.record("s1", 0, "$evil").unwrap_err();
        assert_eq!(error.message_index, 0);
        assert_eq!(error.first_message_id, "$a");
        assert_eq!(guard.len(), 3);
        guard.forget_session("s1");
        assert_eq!(guard.len(), 1);
        guard.record("s1", 0, "$evil").unwrap();
        guard.forget_session("s1");
        guard.forget_session("s2");
        assert!(guard.is_empty());
    }
}
