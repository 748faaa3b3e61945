//! Range queries through the service proxy, and the matrix they answer.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::discover::PrometheusService;
use crate::metrics::error::MetricsError;
use crate::metrics::metrics_api::get_text;

/// One series of a range query: its labels and `[unix seconds, value]`.
#[derive(Debug, Clone, PartialEq)]
pub struct RangeSeries {
    pub labels: BTreeMap<String, String>,
    pub points: Vec<[f64; 2]>,
}

#[derive(Deserialize)]
struct Answer {
    status: String,
    #[serde(default)]
    data: Option<Data>,
    #[serde(default)]
    error: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Data {
    result_type: String,
    result: Vec<RawSeries>,
}

#[derive(Deserialize)]
struct RawSeries {
    #[serde(default)]
    metric: BTreeMap<String, String>,
    #[serde(default)]
    values: Vec<(f64, String)>,
}

/// Reads a `query_range` answer. NaN and infinite values (a rate over a
/// counter reset window) are dropped, not drawn.
pub fn parse_matrix(json: &str) -> Result<Vec<RangeSeries>, MetricsError> {
    let answer: Answer = serde_json::from_str(json).map_err(|e| MetricsError::PrometheusQuery {
        detail: format!("the answer is not Prometheus's API: {e}"),
    })?;
    if answer.status != "success" {
        return Err(MetricsError::PrometheusQuery {
            detail: answer.error.unwrap_or(answer.status),
        });
    }
    let data = answer.data.ok_or_else(|| MetricsError::PrometheusQuery {
        detail: "the answer has no data".into(),
    })?;
    if data.result_type != "matrix" {
        return Err(MetricsError::PrometheusQuery {
            detail: format!("expected a matrix, got a {}", data.result_type),
        });
    }
    Ok(data
        .result
        .into_iter()
        .map(|s| RangeSeries {
            labels: s.metric,
            points: s
                .values
                .into_iter()
                .filter_map(|(t, v)| {
                    v.parse::<f64>()
                        .ok()
                        .filter(|v| v.is_finite())
                        .map(|v| [t, v])
                })
                .collect(),
        })
        .collect())
}

/// A Prometheus behind the API server's service proxy.
#[derive(Clone)]
pub struct Prometheus {
    client: kube::Client,
    pub service: PrometheusService,
}

impl Prometheus {
    pub fn new(client: kube::Client, service: PrometheusService) -> Self {
        Self { client, service }
    }

    /// `query_range` from `start` to `end` (unix seconds) every `step` s.
    pub async fn query_range(
        &self,
        query: &str,
        start: i64,
        end: i64,
        step: i64,
    ) -> Result<Vec<RangeSeries>, MetricsError> {
        let params = form_urlencoded::Serializer::new(String::new())
            .append_pair("query", query)
            .append_pair("start", &start.to_string())
            .append_pair("end", &end.to_string())
            .append_pair("step", &step.to_string())
            .finish();
        let path = self
            .service
            .proxy_path(&format!("/api/v1/query_range?{params}"));
        match get_text(&self.client, &path).await {
            Ok(text) => parse_matrix(&text),
            Err(kube::Error::Api(status)) => Err(MetricsError::PrometheusQuery {
                detail: format!(
                    "{}/{} answered {}: {}",
                    self.service.namespace, self.service.service, status.code, status.message
                ),
            }),
            Err(e) => Err(MetricsError::request(
                format!(
                    "query Prometheus {}/{}",
                    self.service.namespace, self.service.service
                ),
                e,
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrix() {
        let json = r#"{"status":"success","data":{"resultType":"matrix","result":[
            {"metric":{"container":"burn"},"values":[[1764784800,"0.01"],[1764784815,"0.97"],[1764784830,"NaN"]]}]}}"#;
        let series = parse_matrix(json).expect("parses");
        assert_eq!(series.len(), 1);
        assert_eq!(series[0].labels["container"], "burn");
        assert_eq!(
            series[0].points,
            vec![[1_764_784_800.0, 0.01], [1_764_784_815.0, 0.97]]
        );
    }

    #[test]
    fn errors_keep_prometheus_words() {
        let json = r#"{"status":"error","errorType":"bad_data","error":"parse error at char 5"}"#;
        let err = parse_matrix(json).expect_err("an error").to_string();
        assert!(err.contains("parse error at char 5"), "{err}");
        let err = parse_matrix("<html>")
            .expect_err("not prometheus")
            .to_string();
        assert!(err.contains("not Prometheus"), "{err}");
    }
}
