//! Progress bars of long runs: one style for every stage, shown only when asked for and
//! when the work is large enough to be worth watching.

use indicatif::{ProgressBar, ProgressStyle};

/// A progress bar for `n` items of work named `what` (with rate and ETA), hidden unless
/// `show` and `n` is at least 50.
pub fn bar(show: bool, n: usize, what: &str) -> ProgressBar {
    if !show || n < 50 {
        return ProgressBar::hidden();
    }
    let b = ProgressBar::new(n as u64);
    b.set_style(
        ProgressStyle::with_template(&format!(
            "{{spinner}} {what} [{{bar:30}}] {{pos}}/{{len}} ({{per_sec}}, eta {{eta}})"
        ))
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    b
}
