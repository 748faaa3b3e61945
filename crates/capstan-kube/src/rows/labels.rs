//! Label maps and selectors as kubectl prints them (apimachinery's
//! `labels.FormatLabels` and `LabelSelectorAsSelector(..).String()`).

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

/// `k=v,k2=v2` sorted by key, `<none>` when empty.
pub fn format_labels(map: Option<&BTreeMap<String, String>>) -> String {
    match map {
        Some(m) if !m.is_empty() => m
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(","),
        _ => "<none>".to_owned(),
    }
}

/// A label selector's requirements, sorted by key, in selector syntax.
pub fn format_selector(selector: Option<&LabelSelector>) -> String {
    let Some(selector) = selector else {
        return "<none>".to_owned();
    };
    let mut requirements: Vec<(String, String)> = Vec::new();
    if let Some(labels) = &selector.match_labels {
        for (k, v) in labels {
            requirements.push((k.clone(), format!("{k}={v}")));
        }
    }
    for e in selector.match_expressions.iter().flatten() {
        let mut values = e.values.clone().unwrap_or_default();
        values.sort();
        let k = &e.key;
        let text = match e.operator.as_str() {
            "In" => format!("{k} in ({})", values.join(",")),
            "NotIn" => format!("{k} notin ({})", values.join(",")),
            "Exists" => k.clone(),
            "DoesNotExist" => format!("!{k}"),
            other => format!("{k} {other} ({})", values.join(",")),
        };
        requirements.push((k.clone(), text));
    }
    // Stable: matchLabels before expressions on the same key, as apimachinery.
    requirements.sort_by(|a, b| a.0.cmp(&b.0));
    requirements
        .into_iter()
        .map(|(_, t)| t)
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelectorRequirement;

    #[test]
    fn selectors_sort_by_key() {
        let s = LabelSelector {
            match_labels: Some(BTreeMap::from([
                ("b".to_owned(), "2".to_owned()),
                ("a".to_owned(), "1".to_owned()),
            ])),
            match_expressions: Some(vec![
                LabelSelectorRequirement {
                    key: "c".into(),
                    operator: "In".into(),
                    values: Some(vec!["y".into(), "x".into()]),
                },
                LabelSelectorRequirement {
                    key: "0".into(),
                    operator: "DoesNotExist".into(),
                    values: None,
                },
            ]),
        };
        assert_eq!(format_selector(Some(&s)), "!0,a=1,b=2,c in (x,y)");
        assert_eq!(format_labels(None), "<none>");
    }
}
