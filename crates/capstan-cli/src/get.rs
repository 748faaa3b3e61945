//! `capstan get`: kubectl get over capstan-kube's discovery and rows.
//! Built-in kinds print our projections; other kinds the server's Table.
//! `-o json|yaml` stream the server's objects page by page.

use std::io::{BufWriter, Write};

use capstan_kube::discovery::{self, KindInfo};
use capstan_kube::objects::pages::{self, PAGE_SIZE};
use capstan_kube::rows::{self, Column, Row};
use clap::{Args, ValueEnum};
use kube::api::DynamicObject;

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Output {
    Wide,
    Yaml,
    Json,
    Name,
}

#[derive(Args)]
pub struct GetArgs {
    /// Resource type: plural, singular, a short name the server lists (po,
    /// deploy, a CRD's), or kind; optionally .group or .version.group.
    kind: String,
    /// One object by name.
    name: Option<String>,
    /// Namespace (default: the context's).
    #[arg(short = 'n', long)]
    namespace: Option<String>,
    /// Every namespace.
    #[arg(short = 'A', long, conflicts_with = "namespace")]
    all_namespaces: bool,
    /// Label selector, e.g. app=web,tier!=db.
    #[arg(short = 'l', long)]
    selector: Option<String>,
    /// Output format (default: a table).
    #[arg(short = 'o', long, value_enum)]
    output: Option<Output>,
    /// Context (default: the current one).
    #[arg(long)]
    context: Option<String>,
}

pub fn run(rt: &tokio::runtime::Runtime, args: GetArgs) -> anyhow::Result<()> {
    if args.all_namespaces && args.name.is_some() {
        return Err(anyhow::anyhow!(
            "a resource cannot be retrieved by name across all namespaces"
        ));
    }
    let crate::scope::Scope {
        loaded,
        context,
        namespace,
    } = crate::scope::resolve(args.context.as_deref(), args.namespace.as_deref())?;
    rt.block_on(async move {
        let client = capstan_kube::contexts::client(&loaded, &context).await?;
        let kinds = discovery::discover_kinds(&client, &context).await?;
        let kind = discovery::resolve_kind(&kinds, &args.kind)?;
        // None: every namespace (or a cluster-scoped kind).
        let ns = (kind.namespaced && !args.all_namespaces).then_some(namespace.as_str());
        let get = Get {
            client,
            context: &context,
            kind,
            ns,
            args: &args,
        };
        get.run().await
    })
}

struct Get<'a> {
    client: kube::Client,
    context: &'a str,
    kind: &'a KindInfo,
    ns: Option<&'a str>,
    args: &'a GetArgs,
}

impl Get<'_> {
    async fn run(&self) -> anyhow::Result<()> {
        let stdout = std::io::stdout();
        let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
        let result = match self.args.output {
            Some(Output::Json) => self.write_list(&mut out, false).await,
            Some(Output::Yaml) => self.write_list(&mut out, true).await,
            Some(Output::Name) => self.write_names(&mut out).await,
            Some(Output::Wide) => self.write_table(&mut out, true).await,
            None => self.write_table(&mut out, false).await,
        };
        out.flush()?;
        result
    }

    /// Every object (or the named one) as the server's JSON, page by page
    /// (capstan-kube's `objects::pages`).
    async fn for_each_item(
        &self,
        mut f: impl FnMut(serde_json::Value) -> anyhow::Result<()>,
    ) -> anyhow::Result<usize> {
        let resource = self.kind.api_resource();
        if let Some(name) = &self.args.name {
            let item = pages::get_object(&self.client, self.context, &resource, self.ns, name)
                .await
                .map_err(|e| match e {
                    // kubectl's words.
                    capstan_kube::Error::ObjectNotFound { .. } => {
                        anyhow::anyhow!("{} \"{name}\" not found", self.kind.plural)
                    }
                    e => e.into(),
                })?;
            f(item)?;
            return Ok(1);
        }
        pages::for_each_object(
            &self.client,
            self.context,
            &resource,
            self.ns,
            self.args.selector.as_deref(),
            f,
        )
        .await
    }

    /// kubectl's List wrapper around the items (one object alone when named).
    async fn write_list(&self, out: &mut impl Write, yaml: bool) -> anyhow::Result<()> {
        let io = anyhow::Error::from;
        if self.args.name.is_some() {
            return self
                .for_each_item(|item| write_one(out, &item, yaml).map_err(io))
                .await
                .map(|_| ());
        }
        if yaml {
            out.write_all(b"apiVersion: v1\nitems:\n").map_err(io)?;
        } else {
            out.write_all(b"{\n    \"apiVersion\": \"v1\",\n    \"items\": [")
                .map_err(io)?;
        }
        let mut first = true;
        let count = self
            .for_each_item(|item| {
                if yaml {
                    let text = serde_yaml::to_string(&item)?;
                    for (i, line) in text.lines().enumerate() {
                        let prefix: &[u8] = if i == 0 { b"- " } else { b"  " };
                        out.write_all(prefix).map_err(io)?;
                        out.write_all(line.as_bytes()).map_err(io)?;
                        out.write_all(b"\n").map_err(io)?;
                    }
                } else {
                    out.write_all(if first { b"\n" } else { b",\n" })
                        .map_err(io)?;
                    first = false;
                    write_indented(out, &item, 2).map_err(io)?;
                }
                Ok(())
            })
            .await?;
        if yaml {
            if count == 0 {
                // `items:` with nothing under it would read as null.
                out.write_all(b"items: []\n").map_err(io)?;
            }
            out.write_all(b"kind: List\nmetadata:\n  resourceVersion: \"\"\n")
                .map_err(io)?;
        } else {
            out.write_all(if count == 0 { b"]" } else { b"\n    ]" })
                .map_err(io)?;
            out.write_all(
                b",\n    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n    }\n}\n",
            )
            .map_err(io)?;
        }
        Ok(())
    }

    async fn write_names(&self, out: &mut impl Write) -> anyhow::Result<()> {
        let kind = self.kind.kind.to_ascii_lowercase();
        let prefix = if self.kind.group.is_empty() {
            kind
        } else {
            format!("{kind}.{}", self.kind.group)
        };
        let count = self
            .for_each_item(|item| {
                let name = item["metadata"]["name"].as_str().unwrap_or_default();
                Ok(writeln!(out, "{prefix}/{name}")?)
            })
            .await?;
        self.report_empty(count);
        Ok(())
    }

    async fn write_table(&self, out: &mut impl Write, wide: bool) -> anyhow::Result<()> {
        let (columns, rows) = match rows::builtin(&self.kind.group, &self.kind.kind) {
            Some(projector) => {
                let mut rows = Vec::new();
                self.for_each_item(|item| {
                    let object: DynamicObject = serde_json::from_value(item)?;
                    rows.push(projector.project(&object));
                    Ok(())
                })
                .await?;
                (projector.columns(), rows)
            }
            None => self.server_table().await?,
        };
        if rows.is_empty() {
            self.report_empty(0);
            return Ok(());
        }
        let now = jiff::Timestamp::now();
        let keep: Vec<usize> = columns
            .iter()
            .enumerate()
            .filter(|(_, c)| wide || c.priority == 0)
            .map(|(i, _)| i)
            .collect();
        let with_ns = self.args.all_namespaces && self.kind.namespaced;
        let mut lines: Vec<Vec<String>> = Vec::with_capacity(rows.len() + 1);
        let mut header: Vec<String> = Vec::new();
        if with_ns {
            header.push("NAMESPACE".into());
        }
        header.extend(keep.iter().map(|&i| columns[i].name.clone()));
        lines.push(header);
        for row in &rows {
            let cells = row.render(now);
            let mut line = Vec::with_capacity(keep.len() + 1);
            if with_ns {
                line.push(row.namespace.clone().unwrap_or_default());
            }
            line.extend(
                keep.iter()
                    .map(|&i| cells.get(i).cloned().unwrap_or_default()),
            );
            lines.push(line);
        }
        Ok(write_aligned(out, &lines)?)
    }

    /// Kinds without a projection: the server's Table (all pages).
    async fn server_table(&self) -> anyhow::Result<(Vec<Column>, Vec<Row>)> {
        if self.args.selector.is_some() {
            return Err(anyhow::anyhow!(
                "-l is not supported yet for {} (no built-in projection); use -o json",
                self.kind.plural
            ));
        }
        let ar = self.kind.api_resource();
        let table =
            capstan_kube::table::fetch_table(&self.client, self.context, &ar, self.ns, PAGE_SIZE)
                .await?;
        let columns = rows::table_columns(&table.column_definitions);
        let mut out: Vec<Row> = table
            .rows
            .iter()
            .map(|r| rows::from_table_row(&table.column_definitions, r))
            .collect();
        if let Some(name) = &self.args.name {
            out.retain(|r| &r.name == name);
            if out.is_empty() {
                return Err(anyhow::anyhow!("{} \"{name}\" not found", self.kind.plural));
            }
        }
        Ok((columns, out))
    }

    /// kubectl's note on stderr when nothing matched.
    fn report_empty(&self, count: usize) {
        if count == 0 {
            match self.ns {
                Some(ns) => eprintln!("No resources found in {ns} namespace."),
                None => eprintln!("No resources found"),
            }
        }
    }
}

fn write_one(out: &mut impl Write, item: &serde_json::Value, yaml: bool) -> std::io::Result<()> {
    if yaml {
        let text = serde_yaml::to_string(item).map_err(std::io::Error::other)?;
        out.write_all(text.as_bytes())
    } else {
        write_indented(out, item, 0)?;
        out.write_all(b"\n")
    }
}

/// kubectl's JSON: 4-space indent, `depth` levels in.
fn write_indented(
    out: &mut impl Write,
    item: &serde_json::Value,
    depth: usize,
) -> std::io::Result<()> {
    use serde::Serialize;
    let pad = "    ".repeat(depth);
    let mut buf = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, formatter);
    item.serialize(&mut ser).map_err(std::io::Error::other)?;
    for (i, line) in buf.split(|b| *b == b'\n').enumerate() {
        if i > 0 {
            out.write_all(b"\n")?;
        }
        out.write_all(pad.as_bytes())?;
        out.write_all(line)?;
    }
    Ok(())
}

/// Columns padded to their widest cell, 3 spaces apart, the last unpadded
/// (kubectl's tabwriter settings).
pub(crate) fn write_aligned(out: &mut impl Write, lines: &[Vec<String>]) -> std::io::Result<()> {
    let cols = lines.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0; cols];
    for line in lines {
        for (i, cell) in line.iter().enumerate() {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    for line in lines {
        let mut text = String::new();
        for (i, cell) in line.iter().enumerate() {
            text.push_str(cell);
            if i + 1 < line.len() {
                let pad = widths[i] - cell.chars().count() + 3;
                text.extend(std::iter::repeat_n(' ', pad));
            }
        }
        writeln!(out, "{}", text.trim_end())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_like_kubectl() {
        let lines = vec![
            vec!["NAME".to_owned(), "READY".to_owned()],
            vec!["a-long-name".to_owned(), "1/1".to_owned()],
        ];
        let mut out = Vec::new();
        write_aligned(&mut out, &lines).expect("write");
        assert_eq!(
            String::from_utf8(out).expect("utf8"),
            "NAME          READY\na-long-name   1/1\n"
        );
    }
}
