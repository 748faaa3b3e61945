//! The kind a resource argument names (`kubectl get <arg>`), resolved the
//! way kubectl does it and from discovery alone: no table of names here.

use kube::core::Version;

use super::navigation::is_built_in_group;
use super::KindInfo;
use crate::Error;

/// How many near names an unknown resource type suggests at most.
const MAX_NEAR: usize = 5;

/// The kind `arg` names, as kubectl resolves a resource argument:
///
/// 1. as a resource: `a.b.c` first as resource `a` at version `b` of group
///    `c` (`deployment.v1.apps`), then as resource `a` of group `b.c`
///    (`deployments.apps`, `widgets.capstan.dev`); a name without dots in
///    any group. The plural or singular name matches first, else one of the
///    server's short names (`deploy`, `deploy.apps`); case does not matter;
/// 2. if no resource matched, the same forms as a kind (`Deployment`,
///    `Deployment.apps`).
///
/// When several groups serve the name, the first in kubectl's discovery
/// order wins: the core group, then Kubernetes' own groups (the API server
/// ranks them above CRDs), then the others, by group name within each. So
/// `events` is core/v1, not events.k8s.io, and a CRD reusing a built-in
/// name needs its group. Each kind is known at the one version
/// `discover_kinds` picked, so `resource.version.group` with another
/// version is not found.
pub fn resolve_kind<'a>(kinds: &'a [KindInfo], arg: &str) -> Result<&'a KindInfo, Error> {
    let forms = forms(arg);
    forms
        .iter()
        .find_map(|f| by_resource(kinds, f))
        .or_else(|| forms.iter().find_map(|f| by_kind(kinds, f)))
        .ok_or_else(|| Error::UnknownResourceType {
            name: arg.to_string(),
            near: near_names(kinds, &forms),
        })
}

/// One reading of the argument: kubectl tries `a.b.c` as resource `a` at
/// version `b` of group `c`, then as resource `a` of group `b.c`.
struct Form<'s> {
    name: &'s str,
    version: Option<&'s str>,
    group: Option<&'s str>,
}

impl Form<'_> {
    fn scope(&self, k: &KindInfo) -> bool {
        self.group.is_none_or(|g| k.group.eq_ignore_ascii_case(g))
            && self
                .version
                .is_none_or(|v| k.version.eq_ignore_ascii_case(v))
    }
}

fn forms(arg: &str) -> Vec<Form<'_>> {
    let Some((name, rest)) = arg.split_once('.') else {
        return vec![Form {
            name: arg,
            version: None,
            group: None,
        }];
    };
    let mut out = Vec::with_capacity(2);
    if let Some((version, group)) = rest.split_once('.') {
        out.push(Form {
            name,
            version: Some(version),
            group: Some(group),
        });
    }
    out.push(Form {
        name,
        version: None,
        group: Some(rest),
    });
    out
}

/// The singular kubectl matches: the server's, else the lowercased kind.
fn singular(k: &KindInfo) -> &str {
    if k.singular.is_empty() {
        &k.kind
    } else {
        &k.singular
    }
}

/// A full name anywhere wins over a short name: kubectl expands a short
/// name only when no resource has that plural or singular.
fn by_resource<'a>(kinds: &'a [KindInfo], form: &Form) -> Option<&'a KindInfo> {
    let name = form.name;
    preferred(kinds.iter().filter(|k| {
        form.scope(k)
            && (k.plural.eq_ignore_ascii_case(name) || singular(k).eq_ignore_ascii_case(name))
    }))
    .or_else(|| {
        preferred(kinds.iter().filter(|k| {
            form.scope(k) && k.short_names.iter().any(|s| s.eq_ignore_ascii_case(name))
        }))
    })
}

fn by_kind<'a>(kinds: &'a [KindInfo], form: &Form) -> Option<&'a KindInfo> {
    preferred(
        kinds
            .iter()
            .filter(|k| form.scope(k) && k.kind.eq_ignore_ascii_case(form.name)),
    )
}

/// The match kubectl picks among groups serving the same name.
fn preferred<'a>(matches: impl Iterator<Item = &'a KindInfo>) -> Option<&'a KindInfo> {
    matches.min_by_key(|k| group_rank(&k.group))
}

/// Discovery lists the core group first, then Kubernetes' own groups
/// (ranked above CRDs and aggregated APIs by the API server), each tier
/// by group name.
fn group_rank(group: &str) -> (u8, &str) {
    let tier = if group.is_empty() {
        0
    } else if is_built_in_group(group) {
        1
    } else {
        2
    };
    (tier, group)
}

/// Names close to what was asked (a typo, or the right name in another
/// group or at another version), written the way the argument was.
fn near_names(kinds: &[KindInfo], forms: &[Form]) -> Vec<String> {
    let Some(first) = forms.first() else {
        return Vec::new();
    };
    let asked = first.name.to_ascii_lowercase();
    let max = if asked.len() <= 3 { 1 } else { 2 };
    // `a.v1.b` was meant as a version only if `v1` reads as one.
    let versioned = first
        .version
        .is_some_and(|v| !matches!(Version::parse(v), Version::Nonconformant(_)));
    let qualified = first.group.is_some();
    let mut near: Vec<(usize, (u8, &str), String)> = Vec::new();
    for k in kinds {
        let names = [k.plural.as_str(), singular(k)]
            .into_iter()
            .chain(k.short_names.iter().map(String::as_str));
        let Some((distance, name)) = names
            .map(|n| (edit_distance(&asked, &n.to_ascii_lowercase()), n))
            .min_by_key(|(d, _)| *d)
        else {
            continue;
        };
        if distance > max {
            continue;
        }
        let name = name.to_ascii_lowercase();
        let text = match (qualified && !k.group.is_empty(), versioned) {
            (false, _) => name,
            (true, false) => format!("{name}.{}", k.group),
            (true, true) => format!("{name}.{}.{}", k.version, k.group),
        };
        near.push((distance, group_rank(&k.group), text));
    }
    near.sort();
    let mut out: Vec<String> = Vec::new();
    for (_, _, text) in near {
        if !out.contains(&text) && out.len() < MAX_NEAR {
            out.push(text);
        }
    }
    out
}

/// Levenshtein distance over bytes (names are ASCII).
fn edit_distance(a: &str, b: &str) -> usize {
    let b = b.as_bytes();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.bytes().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if ca == *cb {
                diagonal
            } else {
                1 + diagonal.min(above).min(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}
