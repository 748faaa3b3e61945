//! `capstan get`: kubectl get over capstan-kube's discovery and rows.
//! Built-in kinds print our projections; other kinds the server's Table.
//! `-o json|yaml` stream the server's objects page by page.

use std::io::{BufWriter, Write};

use capstan_kube::discovery::{self, KindInfo};
use capstan_kube::rows::{self, Column, Row};
use clap::{Args, ValueEnum};
use kube::api::{Api, DynamicObject, ListParams};
use serde::Deserialize;

/// Objects per list request, as kubectl's default --chunk-size.
const PAGE: u32 = 500;

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

pub fn run(args: GetArgs) -> Result<(), String> {
    if args.all_namespaces && args.name.is_some() {
        return Err("a resource cannot be retrieved by name across all namespaces".into());
    }
    let crate::scope::Scope {
        loaded,
        context,
        namespace,
    } = crate::scope::resolve(args.context.as_deref(), args.namespace.as_deref())?;
    let rt = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    rt.block_on(async move {
        let client = capstan_kube::contexts::client(&loaded, &context)
            .await
            .map_err(|e| e.to_string())?;
        let kinds = discovery::discover_kinds(&client, &context)
            .await
            .map_err(|e| e.to_string())?;
        let kind = discovery::resolve_kind(&kinds, &args.kind).map_err(|e| e.to_string())?;
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

/// One page of a list, items kept as the server's JSON.
#[derive(Deserialize)]
struct Page {
    #[serde(default)]
    metadata: PageMeta,
    #[serde(default)]
    items: Vec<serde_json::Value>,
}

#[derive(Deserialize, Default)]
struct PageMeta {
    #[serde(rename = "continue")]
    continue_: Option<String>,
}

impl Get<'_> {
    fn api(&self) -> Api<DynamicObject> {
        let ar = self.kind.api_resource();
        match self.ns {
            Some(ns) => Api::namespaced_with(self.client.clone(), ns, &ar),
            None => Api::all_with(self.client.clone(), &ar),
        }
    }

    fn list_error(&self, e: impl std::fmt::Display) -> String {
        format!("listing {} in {}: {e}", self.kind.plural, self.context)
    }

    async fn run(&self) -> Result<(), String> {
        let stdout = std::io::stdout();
        let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
        let result = match self.args.output {
            Some(Output::Json) => self.write_list(&mut out, false).await,
            Some(Output::Yaml) => self.write_list(&mut out, true).await,
            Some(Output::Name) => self.write_names(&mut out).await,
            Some(Output::Wide) => self.write_table(&mut out, true).await,
            None => self.write_table(&mut out, false).await,
        };
        out.flush().map_err(|e| e.to_string())?;
        result
    }

    /// Every object (or the named one) as the server's JSON, page by page.
    async fn for_each_item(
        &self,
        mut f: impl FnMut(serde_json::Value) -> Result<(), String>,
    ) -> Result<usize, String> {
        let api = self.api();
        if let Some(name) = &self.args.name {
            let req = kube::core::Request::new(api.resource_url())
                .get(name, &Default::default())
                .map_err(|e| self.list_error(e))?;
            let item: serde_json::Value = self
                .client
                .request(req)
                .await
                .map_err(|e| self.not_found(name, e))?;
            f(item)?;
            return Ok(1);
        }
        let mut count = 0;
        let mut token: Option<String> = None;
        loop {
            let mut lp = ListParams::default().limit(PAGE);
            if let Some(s) = &self.args.selector {
                lp = lp.labels(s);
            }
            if let Some(t) = &token {
                lp = lp.continue_token(t);
            }
            let req = kube::core::Request::new(api.resource_url())
                .list(&lp)
                .map_err(|e| self.list_error(e))?;
            let page: Page = self
                .client
                .request(req)
                .await
                .map_err(|e| self.list_error(server_words(e)))?;
            count += page.items.len();
            for item in page.items {
                f(item)?;
            }
            token = page.metadata.continue_.filter(|t| !t.is_empty());
            if token.is_none() {
                return Ok(count);
            }
        }
    }

    fn not_found(&self, name: &str, e: kube::Error) -> String {
        match e {
            kube::Error::Api(s) if s.code == 404 => {
                format!("{} \"{name}\" not found", self.kind.plural)
            }
            e => self.list_error(server_words(e)),
        }
    }

    /// kubectl's List wrapper around the items (one object alone when named).
    async fn write_list(&self, out: &mut impl Write, yaml: bool) -> Result<(), String> {
        let io = |e: std::io::Error| e.to_string();
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
                    let text = serde_yaml::to_string(&item).map_err(|e| e.to_string())?;
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

    async fn write_names(&self, out: &mut impl Write) -> Result<(), String> {
        let kind = self.kind.kind.to_ascii_lowercase();
        let prefix = if self.kind.group.is_empty() {
            kind
        } else {
            format!("{kind}.{}", self.kind.group)
        };
        let count = self
            .for_each_item(|item| {
                let name = item["metadata"]["name"].as_str().unwrap_or_default();
                writeln!(out, "{prefix}/{name}").map_err(|e| e.to_string())
            })
            .await?;
        self.report_empty(count);
        Ok(())
    }

    async fn write_table(&self, out: &mut impl Write, wide: bool) -> Result<(), String> {
        let (columns, rows) = match rows::builtin(&self.kind.group, &self.kind.kind) {
            Some(projector) => {
                let mut rows = Vec::new();
                self.for_each_item(|item| {
                    let object: DynamicObject =
                        serde_json::from_value(item).map_err(|e| e.to_string())?;
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
        write_aligned(out, &lines).map_err(|e| e.to_string())
    }

    /// Kinds without a projection: the server's Table (all pages).
    async fn server_table(&self) -> Result<(Vec<Column>, Vec<Row>), String> {
        if self.args.selector.is_some() {
            return Err(format!(
                "-l is not supported yet for {} (no built-in projection); use -o json",
                self.kind.plural
            ));
        }
        let ar = self.kind.api_resource();
        let table =
            capstan_kube::table::fetch_table(&self.client, self.context, &ar, self.ns, PAGE)
                .await
                .map_err(|e| e.to_string())?;
        let columns = rows::table_columns(&table.column_definitions);
        let mut out: Vec<Row> = table
            .rows
            .iter()
            .map(|r| rows::from_table_row(&table.column_definitions, r))
            .collect();
        if let Some(name) = &self.args.name {
            out.retain(|r| &r.name == name);
            if out.is_empty() {
                return Err(format!("{} \"{name}\" not found", self.kind.plural));
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

/// The server's message for an API error (e.g. a bad selector), else kube's.
fn server_words(e: kube::Error) -> String {
    match e {
        kube::Error::Api(s) => s.message,
        e => e.to_string(),
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
fn write_aligned(out: &mut impl Write, lines: &[Vec<String>]) -> std::io::Result<()> {
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
