//! Review answers for the context and namespace in view. Asking for another
//! context or namespace starts afresh (so a switch refreshes what the UI
//! shows), and a 403 anywhere drops the answers of its context.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use super::{
    access_review, columns_for, rules_review, AccessMatrix, AccessQuery, Decision, KindAccess,
    RulesReview, VerbAccess,
};
use crate::discovery::KindInfo;
use crate::table::{LiveSink, ViewEvent, ViewStatus};
use crate::Error;

#[derive(Default)]
struct Scope {
    context: String,
    namespace: Option<String>,
    /// By the review's namespace ("" = cluster-wide).
    reviews: HashMap<String, Arc<RulesReview>>,
    checks: HashMap<AccessQuery, Decision>,
}

/// The app's one cache of access answers (Tauri-managed).
#[derive(Default)]
pub struct AccessCache {
    scope: Mutex<Scope>,
}

impl AccessCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, Scope> {
        self.scope.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Moves to `context`/`namespace`, dropping every answer of another scope.
    fn enter(&self, context: &str, namespace: Option<&str>) {
        let mut scope = self.lock();
        if scope.context != context || scope.namespace.as_deref() != namespace {
            *scope = Scope {
                context: context.to_string(),
                namespace: namespace.map(str::to_string),
                ..Scope::default()
            };
        }
    }

    /// Forgets every answer for `context` (after a 403, or on request).
    pub fn invalidate(&self, context: &str) {
        let mut scope = self.lock();
        if scope.context == context {
            tracing::debug!(%context, "access answers dropped");
            scope.reviews.clear();
            scope.checks.clear();
        }
    }

    async fn review(
        &self,
        client: &kube::Client,
        context: &str,
        namespace: &str,
    ) -> Result<Arc<RulesReview>, Error> {
        if let Some(found) = self.lock().reviews.get(namespace) {
            return Ok(found.clone());
        }
        let fresh = Arc::new(rules_review(client, context, namespace).await?);
        let mut scope = self.lock();
        if scope.context == context {
            scope.reviews.insert(namespace.to_string(), fresh.clone());
        }
        Ok(fresh)
    }

    /// The matrix of `kinds` × verbs for `namespace` (None: all
    /// namespaces). Namespaced kinds are judged by the namespace's rules,
    /// cluster-scoped ones by the cluster-wide rules. Cells a single check
    /// already settled take that answer.
    pub async fn matrix(
        &self,
        client: &kube::Client,
        context: &str,
        namespace: Option<&str>,
        kinds: &[KindInfo],
    ) -> Result<AccessMatrix, Error> {
        self.enter(context, namespace);
        let cluster = self.review(client, context, "").await?;
        let in_namespace = match namespace {
            Some(ns) => self.review(client, context, ns).await?,
            None => cluster.clone(),
        };
        let checks = self.lock().checks.clone();
        let kinds = kinds
            .iter()
            .map(|kind| {
                let (review, ns) = if kind.namespaced {
                    (&in_namespace, namespace)
                } else {
                    (&cluster, None)
                };
                let verbs = columns_for(&kind.group, &kind.plural)
                    .into_iter()
                    .map(|(column, verb, sub)| {
                        let query = AccessQuery {
                            group: kind.group.clone(),
                            resource: kind.plural.clone(),
                            subresource: sub.map(str::to_string),
                            verb: verb.to_string(),
                            namespace: ns.map(str::to_string),
                        };
                        let decision = checks
                            .get(&query)
                            .cloned()
                            .unwrap_or_else(|| review.decide(&kind.group, &kind.plural, sub, verb));
                        VerbAccess {
                            verb: column.to_string(),
                            decision,
                        }
                    })
                    .collect();
                KindAccess {
                    group: kind.group.clone(),
                    kind: kind.kind.clone(),
                    plural: kind.plural.clone(),
                    namespaced: kind.namespaced,
                    verbs,
                }
            })
            .collect();
        Ok(AccessMatrix {
            context: context.to_string(),
            namespace: namespace.map(str::to_string),
            supported: in_namespace.supported && cluster.supported,
            incomplete: in_namespace.incomplete || cluster.incomplete,
            evaluation_error: in_namespace
                .evaluation_error
                .clone()
                .or_else(|| cluster.evaluation_error.clone()),
            kinds,
        })
    }

    /// Single checks through SelfSubjectAccessReview (the authorizers' own
    /// answer, with its reason), cached in the current scope.
    pub async fn check(
        &self,
        client: &kube::Client,
        context: &str,
        queries: &[AccessQuery],
    ) -> Result<Vec<Decision>, Error> {
        let mut out = Vec::with_capacity(queries.len());
        for query in queries {
            let cached = {
                let scope = self.lock();
                (scope.context == context)
                    .then(|| scope.checks.get(query).cloned())
                    .flatten()
            };
            let decision = match cached {
                Some(d) => d,
                None => {
                    let d = access_review(client, context, query).await?;
                    let mut scope = self.lock();
                    if scope.context == context {
                        scope.checks.insert(query.clone(), d.clone());
                    }
                    d
                }
            };
            out.push(decision);
        }
        Ok(out)
    }

    /// A live view's sink that drops `context`'s answers when the view ends
    /// as not allowed, so the next matrix asks the server again.
    pub fn forbidden_aware(
        self: &Arc<Self>,
        context: &str,
        sink: Arc<dyn LiveSink>,
    ) -> Arc<dyn LiveSink> {
        Arc::new(ForbiddenAware {
            cache: self.clone(),
            context: context.to_string(),
            sink,
        })
    }
}

/// See [`AccessCache::forbidden_aware`].
pub struct ForbiddenAware {
    cache: Arc<AccessCache>,
    context: String,
    sink: Arc<dyn LiveSink>,
}

impl LiveSink for ForbiddenAware {
    fn send(&self, event: ViewEvent) -> bool {
        if let ViewEvent::Status {
            status: ViewStatus::NotAllowed { .. },
        } = &event
        {
            self.cache.invalidate(&self.context);
        }
        self.sink.send(event)
    }
}
