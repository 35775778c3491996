//! The `linli` binary: `serve` (default), `migrate`, `admin create`.

use std::io::Read;

use clap::{Parser, Subcommand};
use linli_api::{config::Config, server};
use tracing_subscriber::EnvFilter;

// mimalloc gives freed memory back to the OS: with glibc's per-thread arenas the 19 MiB
// buffers of concurrent argon2 hashes stayed resident (GBs after a login flood).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "linli",
    version,
    about = "Linli 邻里: party-building-led property management backend"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Apply migrations and serve the API (the default).
    Serve {
        /// Seed a demo district into an empty database and print the demo accounts.
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending migrations and exit.
    Migrate,
    /// Administration.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Print the OpenAPI document.
    Openapi,
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create an admin account.
    Create {
        #[arg(long)]
        phone: String,
        /// Read the password from standard input.
        #[arg(long, required = true)]
        password_stdin: bool,
        #[arg(long, default_value = "管理员")]
        display_name: String,
    },
}

fn init_tracing() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let json = std::env::var("LINLI_LOG_FORMAT").is_ok_and(|v| v == "json");
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

fn fail(msg: impl std::fmt::Display) -> std::process::ExitCode {
    eprintln!("linli: {msg}");
    std::process::ExitCode::FAILURE
}

#[actix_web::main]
async fn main() -> std::process::ExitCode {
    init_tracing();
    let cli = Cli::parse();
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    match cli.command.unwrap_or(Command::Serve { demo: false }) {
        Command::Openapi => {
            println!("{}", linli_api::openapi_json());
            std::process::ExitCode::SUCCESS
        }
        Command::Migrate => match server::open_database(&config) {
            Ok(_) => {
                println!("migrations applied");
                std::process::ExitCode::SUCCESS
            }
            Err(e) => fail(e),
        },
        Command::Admin {
            command:
                AdminCommand::Create {
                    phone,
                    password_stdin: _,
                    display_name,
                },
        } => {
            let mut password = String::new();
            if let Err(e) = std::io::stdin().read_to_string(&mut password) {
                return fail(format!("cannot read the password from stdin: {e}"));
            }
            let password = password.trim_end_matches(['\r', '\n']).to_owned();
            let pool = match server::open_database(&config) {
                Ok(p) => p,
                Err(e) => return fail(e),
            };
            match linli_api::admin::create_admin(
                &pool,
                &phone,
                &password,
                &display_name,
                chrono::Utc::now(),
            ) {
                Ok(id) => {
                    println!("admin created: id {id}");
                    std::process::ExitCode::SUCCESS
                }
                Err(e) => fail(e),
            }
        }
        Command::Serve { demo } => {
            let pool = match server::open_database(&config) {
                Ok(p) => p,
                Err(e) => return fail(e),
            };
            let state = match server::build_state(config.clone(), pool, server::system_clock()) {
                Ok(s) => s,
                Err(e) => return fail(e),
            };
            if demo {
                match linli_api::application::demo::seed_if_empty(&state.app) {
                    Ok(Some(accounts)) => {
                        println!("Demo district seeded. Accounts (phone / password / role):");
                        for a in accounts {
                            println!("  {} / {} / {} ({})", a.phone, a.password, a.role, a.name);
                        }
                    }
                    Ok(None) => println!("The database already has data: demo not seeded."),
                    Err(e) => return fail(e),
                }
            }
            linli_api::scheduler::spawn(&state);
            match linli_api::live::push::PushConfig::from_env() {
                Ok(Some(push)) => drop(linli_api::live::push::spawn(&state, push)),
                Ok(None) => {}
                Err(e) => return fail(e),
            }
            match server::serve(config, state).await {
                Ok(()) => std::process::ExitCode::SUCCESS,
                Err(e) => fail(e),
            }
        }
    }
}
