//! Gives the shared library the soname of libolm 3 (`libolm.so.3`), so that
//! programs and loaders that look for libolm by its soname find this one.

fn main() {
    let target_os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if matches!(
        target_os.as_str(),
        "linux" | "android" | "freebsd" | "netbsd" | "openbsd" | "dragonfly" | "illumos" | "solaris"
    ) {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libolm.so.3");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
