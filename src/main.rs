use std::process::ExitCode;

use iom_lrg_api::config::{Cli, Command, KeysCommand, LoadError, Settings};
use iom_lrg_api::{openapi, startup, telemetry};

fn main() -> ExitCode {
    let cli = match Cli::load() {
        Ok(cli) => cli,
        Err(LoadError::Clap(e)) => e.exit(),
        Err(LoadError::Config(message)) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(&cli.settings);
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(&cli.settings),
        Command::Migrate => startup::open_database(&cli.settings)
            .map(|_| ())
            .map_err(|e| e.to_string()),
        Command::Seed => seed(&cli.settings),
        Command::Keys(command) => keys(&cli.settings, command),
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

fn keys(settings: &Settings, command: KeysCommand) -> Result<(), String> {
    use iom_lrg_api::models::{key, now};
    let pool = startup::open_database(settings).map_err(|e| e.to_string())?;
    let mut conn = pool.get().map_err(|e| e.to_string())?;
    match command {
        KeysCommand::Create { name, scope } => {
            if !iom_lrg_api::api::input::is_slug(&name) {
                return Err(format!(
                    "the name '{name}' is not a slug (lower-case letters and digits joined by '-')"
                ));
            }
            let (record, secret) =
                key::create(&mut conn, &name, &scope, now()).map_err(|e| e.to_string())?;
            println!(
                "created the {} key '{}'; it is shown once, store it now:",
                record.scope, record.name
            );
            println!("{secret}");
        }
        KeysCommand::List => {
            let keys = key::list(&mut conn).map_err(|e| e.to_string())?;
            println!(
                "{:<32} {:<6} {:<27} {:<27} revoked",
                "name", "scope", "created", "last used"
            );
            for k in keys {
                let at = |t: Option<chrono::NaiveDateTime>| {
                    t.map_or("-".to_owned(), |t| iom_lrg_api::api::instant(&t))
                };
                println!(
                    "{:<32} {:<6} {:<27} {:<27} {}",
                    k.name,
                    k.scope,
                    at(Some(k.created_at)),
                    at(k.last_used_at),
                    at(k.revoked_at)
                );
            }
        }
        KeysCommand::Revoke { name } => {
            if !key::revoke(&mut conn, &name, now()).map_err(|e| e.to_string())? {
                return Err(format!("no live key is named '{name}'"));
            }
            println!("revoked '{name}'");
        }
    }
    Ok(())
}

fn seed(settings: &Settings) -> Result<(), String> {
    let pool = startup::open_database(settings).map_err(|e| e.to_string())?;
    let mut conn = pool.get().map_err(|e| e.to_string())?;
    let report = iom_lrg_api::dataset::seed(&mut conn).map_err(|e| e.to_string())?;
    println!(
        "created {} records; kept {} whose ids were already used",
        report.created, report.kept
    );
    Ok(())
}

fn serve(settings: &Settings) -> Result<(), String> {
    actix_web::rt::System::new().block_on(async {
        let app = startup::Application::build(settings).map_err(|e| e.to_string())?;
        tracing::info!(bind = %settings.bind, port = app.port(), "serving");
        app.run_until_stopped().await.map_err(|e| e.to_string())
    })
}
