//! One object at a time: details, YAML, edit/apply with conflict detection,
//! create from YAML, events, related objects, and the actions a table offers
//! (delete, scale, rollout restart, cordon/uncordon, drain).
//!
//! Everything works on any kind through `DynamicObject`: the version in an
//! [`ObjectRef`] is the one discovery chose, never one written here.

mod actions;
mod apply;
pub(crate) mod common;
mod create;
mod details;
mod drain;
mod events;
pub mod pages;
mod related;
mod types;
mod yaml;

pub use actions::{delete, rollout_restart, scale, set_unschedulable};
pub use apply::apply_yaml;
pub use create::create_yaml;
pub use details::details;
pub use drain::{drain, evict, plan_drain, DrainOptions, DrainPlan};
pub use events::events;
pub use types::*;
pub use yaml::yaml;
