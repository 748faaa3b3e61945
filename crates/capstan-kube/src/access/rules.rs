//! A rules review's answer and its evaluation for one cell, as the RBAC
//! authorizer matches rules (`*`, `*/subresource`, resource names).

use k8s_openapi::api::authorization::v1::SubjectRulesReviewStatus;

use super::Decision;

/// One resource rule the server listed for the user.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReviewRule {
    pub api_groups: Vec<String>,
    pub resources: Vec<String>,
    pub resource_names: Vec<String>,
    pub verbs: Vec<String>,
}

/// What a SelfSubjectRulesReview said for one namespace ("" = cluster-wide
/// grants only), or that the server cannot say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RulesReview {
    pub namespace: String,
    /// False: the server has no rules review API (404) or refused to run it.
    pub supported: bool,
    pub incomplete: bool,
    pub evaluation_error: Option<String>,
    pub rules: Vec<ReviewRule>,
    /// Why `supported` is false, in the server's words.
    pub unsupported_reason: Option<String>,
}

impl RulesReview {
    pub fn from_status(namespace: &str, status: SubjectRulesReviewStatus) -> Self {
        Self {
            namespace: namespace.to_string(),
            supported: true,
            incomplete: status.incomplete,
            evaluation_error: status.evaluation_error.filter(|e| !e.is_empty()),
            rules: status
                .resource_rules
                .into_iter()
                .map(|r| ReviewRule {
                    api_groups: r.api_groups.unwrap_or_default(),
                    resources: r.resources.unwrap_or_default(),
                    resource_names: r.resource_names.unwrap_or_default(),
                    verbs: r.verbs,
                })
                .collect(),
            unsupported_reason: None,
        }
    }

    pub fn unsupported(namespace: &str, reason: String) -> Self {
        Self {
            namespace: namespace.to_string(),
            supported: false,
            incomplete: true,
            evaluation_error: None,
            rules: Vec::new(),
            unsupported_reason: Some(reason),
        }
    }

    /// May the user `verb` every object of `resource` (`/subresource`)?
    /// Rules limited to named objects do not grant the whole kind.
    pub fn decide(
        &self,
        group: &str,
        resource: &str,
        subresource: Option<&str>,
        verb: &str,
    ) -> Decision {
        if !self.supported {
            return Decision::Unknown {
                reason: self
                    .unsupported_reason
                    .clone()
                    .unwrap_or_else(|| "the server does not answer access reviews".to_string()),
            };
        }
        let combined = match subresource {
            Some(sub) => format!("{resource}/{sub}"),
            None => resource.to_string(),
        };
        let matching = |r: &&ReviewRule| {
            verb_matches(r, verb)
                && group_matches(r, group)
                && resource_matches(r, &combined, subresource)
        };
        if self
            .rules
            .iter()
            .filter(matching)
            .any(|r| r.resource_names.is_empty())
        {
            return Decision::Allowed {
                reason: String::new(),
            };
        }
        let named: Vec<&str> = self
            .rules
            .iter()
            .filter(matching)
            .flat_map(|r| r.resource_names.iter().map(String::as_str))
            .collect();
        let shown = if group.is_empty() {
            combined.clone()
        } else {
            format!("{combined}.{group}")
        };
        let scope = if self.namespace.is_empty() {
            "cluster-wide".to_string()
        } else {
            format!("in namespace \"{}\"", self.namespace)
        };
        if self.incomplete {
            let why = self
                .evaluation_error
                .as_deref()
                .map(|e| format!(" ({e})"))
                .unwrap_or_default();
            return Decision::Unknown {
                reason: format!("the server's rules review is incomplete{why}: no listed rule grants \"{verb}\" on {shown} {scope}, but another authorizer may"),
            };
        }
        let reason = if named.is_empty() {
            format!("no Role or ClusterRole bound to you grants \"{verb}\" on {shown} {scope}")
        } else {
            format!(
                "\"{verb}\" on {shown} {scope} is granted only for the objects named {}",
                named.join(", ")
            )
        };
        Decision::Denied { reason }
    }
}

fn verb_matches(rule: &ReviewRule, verb: &str) -> bool {
    rule.verbs.iter().any(|v| v == "*" || v == verb)
}

fn group_matches(rule: &ReviewRule, group: &str) -> bool {
    rule.api_groups.iter().any(|g| g == "*" || g == group)
}

fn resource_matches(rule: &ReviewRule, combined: &str, subresource: Option<&str>) -> bool {
    rule.resources.iter().any(|r| {
        r == "*"
            || r == combined
            || subresource.is_some_and(|sub| r.strip_prefix("*/") == Some(sub))
    })
}
