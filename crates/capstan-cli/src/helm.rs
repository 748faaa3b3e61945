//! `capstan helm list|history|diff|values|manifest`: Helm releases read
//! from the cluster's Helm storage by capstan-kube, no helm binary needed.
//! Flags follow helm's (`-n`, `-A`, `--all`, `--revision`, `-o json`).

use std::io::Write;

use capstan_kube::helm::{self, ChangeKind, PathChange};
use clap::{Args, Subcommand, ValueEnum};
use serde_json::{json, Value};

#[derive(Args)]
pub struct HelmArgs {
    #[command(subcommand)]
    command: HelmCommand,
    /// Namespace (default: the context's).
    #[arg(short = 'n', long, global = true)]
    namespace: Option<String>,
    /// Context (default: the current one).
    #[arg(long = "kube-context", alias = "context", global = true)]
    context: Option<String>,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    Table,
    Json,
    Yaml,
}

#[derive(Subcommand)]
enum HelmCommand {
    /// Releases at their newest revision, any status (helm list -a).
    #[command(alias = "ls")]
    List {
        /// Every namespace.
        #[arg(short = 'A', long)]
        all_namespaces: bool,
        #[arg(short = 'o', long, value_enum, default_value = "table")]
        output: Format,
    },
    /// Every revision of a release.
    History {
        release: String,
        #[arg(short = 'o', long, value_enum, default_value = "table")]
        output: Format,
    },
    /// What changed between two revisions: values and each resource of the
    /// manifest with the paths that changed; --text for a unified diff.
    Diff {
        release: String,
        from: i64,
        to: i64,
        /// Unified text diffs of values and manifest instead.
        #[arg(long)]
        text: bool,
        #[arg(short = 'o', long, value_enum, default_value = "table")]
        output: Format,
    },
    /// The user-supplied values (--all: computed with the chart's defaults).
    Values {
        release: String,
        #[arg(short = 'a', long)]
        all: bool,
        #[arg(long)]
        revision: Option<i64>,
        #[arg(short = 'o', long, value_enum, default_value = "yaml")]
        output: Format,
    },
    /// The rendered manifest.
    Manifest {
        release: String,
        #[arg(long)]
        revision: Option<i64>,
    },
}

pub fn run(rt: &tokio::runtime::Runtime, args: HelmArgs) -> anyhow::Result<()> {
    let crate::scope::Scope {
        loaded,
        context,
        namespace,
    } = crate::scope::resolve(args.context.as_deref(), args.namespace.as_deref())?;
    let mut out = std::io::stdout().lock();
    rt.block_on(async move {
        let client = capstan_kube::contexts::client(&loaded, &context).await?;
        match args.command {
            HelmCommand::List {
                all_namespaces,
                output,
            } => {
                let scope = if all_namespaces {
                    Vec::new()
                } else {
                    vec![namespace]
                };
                let rows = helm::list_releases(&client, &context, &scope).await?;
                if output == Format::Table {
                    let mut lines = vec![
                        ["NAME", "NAMESPACE", "REVISION", "UPDATED", "STATUS", "CHART", "APP VERSION"]
                            .map(String::from)
                            .to_vec(),
                    ];
                    for r in &rows {
                        lines.push(vec![
                            r.name.clone(),
                            r.namespace.clone(),
                            r.revision.to_string(),
                            r.updated.clone().unwrap_or_default(),
                            r.status.clone(),
                            r.chart.clone(),
                            r.app_version.clone(),
                        ]);
                    }
                    crate::get::write_aligned(&mut out, &lines)?;
                    for r in rows.iter().filter_map(|r| r.error.as_ref()) {
                        eprintln!("warning: {r}");
                    }
                } else {
                    // helm's own keys, so scripts written for helm keep working.
                    let v: Vec<Value> = rows
                        .iter()
                        .map(|r| {
                            json!({"name": r.name, "namespace": r.namespace,
                                   "revision": r.revision.to_string(), "updated": r.updated,
                                   "status": r.status, "chart": r.chart, "app_version": r.app_version})
                        })
                        .collect();
                    print_value(&mut out, &Value::Array(v), output)?;
                }
            }
            HelmCommand::History { release, output } => {
                let rows = helm::history(&client, &context, &namespace, &release).await?;
                if output == Format::Table {
                    let mut lines = vec![["REVISION", "UPDATED", "STATUS", "CHART", "APP VERSION", "DESCRIPTION"]
                        .map(String::from)
                        .to_vec()];
                    for r in &rows {
                        lines.push(vec![
                            r.revision.to_string(),
                            r.updated.clone().unwrap_or_default(),
                            r.status.clone(),
                            r.chart.clone(),
                            r.app_version.clone(),
                            r.error.clone().unwrap_or_else(|| r.description.clone()),
                        ]);
                    }
                    crate::get::write_aligned(&mut out, &lines)?;
                } else {
                    let v: Vec<Value> = rows
                        .iter()
                        .map(|r| {
                            json!({"revision": r.revision, "updated": r.updated, "status": r.status,
                                   "chart": r.chart, "app_version": r.app_version,
                                   "description": r.description})
                        })
                        .collect();
                    print_value(&mut out, &Value::Array(v), output)?;
                }
            }
            HelmCommand::Diff {
                release,
                from,
                to,
                text,
                output,
            } => {
                let diff =
                    helm::diff_revisions(&client, &context, &namespace, &release, from, to).await?;
                if output != Format::Table {
                    print_value(&mut out, &serde_json::to_value(&diff)?, output)?;
                } else if text {
                    out.write_all(diff.values_text.as_bytes())?;
                    out.write_all(diff.manifest_text.as_bytes())?;
                } else {
                    write_structural(&mut out, &diff)?;
                }
            }
            HelmCommand::Values {
                release,
                all,
                revision,
                output,
            } => {
                let d =
                    helm::release_details(&client, &context, &namespace, &release, revision).await?;
                let values = if all { d.computed_values } else { d.user_values };
                print_value(&mut out, &Value::Object(values), output)?;
            }
            HelmCommand::Manifest { release, revision } => {
                let d =
                    helm::release_details(&client, &context, &namespace, &release, revision).await?;
                writeln!(out, "{}", d.manifest)?;
            }
        }
        anyhow::Ok(())
    })
}

fn print_value(out: &mut impl Write, v: &Value, format: Format) -> anyhow::Result<()> {
    match format {
        Format::Json | Format::Table => writeln!(out, "{}", serde_json::to_string(v)?)?,
        Format::Yaml => out.write_all(serde_yaml::to_string(v)?.as_bytes())?,
    }
    Ok(())
}

fn mark(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::Added => "+",
        ChangeKind::Removed => "-",
        ChangeKind::Changed => "~",
    }
}

fn short(v: &Option<Value>) -> String {
    v.as_ref().map_or(String::new(), |v| {
        let s = v.to_string();
        if s.chars().count() > 60 {
            format!("{}…", s.chars().take(59).collect::<String>())
        } else {
            s
        }
    })
}

fn write_paths(out: &mut impl Write, indent: &str, paths: &[PathChange]) -> std::io::Result<()> {
    for p in paths {
        match p.change {
            ChangeKind::Changed => writeln!(
                out,
                "{indent}~ {}: {} -> {}",
                p.path,
                short(&p.old),
                short(&p.new)
            )?,
            ChangeKind::Added => writeln!(out, "{indent}+ {}: {}", p.path, short(&p.new))?,
            ChangeKind::Removed => writeln!(out, "{indent}- {}: {}", p.path, short(&p.old))?,
        }
    }
    Ok(())
}

/// `~ Deployment.apps web` then its changed paths, indented.
fn write_structural(out: &mut impl Write, diff: &helm::RevisionDiff) -> std::io::Result<()> {
    writeln!(
        out,
        "revision {} ({}) -> {} ({})",
        diff.from, diff.from_chart, diff.to, diff.to_chart
    )?;
    if diff.values.is_empty() && diff.resources.is_empty() {
        writeln!(out, "no changes in values or manifest")?;
        return Ok(());
    }
    if !diff.values.is_empty() {
        writeln!(out, "values:")?;
        write_paths(out, "  ", &diff.values)?;
    }
    if !diff.resources.is_empty() {
        writeln!(out, "resources:")?;
        for r in &diff.resources {
            writeln!(out, "  {} {}", mark(r.change), r.key)?;
            write_paths(out, "      ", &r.paths)?;
        }
    }
    Ok(())
}
