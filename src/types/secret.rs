//! A heap box for secret bytes that is wiped when dropped.
//!
//! Secrets live on the heap so that moving the structs that hold them does
//! not leave copies behind on the stack; `zeroize` has no impl for boxed
//! arrays, hence this small type.

use alloc::boxed::Box;
use core::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop};

/// `N` secret bytes on the heap, wiped on drop, never printed.
#[derive(Clone)]
pub(crate) struct SecretBox<const N: usize>(Box<[u8; N]>);

impl<const N: usize> SecretBox<N> {
    pub(crate) fn new(bytes: &[u8; N]) -> Self {
        Self(Box::new(*bytes))
    }

    pub(crate) fn zeroed() -> Self {
        Self(Box::new([0; N]))
    }

    #[allow(dead_code)]
    pub(crate) fn as_bytes(&self) -> &[u8; N] {
        &self.0
    }

    pub(crate) fn as_mut_bytes(&mut self) -> &mut [u8; N] {
        &mut self.0
    }
}

impl<const N: usize> Zeroize for SecretBox<N> {
    fn zeroize(&mut self) {
        self.0.as_mut_slice().zeroize();
    }
}

impl<const N: usize> Drop for SecretBox<N> {
    fn drop(&mut self) {
        self.zeroize();
    }
}

impl<const N: usize> ZeroizeOnDrop for SecretBox<N> {}

impl<const N: usize> fmt::Debug for SecretBox<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretBox<{N}> {{ .. }}")
    }
}
