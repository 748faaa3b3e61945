//! Waiting for something the cluster or the app does asynchronously: poll a
//! check until it passes or a deadline passes, and then fail with the
//! check's last error, so a timeout says what was still wrong.

use std::future::Future;
use std::time::{Duration, Instant};

/// How often [`eventually`] and [`eventually_blocking`] look again.
pub const POLL: Duration = Duration::from_millis(100);

/// Runs `check` every [`POLL`] until it returns `Ok` (returned), or until
/// `timeout` has passed: then its last `Err`. It always runs at least once.
pub async fn eventually<T, E, F, Fut>(timeout: Duration, check: F) -> Result<T, E>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    eventually_every(timeout, POLL, check).await
}

/// [`eventually`] polling every `every`.
pub async fn eventually_every<T, E, F, Fut>(
    timeout: Duration,
    every: Duration,
    mut check: F,
) -> Result<T, E>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    let deadline = Instant::now() + timeout;
    loop {
        let error = match check().await {
            Ok(done) => return Ok(done),
            Err(e) => e,
        };
        if Instant::now() >= deadline {
            return Err(error);
        }
        tokio::time::sleep(every).await;
    }
}

/// [`eventually`] for checks outside an async runtime (kubectl, files).
pub fn eventually_blocking<T, E>(
    timeout: Duration,
    mut check: impl FnMut() -> Result<T, E>,
) -> Result<T, E> {
    let deadline = Instant::now() + timeout;
    loop {
        let error = match check() {
            Ok(done) => return Ok(done),
            Err(e) => e,
        };
        if Instant::now() >= deadline {
            return Err(error);
        }
        std::thread::sleep(POLL);
    }
}

/// A yes/no condition as a check for [`eventually`]: `Err(what)` while it
/// does not hold, so a timeout names what was awaited.
pub fn holds(condition: bool, what: &str) -> Result<(), String> {
    if condition {
        Ok(())
    } else {
        Err(format!("still waiting for {what}"))
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;

    #[tokio::test]
    async fn returns_the_first_success() {
        let tries = Cell::new(0);
        let got = eventually(Duration::from_secs(30), || {
            tries.set(tries.get() + 1);
            let n = tries.get();
            async move {
                if n < 3 {
                    Err(format!("try {n}"))
                } else {
                    Ok(n)
                }
            }
        })
        .await;
        assert_eq!(got, Ok(3));
    }

    #[tokio::test]
    async fn a_timeout_gives_the_last_error() {
        let tries = Cell::new(0);
        let got: Result<(), String> = eventually_every(Duration::ZERO, Duration::ZERO, || {
            tries.set(tries.get() + 1);
            let n = tries.get();
            async move { Err(format!("try {n}")) }
        })
        .await;
        assert_eq!(got, Err("try 1".to_string()), "checked once, then gave up");
    }

    #[test]
    fn the_blocking_form_keeps_the_last_error_too() {
        let mut tries = 0;
        let got: Result<(), String> = eventually_blocking(Duration::from_millis(250), || {
            tries += 1;
            Err(format!("try {tries}"))
        });
        assert!(tries >= 2, "polled again before the deadline");
        assert_eq!(got, Err(format!("try {tries}")));
        assert_eq!(holds(true, "x"), Ok(()));
        assert_eq!(holds(false, "x"), Err("still waiting for x".into()));
    }
}
