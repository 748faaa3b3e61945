//! One object at a time: details, YAML, apply/create, events, and actions.
//! Each command resolves the context's client and calls `capstan_kube::objects`.

use std::sync::Arc;

use capstan_kube::objects::{
    self, ApplyOutcome, CreateResult, DeletePropagation, DrainReport, EventInfo, ObjectDetails,
    ObjectRef, ObjectYaml,
};
use capstan_kube::ClientCache;

use crate::IpcError;

type Clients<'a> = tauri::State<'a, Arc<ClientCache>>;

#[tauri::command]
pub async fn object_details(
    context: String,
    reference: ObjectRef,
    clients: Clients<'_>,
) -> Result<ObjectDetails, IpcError> {
    let client = clients.get(&context).await?;
    Ok(objects::details(&client, &context, &reference).await?)
}

#[tauri::command]
pub async fn object_yaml(
    context: String,
    reference: ObjectRef,
    clients: Clients<'_>,
) -> Result<ObjectYaml, IpcError> {
    let client = clients.get(&context).await?;
    Ok(objects::yaml(&client, &context, &reference).await?)
}

#[tauri::command]
pub async fn object_events(
    context: String,
    reference: ObjectRef,
    clients: Clients<'_>,
) -> Result<Vec<EventInfo>, IpcError> {
    let client = clients.get(&context).await?;
    Ok(objects::events(&client, &context, &reference).await?)
}

/// Replaces the object with the edited YAML; a concurrent change comes back
/// as a conflict with both versions, and nothing is written.
#[tauri::command]
pub async fn apply_yaml(
    context: String,
    reference: ObjectRef,
    yaml: String,
    clients: Clients<'_>,
) -> Result<ApplyOutcome, IpcError> {
    let client = clients.get(&context).await?;
    Ok(objects::apply_yaml(&client, &context, &reference, &yaml).await?)
}

/// Creates every document of `yaml`; namespaced kinds without a namespace
/// go to `namespace`.
#[tauri::command]
pub async fn create_yaml(
    context: String,
    namespace: String,
    yaml: String,
    clients: Clients<'_>,
) -> Result<Vec<CreateResult>, IpcError> {
    let client = clients.get(&context).await?;
    Ok(objects::create_yaml(&client, &context, &namespace, &yaml).await?)
}

#[tauri::command]
pub async fn delete_object(
    context: String,
    reference: ObjectRef,
    propagation: DeletePropagation,
    clients: Clients<'_>,
) -> Result<(), IpcError> {
    let client = clients.get(&context).await?;
    objects::delete(&client, &context, &reference, propagation).await?;
    tracing::info!(%context, kind = %reference.kind, name = %reference.name, "deleted");
    Ok(())
}

#[tauri::command]
pub async fn scale_object(
    context: String,
    reference: ObjectRef,
    replicas: u32,
    clients: Clients<'_>,
) -> Result<(), IpcError> {
    let client = clients.get(&context).await?;
    objects::scale(&client, &context, &reference, replicas).await?;
    tracing::info!(%context, kind = %reference.kind, name = %reference.name, replicas, "scaled");
    Ok(())
}

#[tauri::command]
pub async fn restart_rollout(
    context: String,
    reference: ObjectRef,
    clients: Clients<'_>,
) -> Result<(), IpcError> {
    let client = clients.get(&context).await?;
    objects::rollout_restart(&client, &context, &reference).await?;
    tracing::info!(%context, kind = %reference.kind, name = %reference.name, "rollout restarted");
    Ok(())
}

#[tauri::command]
pub async fn cordon_node(
    context: String,
    name: String,
    unschedulable: bool,
    clients: Clients<'_>,
) -> Result<(), IpcError> {
    let client = clients.get(&context).await?;
    objects::set_unschedulable(&client, &context, &name, unschedulable).await?;
    tracing::info!(%context, node = %name, unschedulable, "node schedulability changed");
    Ok(())
}

#[tauri::command]
pub async fn drain_node(
    context: String,
    name: String,
    clients: Clients<'_>,
) -> Result<DrainReport, IpcError> {
    let client = clients.get(&context).await?;
    Ok(objects::drain(&client, &context, &name, &objects::DrainOptions::default()).await?)
}
