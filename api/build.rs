//! With the `embed-web` feature, the built SPA (`../web/dist`, or `FARO_WEB_DIST`) goes into the
//! binary: this writes the table of its files, each an `include_bytes!`, for `src/spa.rs`.
//!
//! It also links the `faro` binary with packed relative relocations (see `relocations`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn files(dir: &Path, base: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, base, out);
        } else if let Ok(rel) = path.strip_prefix(base) {
            out.push((rel.to_string_lossy().replace('\\', "/"), path));
        }
    }
}

/// A position-independent executable carries one relocation record per pointer in its data
/// (vtables, tables of strings): 24 bytes each, 4.7 MB for `faro`, all read by the loader at
/// start and resident from then on. Packed (`DT_RELR`, glibc 2.36 and GNU ld 2.38 or lld 15)
/// they take a few kilobytes; the executable stays position-independent. A linker that does
/// not know the option warns and ignores it. Only for the binary: no other crate is rebuilt.
fn relocations() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bin=faro=-Wl,-z,pack-relative-relocs");
    }
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=FARO_WEB_DIST");
    relocations();
    if std::env::var_os("CARGO_FEATURE_EMBED_WEB").is_none() {
        return;
    }
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let dist = std::env::var_os("FARO_WEB_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest.join("../web/dist"));
    let dist = dist.canonicalize().unwrap_or(dist);
    println!("cargo:rerun-if-changed={}", dist.display());
    assert!(
        dist.join("index.html").is_file(),
        "embed-web: no built SPA in {} (run `just web` first)",
        dist.display()
    );
    let mut found = Vec::new();
    files(&dist, &dist, &mut found);
    found.sort();
    let mut table = String::from("pub static FILES: &[(&str, &[u8])] = &[\n");
    for (name, path) in &found {
        writeln!(
            table,
            "    ({name:?}, include_bytes!({:?})),",
            path.display().to_string()
        )
        .expect("writing to a String");
    }
    table.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it")).join("web_files.rs");
    std::fs::write(out, table).expect("OUT_DIR is writable");
}
