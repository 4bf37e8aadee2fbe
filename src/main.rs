use std::process::ExitCode;

use clap::Parser;
use iom_lrg_api::config::{Cli, Command};
use iom_lrg_api::{openapi, startup, telemetry};

fn main() -> ExitCode {
    let cli = Cli::parse();
    telemetry::init(&cli.settings);
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(&cli.settings),
        Command::Migrate => startup::open_database(&cli.settings)
            .map(|_| ())
            .map_err(|e| e.to_string()),
        Command::Seed => seed(&cli.settings),
        Command::Openapi => {
            print!("{}", openapi::document_json());
            Ok(())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn seed(settings: &iom_lrg_api::config::Settings) -> Result<(), String> {
    let pool = startup::open_database(settings).map_err(|e| e.to_string())?;
    let mut conn = pool.get().map_err(|e| e.to_string())?;
    let report = iom_lrg_api::dataset::seed(&mut conn).map_err(|e| e.to_string())?;
    println!(
        "created {} records; kept {} whose ids were already used",
        report.created, report.kept
    );
    Ok(())
}

fn serve(settings: &iom_lrg_api::config::Settings) -> Result<(), String> {
    actix_web::rt::System::new().block_on(async {
        let app = startup::Application::build(settings).map_err(|e| e.to_string())?;
        tracing::info!(bind = %settings.bind, port = app.port(), "serving");
        app.run_until_stopped().await.map_err(|e| e.to_string())
    })
}
