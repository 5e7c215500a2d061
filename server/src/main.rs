//! The MentalSpace EHR server binary: `serve` (default), `migrate`, `seed --demo`, `create-admin`,
//! `audit verify`, `keys rotate`.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "server", about = "MentalSpace EHR server", version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate the database and serve the app (the default).
    Serve,
    /// Create the database if it is missing and apply migrations.
    Migrate,
    /// Load data into the database.
    Seed {
        /// The demo practice: one user per role (password demo-password-123). Safe to run twice.
        #[arg(long)]
        demo: bool,
        /// How many clients the demo practice should have (a large number for performance work).
        #[arg(long, default_value_t = 60)]
        clients: u64,
    },
    /// Create an administrator, or reset an existing account's password. The password is read
    /// from standard input when it is not a terminal, otherwise prompted for; never from arguments.
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "Administrator")]
        name: String,
    },
    /// Audit trail tools.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Data key tools.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
}

#[derive(Subcommand)]
enum KeysCommand {
    /// Re-encrypt every sealed value under DATA_ENCRYPTION_KEY, opening older values with the keys in
    /// DATA_ENCRYPTION_OLD_KEYS; afterwards the old keys are no longer needed.
    Rotate,
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Walk the hash chain and report the first broken link.
    Verify,
}

#[tokio::main]
async fn main() -> ExitCode {
    server::telemetry::init();
    let cli = Cli::parse();
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => server::serve().await,
        Command::Migrate => server::cli::migrate().await,
        Command::Seed { demo, clients } => server::cli::seed(demo, clients).await,
        Command::CreateAdmin { email, name } => server::cli::create_admin(&email, &name).await,
        Command::Audit {
            command: AuditCommand::Verify,
        } => server::cli::audit_verify().await,
        Command::Keys {
            command: KeysCommand::Rotate,
        } => server::cli::keys_rotate().await,
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
