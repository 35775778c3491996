//! `cargo run -p linli-openapi`: rewrite openapi/openapi.json from the router.

fn main() -> std::process::ExitCode {
    let path = linli_openapi::committed_path();
    match std::fs::write(&path, linli_openapi::generate()) {
        Ok(()) => {
            println!("wrote {}", path.display());
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("cannot write {}: {e}", path.display());
            std::process::ExitCode::FAILURE
        }
    }
}
