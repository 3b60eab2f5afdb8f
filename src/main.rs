fn main() -> std::process::ExitCode {
    casim::cli::main()
}
