//! `capstan secret`: show a secret masked (values only when asked) and
//! create the common types, with the same checks as the app.

use capstan_kube::secrets::decode::RevealedValue;
use capstan_kube::secrets::{self, NewSecret, SecretValue};
use clap::{Args, Subcommand};

#[derive(Args)]
pub struct SecretArgs {
    #[command(subcommand)]
    command: SecretCommand,
    /// Namespace (default: the context's).
    #[arg(short = 'n', long, global = true)]
    namespace: Option<String>,
    /// Context (default: the current one).
    #[arg(long, global = true)]
    context: Option<String>,
}

#[derive(Subcommand)]
enum SecretCommand {
    /// Type, keys with sizes and a type-aware summary; values stay masked
    /// unless --reveal or --reveal-all.
    Show {
        name: String,
        /// Print this key's value (repeatable).
        #[arg(long, value_name = "KEY", conflicts_with = "reveal_all")]
        reveal: Vec<String>,
        /// Print every value.
        #[arg(long)]
        reveal_all: bool,
    },
    /// Create a secret.
    #[command(subcommand)]
    Create(CreateKind),
}

#[derive(Subcommand)]
enum CreateKind {
    /// An Opaque secret from literals and files.
    Generic {
        name: String,
        /// KEY=VALUE (repeatable).
        #[arg(long, value_name = "KEY=VALUE")]
        from_literal: Vec<String>,
        /// [KEY=]PATH (repeatable); the key defaults to the file name.
        #[arg(long, value_name = "[KEY=]PATH")]
        from_file: Vec<String>,
    },
    /// A kubernetes.io/tls secret; the key must match the certificate.
    Tls {
        name: String,
        #[arg(long)]
        cert: std::path::PathBuf,
        #[arg(long)]
        key: std::path::PathBuf,
    },
    /// A kubernetes.io/dockerconfigjson secret for pulling images.
    DockerRegistry {
        name: String,
        #[arg(long)]
        docker_server: String,
        #[arg(long)]
        docker_username: String,
        #[arg(long)]
        docker_password: String,
        #[arg(long)]
        docker_email: Option<String>,
    },
}

pub fn run(rt: &tokio::runtime::Runtime, args: SecretArgs) -> anyhow::Result<()> {
    let crate::scope::Scope {
        loaded,
        context,
        namespace,
    } = crate::scope::resolve(args.context.as_deref(), args.namespace.as_deref())?;
    rt.block_on(async move {
        let client = capstan_kube::contexts::client(&loaded, &context).await?;
        match args.command {
            SecretCommand::Show {
                name,
                reveal,
                reveal_all,
            } => show(client, &namespace, &name, reveal, reveal_all).await,
            SecretCommand::Create(kind) => {
                let (name, spec) = new_secret(kind)?;
                secrets::create_secret(client, &namespace, &name, spec).await?;
                println!("secret/{name} created in {namespace}");
                Ok(())
            }
        }
    })
}

async fn show(
    client: kube::Client,
    namespace: &str,
    name: &str,
    reveal: Vec<String>,
    reveal_all: bool,
) -> anyhow::Result<()> {
    let d = secrets::secret_details(client.clone(), namespace, name).await?;
    println!("Name:       {}", d.name);
    println!("Namespace:  {}", d.namespace);
    println!("Type:       {}", d.type_);
    if let Some(sa) = &d.service_account {
        println!("Account:    {sa}");
    }
    if let Some(docker) = &d.docker {
        for r in &docker.registries {
            println!(
                "Registry:   {} (user {})",
                r.server,
                r.username.as_deref().unwrap_or("-")
            );
        }
    }
    if let Some(c) = &d.tls {
        println!("Subject:    {}", c.subject);
        println!("Issuer:     {}", c.issuer);
        println!("SANs:       {}", c.sans.join(", "));
        println!("Expiry:     {:?} (not after {})", c.expiry, c.not_after);
    }
    if let Some(h) = &d.helm {
        println!(
            "Release:    {} rev {} ({} {}), {}",
            h.name, h.revision, h.chart, h.chart_version, h.status
        );
    }
    for w in &d.warnings {
        println!("Warning:    {w}");
    }
    println!("Data:");
    for k in &d.keys {
        println!("  {}: {} bytes  {}", k.key, k.size, k.masked);
    }
    let keys: Vec<String> = if reveal_all {
        d.keys.iter().map(|k| k.key.clone()).collect()
    } else {
        reveal
    };
    for key in keys {
        let value = secrets::reveal_key(client.clone(), namespace, name, &key).await?;
        println!("--- {key}");
        match value {
            RevealedValue::Text { text } => println!("{text}"),
            RevealedValue::Binary { hex, size } => println!("({size} bytes, not text)\n{hex}"),
        }
    }
    Ok(())
}

fn new_secret(kind: CreateKind) -> anyhow::Result<(String, NewSecret)> {
    let read = |p: &std::path::Path| {
        std::fs::read(p).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", p.display()))
    };
    Ok(match kind {
        CreateKind::Generic {
            name,
            from_literal,
            from_file,
        } => {
            let mut pairs = Vec::new();
            for l in from_literal {
                let (k, v) = l
                    .split_once('=')
                    .ok_or_else(|| anyhow::anyhow!("--from-literal takes KEY=VALUE"))?;
                pairs.push((k.to_string(), SecretValue::new(v.as_bytes().to_vec())));
            }
            for f in from_file {
                let (key, path) = match f.split_once('=') {
                    Some((k, p)) => (k.to_string(), std::path::PathBuf::from(p)),
                    None => {
                        let p = std::path::PathBuf::from(&f);
                        let k = p
                            .file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .ok_or_else(|| anyhow::anyhow!("{f} names no file"))?;
                        (k, p)
                    }
                };
                pairs.push((key, SecretValue::new(read(&path)?)));
            }
            (name, NewSecret::Opaque { pairs })
        }
        CreateKind::Tls { name, cert, key } => (
            name,
            NewSecret::Tls {
                cert: read(&cert)?,
                key: SecretValue::new(read(&key)?),
            },
        ),
        CreateKind::DockerRegistry {
            name,
            docker_server,
            docker_username,
            docker_password,
            docker_email,
        } => (
            name,
            NewSecret::DockerRegistry {
                server: docker_server,
                username: docker_username,
                password: SecretValue::new(docker_password.into_bytes()),
                email: docker_email,
            },
        ),
    })
}
