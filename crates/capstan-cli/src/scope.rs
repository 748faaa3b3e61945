//! Which context and namespace a command acts on, as kubectl decides it:
//! `--context` else the current context; `-n` else the context's namespace,
//! else `default`.

use capstan_kube::contexts::LoadedKubeconfig;

pub struct Scope {
    pub loaded: LoadedKubeconfig,
    pub context: String,
    pub namespace: String,
}

pub fn resolve(context: Option<&str>, namespace: Option<&str>) -> anyhow::Result<Scope> {
    let loaded = crate::load()?;
    let context = match context
        .map(str::to_string)
        .or(loaded.merged.current_context.clone())
    {
        Some(c) if !c.is_empty() => c,
        _ => {
            return Err(anyhow::anyhow!(
                "no current context: run `capstan use <context>` or pass --context"
            ))
        }
    };
    let namespace = namespace
        .map(str::to_string)
        .or_else(|| {
            loaded
                .merged
                .contexts
                .iter()
                .find(|c| c.name == context)
                .and_then(|c| c.context.as_ref())
                .and_then(|c| c.namespace.clone())
        })
        .unwrap_or_else(|| "default".into());
    Ok(Scope {
        loaded,
        context,
        namespace,
    })
}
