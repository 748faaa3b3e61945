//! One object at a time: details, YAML, edit/apply with conflict detection,
//! create from YAML, events, related objects, and the actions a table offers
//! (delete, scale, rollout restart, cordon/uncordon, drain).

mod types;

pub use types::*;
