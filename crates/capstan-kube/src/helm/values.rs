//! Computed values (`helm get values --all`): the chart's defaults
//! coalesced with the user's values as Helm's `chartutil.CoalesceValues`
//! does it: maps merge key by key, the user's value wins, and a user `null`
//! deletes the key from the defaults.

use serde_json::{Map, Value};

/// The user's values over the chart's defaults.
pub fn computed_values(
    defaults: Option<&Map<String, Value>>,
    user: &Map<String, Value>,
) -> Map<String, Value> {
    let mut out = user.clone();
    if let Some(defaults) = defaults {
        coalesce_top(&mut out, defaults);
    }
    out
}

/// Helm's `coalesceValues`: only keys the chart has are looked at, so a
/// user `null` for a key the chart lacks stays as it is.
fn coalesce_top(user: &mut Map<String, Value>, defaults: &Map<String, Value>) {
    for (key, default) in defaults {
        match user.get_mut(key) {
            Some(Value::Null) => {
                user.remove(key);
            }
            Some(Value::Object(dst)) => {
                if let Value::Object(src) = default {
                    coalesce_tables(dst, src);
                }
                // A map over a scalar default: helm warns and keeps the user's.
            }
            Some(_) => {}
            None => {
                user.insert(key.clone(), default.clone());
            }
        }
    }
}

/// Helm's `coalesceTablesFullKey` with `merge = false`.
fn coalesce_tables(dst: &mut Map<String, Value>, src: &Map<String, Value>) {
    for (key, default) in src {
        match dst.get_mut(key) {
            Some(Value::Null) => {
                dst.remove(key);
            }
            None => {
                dst.insert(key.clone(), default.clone());
            }
            Some(Value::Object(inner)) => {
                if let Value::Object(src_inner) = default {
                    coalesce_tables(inner, src_inner);
                }
            }
            Some(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    #[test]
    fn nested_maps_merge_and_the_user_wins() {
        let defaults = map(json!({
            "replicaCount": 1,
            "image": {"repository": "nginx", "tag": "", "pullPolicy": "IfNotPresent"},
            "service": {"type": "ClusterIP", "port": 80},
            "list": [1, 2]
        }));
        let user = map(json!({
            "replicaCount": 3,
            "image": {"tag": "1.25"},
            "list": [9],
            "extra": {"a": 1}
        }));
        assert_eq!(
            Value::Object(computed_values(Some(&defaults), &user)),
            json!({
                "replicaCount": 3,
                "image": {"repository": "nginx", "tag": "1.25", "pullPolicy": "IfNotPresent"},
                "service": {"type": "ClusterIP", "port": 80},
                "list": [9],
                "extra": {"a": 1}
            })
        );
    }

    #[test]
    fn a_user_null_deletes_a_default() {
        let defaults =
            map(json!({"a": 1, "probe": {"httpGet": {"path": "/"}}, "n": {"x": 1, "y": 2}}));
        let user = map(json!({"a": null, "probe": null, "n": {"y": null}, "other": null}));
        assert_eq!(
            Value::Object(computed_values(Some(&defaults), &user)),
            json!({"n": {"x": 1}, "other": null})
        );
    }

    #[test]
    fn scalars_and_maps_do_not_mix() {
        let defaults = map(json!({"a": {"b": 1}, "c": 5}));
        let user = map(json!({"a": "flat", "c": {"d": 1}}));
        assert_eq!(
            Value::Object(computed_values(Some(&defaults), &user)),
            json!({"a": "flat", "c": {"d": 1}})
        );
    }

    #[test]
    fn no_defaults_is_the_user_values() {
        let user = map(json!({"a": 1}));
        assert_eq!(computed_values(None, &user), user);
    }
}
