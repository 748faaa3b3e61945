//! The two review requests. Both are `create`s of a review object the
//! server answers in its status and does not store.

use k8s_openapi::api::authorization::v1::{
    ResourceAttributes, SelfSubjectAccessReview, SelfSubjectAccessReviewSpec,
    SelfSubjectRulesReview, SelfSubjectRulesReviewSpec,
};
use kube::api::{Api, PostParams};

use super::{AccessQuery, Decision, RulesReview};
use crate::Error;

/// The namespace asked for cluster-wide grants. The rules review needs a
/// namespace and lists the grants of RoleBindings in it besides the
/// ClusterRoleBindings'; no namespace can have this name (uppercase is not a
/// DNS label), so no RoleBinding is in it and only cluster-wide grants are
/// listed. Servers accept it (the name is not validated).
const CLUSTER_WIDE_PROBE: &str = "Capstan-Cluster-Wide";

/// The user's rules in `namespace` ("" = cluster-wide grants only). A
/// server without the API (404) or one that refuses it is `supported: false`
/// rather than an error, so the UI can say so; other failures are errors.
pub async fn rules_review(
    client: &kube::Client,
    context: &str,
    namespace: &str,
) -> Result<RulesReview, Error> {
    let api: Api<SelfSubjectRulesReview> = Api::all(client.clone());
    let review = SelfSubjectRulesReview {
        spec: SelfSubjectRulesReviewSpec {
            namespace: Some(if namespace.is_empty() {
                CLUSTER_WIDE_PROBE.to_string()
            } else {
                namespace.to_string()
            }),
        },
        ..Default::default()
    };
    match api.create(&PostParams::default(), &review).await {
        Ok(answer) => Ok(match answer.status {
            Some(status) => RulesReview::from_status(namespace, status),
            None => RulesReview::unsupported(
                namespace,
                "the server answered the rules review without a status".to_string(),
            ),
        }),
        // 400/422: a server that validates the probe's namespace name.
        Err(kube::Error::Api(s)) if matches!(s.code, 400 | 403 | 404 | 405 | 422) => {
            tracing::debug!(%context, code = s.code, "no SelfSubjectRulesReview: {}", s.message);
            Ok(RulesReview::unsupported(
                namespace,
                format!(
                    "the server does not answer SelfSubjectRulesReview ({}: {})",
                    s.code, s.message
                ),
            ))
        }
        Err(e) => Err(Error::ClusterRequest {
            context: context.to_string(),
            action: "review your permissions",
            detail: crate::table::kube_error_text(&e),
        }),
    }
}

/// One cell through SelfSubjectAccessReview: the authorizers' own answer,
/// complete where a rules review may not be.
pub async fn access_review(
    client: &kube::Client,
    context: &str,
    query: &AccessQuery,
) -> Result<Decision, Error> {
    let api: Api<SelfSubjectAccessReview> = Api::all(client.clone());
    let review = SelfSubjectAccessReview {
        spec: SelfSubjectAccessReviewSpec {
            resource_attributes: Some(ResourceAttributes {
                group: Some(query.group.clone()),
                resource: Some(query.resource.clone()),
                subresource: query.subresource.clone(),
                verb: Some(query.verb.clone()),
                namespace: query.namespace.clone(),
                ..Default::default()
            }),
            ..Default::default()
        },
        ..Default::default()
    };
    match api.create(&PostParams::default(), &review).await {
        Ok(answer) => {
            let Some(status) = answer.status else {
                return Ok(Decision::Unknown {
                    reason: "the server answered the access review without a status".to_string(),
                });
            };
            let reason = status.reason.unwrap_or_default();
            let error = status.evaluation_error.filter(|e| !e.is_empty());
            Ok(if status.allowed {
                Decision::Allowed { reason }
            } else {
                let words = [Some(reason), error]
                    .into_iter()
                    .flatten()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join("; ");
                Decision::Denied {
                    reason: if words.is_empty() {
                        format!(
                            "the server's access review denies \"{}\" on {} and gave no reason: no Role or ClusterRole bound to you grants it",
                            query.verb,
                            shown(query)
                        )
                    } else {
                        words
                    },
                }
            })
        }
        Err(kube::Error::Api(s)) if matches!(s.code, 403..=405) => Ok(Decision::Unknown {
            reason: format!(
                "the server does not answer SelfSubjectAccessReview ({}: {})",
                s.code, s.message
            ),
        }),
        Err(e) => Err(Error::ClusterRequest {
            context: context.to_string(),
            action: "review a permission",
            detail: crate::table::kube_error_text(&e),
        }),
    }
}

fn shown(q: &AccessQuery) -> String {
    let mut r = q.resource.clone();
    if let Some(sub) = &q.subresource {
        r = format!("{r}/{sub}");
    }
    if !q.group.is_empty() {
        r = format!("{r}.{}", q.group);
    }
    r
}
