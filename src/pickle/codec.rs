//! The byte-level reader and writer for both pickle formats: libolm's
//! big-endian `u32`s and one-byte booleans, and our varints.

// Without `libolm-compat`, the parts shared with libolm's format go unused.
#![cfg_attr(not(feature = "libolm-compat"), allow(dead_code, unused_imports))]

use alloc::vec::Vec;

use zeroize::Zeroizing;

use super::PickleError;
use crate::{
    ct,
    encoding::varint::{read_varint, varint_len, write_varint},
};

/// Appends fields to a buffer that is wiped when dropped, or only counts
/// them.
pub(crate) struct Writer {
    sink: Sink,
}

enum Sink {
    Buffer(Zeroizing<Vec<u8>>),
    /// Counting gives a pickle's exact length from the same code that writes
    /// it, without copying a single secret byte.
    Count(usize),
}

impl Writer {
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        Self {
            sink: Sink::Buffer(Zeroizing::new(Vec::with_capacity(capacity))),
        }
    }

    /// A writer that keeps nothing and counts the bytes it is given.
    pub(crate) fn counter() -> Self {
        Self { sink: Sink::Count(0) }
    }

    /// The bytes `write` writes, in a buffer of exactly their length: the
    /// same code counts them first, so the buffer never grows.
    pub(crate) fn exact(write: impl Fn(&mut Self)) -> Zeroizing<Vec<u8>> {
        let mut counter = Self::counter();
        write(&mut counter);
        let mut w = Self::with_capacity(counter.len());
        write(&mut w);
        w.into_bytes()
    }

    /// Appends `len` bytes that `fill` writes. A `Vec` that grows by itself
    /// copies its contents and frees the old buffer without wiping it, so
    /// the buffer is replaced here and the old one dropped through
    /// `Zeroizing`.
    fn append(&mut self, len: usize, fill: impl FnOnce(&mut Vec<u8>)) {
        match &mut self.sink {
            Sink::Count(count) => *count = count.saturating_add(len),
            Sink::Buffer(buffer) => {
                let needed = buffer.len().saturating_add(len);
                if needed > buffer.capacity() {
                    let mut grown = Zeroizing::new(Vec::with_capacity(needed.max(2 * buffer.capacity())));
                    grown.extend_from_slice(buffer);
                    *buffer = grown;
                }
                fill(buffer);
            }
        }
    }

    pub(crate) fn bytes(&mut self, bytes: &[u8]) {
        self.append(bytes.len(), |buffer| buffer.extend_from_slice(bytes));
    }

    pub(crate) fn u8(&mut self, value: u8) {
        self.append(1, |buffer| buffer.push(value));
    }

    pub(crate) fn bool(&mut self, value: bool) {
        self.u8(value.into());
    }

    /// libolm's `u32`: four bytes, big-endian.
    pub(crate) fn u32_be(&mut self, value: u32) {
        self.bytes(&value.to_be_bytes());
    }

    /// Our integers: a protobuf-style varint.
    pub(crate) fn varint(&mut self, value: u64) {
        self.append(varint_len(value), |buffer| write_varint(buffer, value));
    }

    /// The number of bytes written or counted so far.
    pub(crate) fn len(&self) -> usize {
        match &self.sink {
            Sink::Buffer(buffer) => buffer.len(),
            Sink::Count(count) => *count,
        }
    }

    /// The bytes written; empty for a counter.
    pub(crate) fn into_bytes(self) -> Zeroizing<Vec<u8>> {
        match self.sink {
            Sink::Buffer(buffer) => buffer,
            Sink::Count(_) => Zeroizing::new(Vec::new()),
        }
    }
}

/// Reads fields from the front of a decrypted pickle.
pub(crate) struct Reader<'a> {
    input: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(crate) fn new(input: &'a [u8]) -> Self {
        Self { input }
    }

    pub(crate) fn bytes(&mut self, len: usize) -> Result<&'a [u8], PickleError> {
        if len > self.input.len() {
            return Err(PickleError::Truncated);
        }
        let (head, rest) = self.input.split_at(len);
        self.input = rest;
        Ok(head)
    }

    pub(crate) fn array<const N: usize>(&mut self) -> Result<&'a [u8; N], PickleError> {
        self.bytes(N)?.try_into().map_err(|_| PickleError::Truncated)
    }

    /// Framing bytes: tags, flags, counts, versions, indices. Every integer
    /// read here is public (the protocol or the pickle's length reveals it),
    /// unlike the key bytes read with `bytes` and `array`.
    fn framing(&mut self, len: usize) -> Result<&'a [u8], PickleError> {
        let bytes = self.bytes(len)?;
        ct::public_bytes(bytes);
        Ok(bytes)
    }

    /// A public key: public, unlike the secret keys read with `array`.
    pub(crate) fn public_key(&mut self) -> Result<[u8; 32], PickleError> {
        self.framing(32)?.try_into().map_err(|_| PickleError::Truncated)
    }

    pub(crate) fn u8(&mut self) -> Result<u8, PickleError> {
        let [byte] = self.framing(1)? else {
            return Err(PickleError::Truncated);
        };
        Ok(*byte)
    }

    /// libolm's booleans: any non-zero byte is true.
    pub(crate) fn bool(&mut self) -> Result<bool, PickleError> {
        Ok(self.u8()? != 0)
    }

    /// libolm's leading version number, if it is one of `accepted`.
    #[cfg(feature = "libolm-compat")]
    pub(crate) fn version(&mut self, accepted: &[u32]) -> Result<u32, PickleError> {
        let version = self.u32_be()?;
        if accepted.contains(&version) {
            Ok(version)
        } else {
            Err(PickleError::Version(version))
        }
    }

    pub(crate) fn u32_be(&mut self) -> Result<u32, PickleError> {
        let bytes: [u8; 4] = self.framing(4)?.try_into().map_err(|_| PickleError::Truncated)?;
        Ok(u32::from_be_bytes(bytes))
    }

    pub(crate) fn varint(&mut self) -> Result<u64, PickleError> {
        // Its bytes are framing: public up to and including the last one.
        for byte in self.input.iter().take(10) {
            ct::public_bytes(core::slice::from_ref(byte));
            if byte & 0x80 == 0 {
                break;
            }
        }
        let (value, len) = read_varint(self.input).ok_or(if self.input.len() < 10 {
            PickleError::Truncated
        } else {
            PickleError::Invalid("malformed integer")
        })?;
        self.bytes(len)?;
        Ok(value)
    }

    pub(crate) fn varint_u32(&mut self) -> Result<u32, PickleError> {
        u32::try_from(self.varint()?).map_err(|_| PickleError::Invalid("integer out of range"))
    }

    /// A count of items that must not exceed `max`.
    pub(crate) fn count(&mut self, max: usize) -> Result<usize, PickleError> {
        let count = self.varint()?;
        usize::try_from(count)
            .ok()
            .filter(|&c| c <= max)
            .ok_or(PickleError::Invalid("too many items"))
    }

    /// Checks that everything was read.
    /// Whether every byte has been read.
    pub(crate) fn is_empty(&self) -> bool {
        self.input.is_empty()
    }

    pub(crate) fn finish(self) -> Result<(), PickleError> {
        if self.input.is_empty() {
            Ok(())
        } else {
            Err(PickleError::TrailingData(self.input.len()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let mut w = Writer::with_capacity(16);
        w.u32_be(0x0102_0304);
        w.bool(true);
        w.varint(300);
        w.bytes(&[9; 3]);
        let bytes = w.into_bytes();
        assert_eq!(&bytes[..5], [1, 2, 3, 4, 1]);
        let mut r = Reader::new(&bytes);
        assert_eq!(r.u32_be().unwrap(), 0x0102_0304);
        assert!(r.bool().unwrap());
        assert_eq!(r.varint().unwrap(), 300);
        assert_eq!(r.array::<3>().unwrap(), &[9; 3]);
        r.finish().unwrap();
    }

    #[test]
    fn growth_keeps_the_contents() {
        let mut w = Writer::with_capacity(1);
        for i in 0..100u8 {
            w.bytes(&[i; 3]);
            w.varint(u64::from(i) << 20);
        }
        let bytes = w.into_bytes();
        let mut r = Reader::new(&bytes);
        for i in 0..100u8 {
            assert_eq!(r.array::<3>().unwrap(), &[i; 3]);
            assert_eq!(r.varint().unwrap(), u64::from(i) << 20);
        }
        r.finish().unwrap();
    }

    /// The writer replaces a full buffer itself (so the old one is wiped),
    /// with exactly the room needed or twice the old, and leaves one that
    /// still has room; a `Vec` growing by itself would round up instead.
    #[test]
    fn the_writer_grows_its_buffer_itself() {
        let capacity = |w: &Writer| match &w.sink {
            Sink::Buffer(buffer) => buffer.capacity(),
            Sink::Count(_) => unreachable!("a buffer"),
        };
        let mut w = Writer::with_capacity(0);
        w.u8(1);
        assert_eq!(capacity(&w), 1);
        w.bytes(&[2; 4]);
        assert_eq!(capacity(&w), 5);
        w.u8(3);
        assert_eq!(capacity(&w), 10);
        w.bytes(&[4; 4]);
        assert_eq!(capacity(&w), 10, "exactly full, not grown");
        assert_eq!(w.len(), 10);
    }

    #[test]
    fn a_reader_is_empty_once_everything_is_read() {
        let mut r = Reader::new(&[1, 2]);
        assert!(!r.is_empty());
        r.array::<2>().unwrap();
        assert!(r.is_empty());
    }

    #[test]
    fn a_counter_counts_what_a_writer_writes() {
        fn fields(w: &mut Writer) {
            w.u32_be(7);
            w.bool(false);
            w.varint(1 << 40);
            w.bytes(&[1; 33]);
        }
        let mut writer = Writer::with_capacity(0);
        let mut counter = Writer::counter();
        fields(&mut writer);
        fields(&mut counter);
        assert_eq!(counter.len(), writer.len());
        assert_eq!(writer.into_bytes().len(), 4 + 1 + 6 + 33);
        assert!(counter.into_bytes().is_empty());
    }

    #[test]
    fn errors() {
        assert_eq!(Reader::new(&[1, 2]).u32_be(), Err(PickleError::Truncated));
        assert_eq!(Reader::new(&[0x80]).varint(), Err(PickleError::Truncated));
        // Ten bytes without an end are as long as a varint gets: malformed,
        // not cut short; nine may be the start of one.
        assert_eq!(Reader::new(&[0xff; 9]).varint(), Err(PickleError::Truncated));
        for len in [10, 11] {
            assert_eq!(
                Reader::new(&[0xff; 11][..len]).varint(),
                Err(PickleError::Invalid("malformed integer"))
            );
        }
        assert_eq!(
            Reader::new(&[41]).count(40),
            Err(PickleError::Invalid("too many items"))
        );
        assert_eq!(Reader::new(&[1]).finish(), Err(PickleError::TrailingData(1)));
    }
}
