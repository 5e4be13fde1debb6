//! `cldkit-emulator`: the same as `cldkit serve`.

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match cldkit_emulator::cli::run(&args) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cldkit serve: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
