//! The PromQL Capstan asks: cAdvisor's `container_cpu_usage_seconds_total`
//! (as a rate) and `container_memory_working_set_bytes`, the series
//! metrics-server's figures come from too.

/// Query step and rate window for a range of `seconds`: about 240–360
/// points whatever the range, so a week costs what an hour does.
pub fn step_for(seconds: i64) -> (i64, i64) {
    let step = match seconds {
        s if s <= 3_600 => 15,
        s if s <= 6 * 3_600 => 60,
        s if s <= 24 * 3_600 => 300,
        _ => 1_800,
    };
    // A rate needs a few scrapes in its window; a window under the step
    // would skip samples between points.
    (step, (2 * step).max(60))
}

/// The CPU and memory queries for one target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queries {
    pub cpu: String,
    pub memory: String,
}

const CPU: &str = "container_cpu_usage_seconds_total";
const MEMORY: &str = "container_memory_working_set_bytes";
/// Real containers: cAdvisor also reports the pod's cgroup (container="")
/// and, with dockershim, the sandbox ("POD").
const CONTAINERS: &str = r#"container!="",container!="POD""#;
/// The pod's own cgroup, which holds all its containers.
const POD_CGROUP: &str = r#"container="""#;

/// `per_container`, or when it is empty `pod_level`: cAdvisor labels
/// container cgroups only when it can ask the runtime (not, e.g., with
/// containerd on a socket it does not know), while the kubelet labels the
/// pod's cgroup always.
fn or_pod_level(per_container: String, pod_level: String) -> String {
    format!("{per_container} or ({pod_level} unless on() {per_container})")
}

impl Queries {
    /// One series per container of a pod (one unlabelled series for the
    /// whole pod where cAdvisor does not label containers).
    pub fn pod(namespace: &str, pod: &str, window: i64) -> Self {
        let sel = format!(r#"namespace="{namespace}",pod="{pod}",{CONTAINERS}"#);
        let pod_sel = format!(r#"namespace="{namespace}",pod="{pod}",{POD_CGROUP}"#);
        Self {
            cpu: or_pod_level(
                format!("sum by (container) (rate({CPU}{{{sel}}}[{window}s]))"),
                format!("sum(rate({CPU}{{{pod_sel}}}[{window}s]))"),
            ),
            memory: or_pod_level(
                format!("sum by (container) ({MEMORY}{{{sel}}})"),
                format!("sum({MEMORY}{{{pod_sel}}})"),
            ),
        }
    }

    /// The sum over pods whose names match `pod_regex` (a workload's pods,
    /// including ones gone since): their pod cgroups, which the kubelet
    /// labels on every cluster.
    pub fn pods_matching(namespace: &str, pod_regex: &str, window: i64) -> Self {
        let sel = format!(r#"namespace="{namespace}",pod=~"{pod_regex}",{POD_CGROUP}"#);
        Self {
            cpu: format!("sum(rate({CPU}{{{sel}}}[{window}s]))"),
            memory: format!("sum({MEMORY}{{{sel}}})"),
        }
    }

    /// A node's root cgroup. The node label is `node` under the Prometheus
    /// operator and `kubernetes_io_hostname` with the plain chart's node SD.
    pub fn node(node: &str, window: i64) -> Self {
        let cpu =
            |label: &str| format!(r#"sum(rate({CPU}{{id="/",{label}="{node}"}}[{window}s]))"#);
        let mem = |label: &str| format!(r#"sum({MEMORY}{{id="/",{label}="{node}"}})"#);
        Self {
            cpu: format!("{} or {}", cpu("node"), cpu("kubernetes_io_hostname")),
            memory: format!("{} or {}", mem("node"), mem("kubernetes_io_hostname")),
        }
    }

    /// Every node's root cgroup, summed.
    pub fn cluster(window: i64) -> Self {
        Self {
            cpu: format!(r#"sum(rate({CPU}{{id="/"}}[{window}s]))"#),
            memory: format!(r#"sum({MEMORY}{{id="/"}})"#),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_grow_with_the_range() {
        assert_eq!(step_for(3_600), (15, 60));
        assert_eq!(step_for(6 * 3_600), (60, 120));
        assert_eq!(step_for(24 * 3_600), (300, 600));
        assert_eq!(step_for(7 * 24 * 3_600), (1_800, 3_600));
    }

    #[test]
    fn pod_queries() {
        let q = Queries::pod("web", "api-0", 60);
        let per_container = r#"sum by (container) (rate(container_cpu_usage_seconds_total{namespace="web",pod="api-0",container!="",container!="POD"}[60s]))"#;
        let pod_level = r#"sum(rate(container_cpu_usage_seconds_total{namespace="web",pod="api-0",container=""}[60s]))"#;
        assert_eq!(
            q.cpu,
            format!("{per_container} or ({pod_level} unless on() {per_container})")
        );
        assert!(q.memory.starts_with(
            r#"sum by (container) (container_memory_working_set_bytes{namespace="web",pod="api-0",container!="",container!="POD"}) or (sum(container_memory_working_set_bytes{namespace="web",pod="api-0",container=""}) unless on() "#
        ));
    }
}
