//! The in-app history: bounded rings of readings per container (grouped by
//! pod), node and namespace, plus the cluster's total. Every point of one
//! reading carries the reading's time, so sums over pods line up.
//!
//! A point is 12 bytes (`u32` seconds, `f32` cores, `f32` bytes: charts need
//! no more precision; the exact figures of the latest reading are kept
//! beside). One hour at 15 s is 240 points, 2.9 KB per ring: 1 000 pods of
//! one container are about 3 MB of points (`benches/metrics_refresh.rs`
//! measures it with the maps around them).

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::Arc;

use super::usage::{MetricsSource, Sample, Usage};
use super::MetricsError;

/// One point: time in unix seconds, CPU in cores, memory in bytes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub t: u32,
    pub cpu: f32,
    pub memory: f32,
}

impl Point {
    fn new(t: i64, usage: Usage) -> Self {
        Self {
            t: u32::try_from(t.max(0)).unwrap_or(u32::MAX),
            cpu: usage.cores() as f32,
            memory: usage.memory_bytes as f32,
        }
    }
}

/// A ring of at most `capacity` points, oldest first.
#[derive(Debug, Clone, Default)]
pub struct Ring {
    points: VecDeque<Point>,
}

impl Ring {
    fn push(&mut self, point: Point, capacity: usize, oldest: u32) {
        while self.points.len() >= capacity.max(1) {
            self.points.pop_front();
        }
        while self.points.front().is_some_and(|p| p.t < oldest) {
            self.points.pop_front();
        }
        self.points.push_back(point);
    }

    pub fn points(&self) -> impl Iterator<Item = &Point> {
        self.points.iter()
    }

    pub fn len(&self) -> usize {
        self.points.len()
    }

    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    fn last_t(&self) -> u32 {
        self.points.back().map(|p| p.t).unwrap_or(0)
    }
}

/// `(namespace, name)`.
pub type PodKey = (String, String);

/// How much history to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// Seconds between readings.
    pub interval_secs: u32,
    /// Seconds of history.
    pub keep_secs: u32,
}

impl Default for Retention {
    fn default() -> Self {
        Self {
            interval_secs: 15,
            keep_secs: 3_600,
        }
    }
}

impl Retention {
    /// Points per ring; one spare so a late reading does not drop the oldest
    /// point inside the window.
    pub fn capacity(&self) -> usize {
        (self.keep_secs / self.interval_secs.max(1)) as usize + 1
    }
}

#[derive(Debug, Default)]
pub struct History {
    retention: Retention,
    /// Per pod, its containers' rings in name order.
    pods: HashMap<PodKey, Vec<(String, Ring)>>,
    nodes: HashMap<String, Ring>,
    namespaces: HashMap<String, Ring>,
    cluster: Ring,
    /// The latest reading, exact, for tables and `top`.
    latest: Option<Arc<Sample>>,
    /// The latest failure, cleared by the next reading.
    last_error: Option<Arc<MetricsError>>,
}

impl History {
    pub fn new(retention: Retention) -> Self {
        Self {
            retention,
            ..Default::default()
        }
    }

    pub fn retention(&self) -> Retention {
        self.retention
    }

    /// Adds a reading taken at `now` (unix seconds). Pods, containers and
    /// nodes not heard of for longer than the retention are forgotten.
    pub fn record(&mut self, sample: Sample, now: i64) {
        let capacity = self.retention.capacity();
        let point_t = Point::new(now, Usage::default()).t;
        let oldest = point_t.saturating_sub(self.retention.keep_secs);
        let mut by_namespace: BTreeMap<&str, Usage> = BTreeMap::new();
        for pod in &sample.pods {
            let total = pod.total();
            let ns_total = by_namespace.entry(pod.namespace.as_str()).or_default();
            *ns_total = ns_total.plus(total);
            let rings = self
                .pods
                .entry((pod.namespace.clone(), pod.name.clone()))
                .or_default();
            for c in &pod.containers {
                // Containers in name order: sources list them in any order,
                // and a chart's legend should not reshuffle.
                let i = match rings.binary_search_by(|(name, _)| name.as_str().cmp(&c.name)) {
                    Ok(i) => i,
                    Err(i) => {
                        rings.insert(i, (c.name.clone(), Ring::default()));
                        i
                    }
                };
                rings[i].1.push(Point::new(now, c.usage), capacity, oldest);
            }
        }
        for (ns, usage) in by_namespace {
            self.namespaces.entry(ns.to_string()).or_default().push(
                Point::new(now, usage),
                capacity,
                oldest,
            );
        }
        let mut cluster = Usage::default();
        for node in &sample.nodes {
            cluster = cluster.plus(node.usage);
            self.nodes.entry(node.name.clone()).or_default().push(
                Point::new(now, node.usage),
                capacity,
                oldest,
            );
        }
        if !sample.nodes.is_empty() {
            self.cluster
                .push(Point::new(now, cluster), capacity, oldest);
        }
        self.pods.retain(|_, rings| {
            rings.retain(|(_, r)| r.last_t() >= oldest);
            !rings.is_empty()
        });
        self.nodes.retain(|_, r| r.last_t() >= oldest);
        self.namespaces.retain(|_, r| r.last_t() >= oldest);
        self.latest = Some(Arc::new(sample));
        self.last_error = None;
    }

    pub fn record_error(&mut self, error: MetricsError) {
        self.last_error = Some(Arc::new(error));
    }

    pub fn latest(&self) -> Option<Arc<Sample>> {
        self.latest.clone()
    }

    pub fn last_error(&self) -> Option<Arc<MetricsError>> {
        self.last_error.clone()
    }

    pub fn source(&self) -> Option<&MetricsSource> {
        self.latest.as_ref().map(|s| &s.source)
    }

    pub fn pod(&self, namespace: &str, name: &str) -> Option<&[(String, Ring)]> {
        self.pods
            .get(&(namespace.to_string(), name.to_string()))
            .map(Vec::as_slice)
    }

    pub fn node(&self, name: &str) -> Option<&Ring> {
        self.nodes.get(name)
    }

    pub fn namespace(&self, name: &str) -> Option<&Ring> {
        self.namespaces.get(name)
    }

    pub fn cluster(&self) -> &Ring {
        &self.cluster
    }

    /// How many rings and points are held (for the benchmark and logs).
    pub fn size(&self) -> (usize, usize) {
        let mut rings = 1 + self.nodes.len() + self.namespaces.len();
        let mut points = self.cluster.len();
        points += self.nodes.values().map(Ring::len).sum::<usize>();
        points += self.namespaces.values().map(Ring::len).sum::<usize>();
        for containers in self.pods.values() {
            rings += containers.len();
            points += containers.iter().map(|(_, r)| r.len()).sum::<usize>();
        }
        (rings, points)
    }

    /// The sum over `pods` of all their containers, point by point (points
    /// of one reading share their time).
    pub fn sum_pods<'a>(&self, pods: impl IntoIterator<Item = &'a PodKey>) -> Vec<Point> {
        let mut sums: BTreeMap<u32, (f32, f32)> = BTreeMap::new();
        for key in pods {
            for (_, ring) in self.pods.get(key).map(Vec::as_slice).unwrap_or_default() {
                for p in ring.points() {
                    let e = sums.entry(p.t).or_default();
                    e.0 += p.cpu;
                    e.1 += p.memory;
                }
            }
        }
        sums.into_iter()
            .map(|(t, (cpu, memory))| Point { t, cpu, memory })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::usage::{ContainerUsage, NodeUsage, PodUsage};

    fn usage(millicores: u64, mib: u64) -> Usage {
        Usage {
            cpu_nanocores: millicores * 1_000_000,
            memory_bytes: mib << 20,
        }
    }

    /// (namespace, pod, [(container, millicores = MiB)]).
    type PodSpec<'a> = (&'a str, &'a str, &'a [(&'a str, u64)]);

    fn sample(pods: &[PodSpec<'_>]) -> Sample {
        Sample {
            source: MetricsSource::MetricsApi,
            pods: pods
                .iter()
                .map(|(ns, name, cs)| PodUsage {
                    namespace: ns.to_string(),
                    name: name.to_string(),
                    timestamp: 0,
                    containers: cs
                        .iter()
                        .map(|(c, m)| ContainerUsage {
                            name: c.to_string(),
                            usage: usage(*m, *m),
                        })
                        .collect(),
                })
                .collect(),
            nodes: vec![NodeUsage {
                name: "n1".into(),
                timestamp: 0,
                usage: usage(1000, 1000),
            }],
        }
    }

    #[test]
    fn rings_are_bounded_and_sums_line_up() {
        let retention = Retention {
            interval_secs: 15,
            keep_secs: 60,
        };
        let mut h = History::new(retention);
        for i in 0..10 {
            h.record(
                sample(&[
                    ("a", "p1", &[("c1", 100), ("c2", 50)]),
                    ("a", "p2", &[("c", 10)]),
                ]),
                1_000 + i * 15,
            );
        }
        let p1 = h.pod("a", "p1").expect("p1");
        assert_eq!(p1.len(), 2);
        // 60 s at 15 s: five points (both ends) at most.
        assert_eq!(p1[0].1.len(), 5);
        assert_eq!(p1[0].1.points().next().map(|p| p.t), Some(1_075));
        let ns = h.namespace("a").expect("namespace ring");
        assert!(ns.points().all(|p| (p.cpu - 0.16).abs() < 1e-6));
        let keys = [
            ("a".to_string(), "p1".to_string()),
            ("a".to_string(), "p2".to_string()),
        ];
        let sum = h.sum_pods(keys.iter());
        assert_eq!(sum.len(), 5);
        assert!((sum[0].cpu - 0.16).abs() < 1e-6);
        assert!((h.cluster().points().last().map(|p| p.cpu).unwrap_or(0.0) - 1.0).abs() < 1e-6);
    }

    #[test]
    fn gone_pods_are_forgotten_after_the_retention() {
        let retention = Retention {
            interval_secs: 15,
            keep_secs: 30,
        };
        let mut h = History::new(retention);
        h.record(sample(&[("a", "gone", &[("c", 1)])]), 1_000);
        h.record(sample(&[("a", "kept", &[("c", 1)])]), 1_015);
        assert!(h.pod("a", "gone").is_some(), "kept while inside the window");
        h.record(sample(&[("a", "kept", &[("c", 1)])]), 1_045);
        assert!(h.pod("a", "gone").is_none());
        assert!(h.pod("a", "kept").is_some());
    }
}
