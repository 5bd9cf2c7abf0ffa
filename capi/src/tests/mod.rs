//! Tests that drive the library only through its exported `extern "C"`
//! functions, as a C program would: the known-answer vectors, and the
//! documented differences from libolm.

mod differences;
mod vectors;
