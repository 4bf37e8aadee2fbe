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
    // Held until the command ends: dropping it writes out the log lines still queued.
    let log = telemetry::init(&cli.settings);
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(&cli.settings),
        Command::Migrate => startup::open_database(&cli.settings)
            .map(|_| ())
            .map_err(|e| e.to_string()),
        Command::Seed { update } => seed(&cli.settings, update),
        Command::Keys(command) => keys(&cli.settings, command),
        Command::Export { file } => export(&cli.settings, &file),
        Command::Import { file } => import(&cli.settings, &file),
        Command::Generate { programmes, seed } => generate(&cli.settings, programmes, seed),
        Command::Openapi => {
            print!("{}", openapi::document_json());
            Ok(())
        }
    };
    // The queued log lines come out before the closing error line, never through it.
    drop(log);
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
            if !iom_lrg_api::records::check::is_slug(&name) {
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
                    t.map_or("-".to_owned(), |t| iom_lrg_api::models::instant(&t))
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

fn seed(settings: &Settings, update: bool) -> Result<(), String> {
    use iom_lrg_api::records::dataset;
    let pool = startup::open_database(settings).map_err(|e| e.to_string())?;
    let mut conn = pool.get().map_err(|e| e.to_string())?;
    let report = if update {
        dataset::update(&mut conn)
    } else {
        dataset::seed(&mut conn)
    }
    .map_err(|e| e.to_string())?;
    if update {
        println!(
            "created {} records; updated {} to the dataset's version; kept {} (edited through the API, deleted, or already current)",
            report.created, report.updated, report.kept
        );
    } else {
        println!(
            "created {} records; kept {} whose ids were already used",
            report.created, report.kept
        );
    }
    Ok(())
}

fn export(settings: &Settings, file: &std::path::Path) -> Result<(), String> {
    use iom_lrg_api::records::transfer::{self, Progress};
    use std::io::{BufWriter, Write};
    let pool = startup::open_database(settings).map_err(|e| e.to_string())?;
    let mut conn = pool.get().map_err(|e| e.to_string())?;
    let mut out: Box<dyn Write> = if file.as_os_str() == "-" {
        Box::new(BufWriter::new(std::io::stdout().lock()))
    } else {
        let f = std::fs::File::create(file)
            .map_err(|e| format!("cannot create {}: {e}", file.display()))?;
        Box::new(BufWriter::new(f))
    };
    let summary = transfer::export(&mut conn, &mut out, |total| {
        Progress::stderr("exporting", total)
    })
    .map_err(|e| e.to_string())?;
    eprintln!(
        "exported {} records at seq {}",
        summary.records, summary.seq
    );
    Ok(())
}

fn import(settings: &Settings, file: &std::path::Path) -> Result<(), String> {
    use iom_lrg_api::records::transfer::{self, Progress};
    let f =
        std::fs::File::open(file).map_err(|e| format!("cannot open {}: {e}", file.display()))?;
    let pool = startup::open_database(settings).map_err(|e| e.to_string())?;
    let mut conn = pool.get().map_err(|e| e.to_string())?;
    let summary = transfer::import(&mut conn, &mut std::io::BufReader::new(f), |total| {
        Progress::stderr("importing", total)
    })
    .map_err(|e| e.to_string())?;
    eprintln!("imported {} records", summary.records);
    Ok(())
}

fn generate(settings: &Settings, programmes: u64, seed: u64) -> Result<(), String> {
    let pool = startup::open_database(settings).map_err(|e| e.to_string())?;
    let mut conn = pool.get().map_err(|e| e.to_string())?;
    let report = iom_lrg_api::records::generate::generate(&mut conn, programmes, seed)
        .map_err(|e| e.to_string())?;
    eprintln!(
        "generated {} organisations and {} programmes",
        report.organisations, report.programmes
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
