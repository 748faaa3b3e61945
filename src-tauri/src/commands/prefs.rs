//! Pins, last views and panel sizes: read and written through
//! `capstan_kube::prefs` (one atomic settings write each).

use capstan_kube::objects::ObjectRef;
use capstan_kube::prefs::{self, KindLayout, LastView, Pin, UiPrefs};

use super::contexts::blocking;
use crate::ipc_error::IpcError;

#[tauri::command]
pub async fn ui_prefs() -> Result<UiPrefs, IpcError> {
    blocking(prefs::load_prefs).await
}

/// Replaces the pins (the UI sends the whole ordered list).
#[tauri::command]
pub async fn set_pins(pins: Vec<Pin>) -> Result<UiPrefs, IpcError> {
    blocking(move || prefs::update_prefs(|p| p.set_pins(pins))).await
}

#[tauri::command]
pub async fn remember_view(
    context: String,
    kind: String,
    object: Option<ObjectRef>,
) -> Result<(), IpcError> {
    blocking(move || {
        prefs::update_prefs(|p| {
            p.remember_view(&context, LastView { kind, object });
            Ok(())
        })
        .map(drop)
    })
    .await
}

#[tauri::command]
pub async fn set_layout(kind: String, layout: KindLayout) -> Result<(), IpcError> {
    blocking(move || {
        prefs::update_prefs(|p| {
            p.set_layout(&kind, layout);
            Ok(())
        })
        .map(drop)
    })
    .await
}

#[tauri::command]
pub async fn set_dock_height(height: u32) -> Result<(), IpcError> {
    blocking(move || {
        prefs::update_prefs(|p| {
            p.set_dock_height(height);
            Ok(())
        })
        .map(drop)
    })
    .await
}
