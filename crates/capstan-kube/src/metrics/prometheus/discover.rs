//! Finding a Prometheus among the cluster's services: kube-prometheus-stack
//! (`prometheus-operated`, `<release>-kube-prometheus-prometheus`), the
//! Prometheus operator (`prometheus-operated`), the plain chart
//! (`prometheus-server`) or a service called `prometheus`, exposing 9090 or a
//! port named `web`/`http`/`http-web`. Each candidate is asked for its build
//! info through the service proxy; the first that answers is used.

use k8s_openapi::api::core::v1::Service;
use serde::{Deserialize, Serialize};
#[cfg(any(test, feature = "ts"))]
use ts_rs::TS;

use crate::metrics::error::{classify, Unavailable};
use crate::metrics::metrics_api::get_text;

/// A Prometheus service, as the proxy path names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct PrometheusService {
    pub namespace: String,
    pub service: String,
    /// The port's name, or its number.
    pub port: String,
    /// `http` or `https`.
    #[serde(default = "http")]
    pub scheme: String,
}

fn http() -> String {
    "http".into()
}

impl PrometheusService {
    /// The service-proxy path of `api_path` (e.g. `/api/v1/query_range`).
    pub fn proxy_path(&self, api_path: &str) -> String {
        let scheme = if self.scheme == "https" { "https:" } else { "" };
        format!(
            "/api/v1/namespaces/{}/services/{scheme}{}:{}/proxy{api_path}",
            self.namespace, self.service, self.port
        )
    }
}

/// Namespaces where Prometheus usually lives, asked one by one when the user
/// may not list services cluster-wide.
const USUAL_NAMESPACES: &[&str] = &[
    "monitoring",
    "prometheus",
    "kube-system",
    "observability",
    "kube-prometheus-stack",
    "default",
];

const NOT_PROMETHEUS: &[&str] = &[
    "alertmanager",
    "pushgateway",
    "node-exporter",
    "kube-state-metrics",
    "operator",
    "adapter",
    "blackbox",
    "kubelet",
    "grafana",
];

/// How likely a service is the Prometheus (lower is better) and the port to
/// use; `None` when it is not one.
pub fn rank_service(name: &str, ports: &[(Option<String>, i32)]) -> Option<(u8, String)> {
    if !name.contains("prometheus") || NOT_PROMETHEUS.iter().any(|n| name.contains(n)) {
        return None;
    }
    let port = ports.iter().find(|(_, p)| *p == 9090).or_else(|| {
        ports
            .iter()
            .find(|(n, _)| matches!(n.as_deref(), Some("web" | "http" | "http-web")))
    })?;
    let port = port.0.clone().unwrap_or_else(|| port.1.to_string());
    let rank = if name == "prometheus-operated" {
        0
    } else if name.ends_with("-kube-prometheus-prometheus")
        || name.ends_with("-kube-prometheus-stack-prometheus")
    {
        1
    } else if name == "prometheus-server" || name.ends_with("-prometheus-server") {
        2
    } else if name == "prometheus" || name.ends_with("-prometheus") {
        3
    } else {
        4
    };
    Some((rank, port))
}

fn candidates(services: &[Service]) -> Vec<(u8, PrometheusService)> {
    let mut found: Vec<(u8, usize, PrometheusService)> = services
        .iter()
        .filter_map(|s| {
            let name = s.metadata.name.clone()?;
            let namespace = s.metadata.namespace.clone()?;
            let ports: Vec<(Option<String>, i32)> = s
                .spec
                .as_ref()
                .and_then(|spec| spec.ports.as_ref())
                .map(|ps| ps.iter().map(|p| (p.name.clone(), p.port)).collect())
                .unwrap_or_default();
            let (rank, port) = rank_service(&name, &ports)?;
            let ns_rank = USUAL_NAMESPACES
                .iter()
                .position(|n| *n == namespace)
                .unwrap_or(USUAL_NAMESPACES.len());
            Some((
                rank,
                ns_rank,
                PrometheusService {
                    namespace,
                    service: name,
                    port,
                    scheme: "http".into(),
                },
            ))
        })
        .collect();
    found.sort_by(|a, b| {
        (a.0, a.1, &a.2.namespace, &a.2.service).cmp(&(b.0, b.1, &b.2.namespace, &b.2.service))
    });
    found.into_iter().map(|(r, _, s)| (r, s)).collect()
}

async fn list_services(client: &kube::Client) -> Result<Vec<Service>, Unavailable> {
    let all: kube::Api<Service> = kube::Api::all(client.clone());
    match all.list(&Default::default()).await {
        Ok(list) => return Ok(list.items),
        Err(e) => {
            let reason = classify(&e, "list", "", "services", None);
            if !matches!(reason, Unavailable::Forbidden(_)) {
                return Err(reason);
            }
        }
    }
    let mut services = Vec::new();
    for ns in USUAL_NAMESPACES {
        let api: kube::Api<Service> = kube::Api::namespaced(client.clone(), ns);
        if let Ok(list) = api.list(&Default::default()).await {
            services.extend(list.items);
        }
    }
    Ok(services)
}

/// Whether `service` answers as a Prometheus through the service proxy.
pub(crate) async fn probe(
    client: &kube::Client,
    service: &PrometheusService,
) -> Result<(), Unavailable> {
    match get_text(client, &service.proxy_path("/api/v1/status/buildinfo")).await {
        Ok(text) if text.contains("\"success\"") => Ok(()),
        Ok(_) => Err(Unavailable::Unreachable(format!(
            "{}/{} answered, but not as Prometheus",
            service.namespace, service.service
        ))),
        Err(e) => Err(
            match classify(&e, "get", "", "services/proxy", Some(&service.namespace)) {
                // A 404/503 from the proxy is a service without a ready endpoint.
                Unavailable::NotInstalled => Unavailable::Unreachable(format!(
                    "{}/{} has no endpoint answering",
                    service.namespace, service.service
                )),
                other => other,
            },
        ),
    }
}

/// The first Prometheus that answers, or why there is none.
pub async fn discover(client: &kube::Client) -> Result<PrometheusService, Unavailable> {
    let services = list_services(client).await?;
    let mut first_failure = None;
    for (_, candidate) in candidates(&services) {
        match probe(client, &candidate).await {
            Ok(()) => {
                tracing::debug!(namespace = %candidate.namespace, service = %candidate.service, "found Prometheus");
                return Ok(candidate);
            }
            Err(reason) => {
                tracing::debug!(namespace = %candidate.namespace, service = %candidate.service, %reason, "not a usable Prometheus");
                first_failure.get_or_insert(reason);
            }
        }
    }
    Err(first_failure.unwrap_or(Unavailable::NotInstalled))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ports(list: &[(&str, i32)]) -> Vec<(Option<String>, i32)> {
        list.iter()
            .map(|(n, p)| ((!n.is_empty()).then(|| n.to_string()), *p))
            .collect()
    }

    #[test]
    fn usual_names() {
        assert_eq!(
            rank_service("prometheus-operated", &ports(&[("web", 9090)])),
            Some((0, "web".into()))
        );
        assert_eq!(
            rank_service(
                "kps-kube-prometheus-prometheus",
                &ports(&[("http-web", 9090), ("reloader-web", 8080)])
            ),
            Some((1, "http-web".into()))
        );
        assert_eq!(
            rank_service("prometheus-server", &ports(&[("http", 80)])),
            Some((2, "http".into()))
        );
        assert_eq!(
            rank_service("prometheus", &ports(&[("", 9090)])),
            Some((3, "9090".into()))
        );
    }

    #[test]
    fn not_prometheus() {
        assert_eq!(
            rank_service("kps-kube-prometheus-alertmanager", &ports(&[("web", 9093)])),
            None
        );
        assert_eq!(
            rank_service("kps-kube-prometheus-operator", &ports(&[("https", 443)])),
            None
        );
        assert_eq!(
            rank_service(
                "kps-prometheus-node-exporter",
                &ports(&[("http-metrics", 9100)])
            ),
            None
        );
        assert_eq!(
            rank_service("prometheus-kubelet", &ports(&[("https-metrics", 10250)])),
            None
        );
        assert_eq!(rank_service("web", &ports(&[("http", 80)])), None);
        assert_eq!(rank_service("prometheus-db", &ports(&[("pg", 5432)])), None);
    }
}
