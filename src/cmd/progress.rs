//! The progress bar of the commands that can take a while (`build`, `snapshot`): one bar over
//! the build's named steps ([`pipeline::STEPS`]) and any the command adds, on standard error.
//! It appears only after a second (a quick build prints nothing extra), and never when either
//! output is not a terminal or with `--quiet`, so logs and pipes stay clean.

use std::io::IsTerminal as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use dossier::pipeline::{self, OnStep};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a command runs before the bar shows.
const SHOW_AFTER: Duration = Duration::from_secs(1);

/// A bar over a command's steps; cleared when dropped.
pub struct Steps {
    bar: ProgressBar,
    names: Vec<&'static str>,
    done: Arc<AtomicBool>,
}

impl Steps {
    /// A bar over the build's steps followed by `extra` ones; hidden unless both outputs are
    /// terminals and `quiet` is off.
    pub fn new(quiet: bool, extra: &[&'static str]) -> Steps {
        let mut names: Vec<&'static str> = pipeline::STEPS.to_vec();
        names.extend_from_slice(extra);
        let bar =
            ProgressBar::with_draw_target(Some(names.len() as u64), ProgressDrawTarget::hidden());
        if let Ok(style) =
            ProgressStyle::with_template("{spinner} [{bar:24}] {pos}/{len} {msg} ({elapsed})")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        let done = Arc::new(AtomicBool::new(false));
        let wanted = !quiet && std::io::stdout().is_terminal() && std::io::stderr().is_terminal();
        if wanted {
            let (bar, done) = (bar.clone(), Arc::clone(&done));
            // The thread only shows the bar; if it cannot start, there is simply no bar.
            let _ = std::thread::Builder::new().name("dossier-progress".into()).spawn(move || {
                std::thread::sleep(SHOW_AFTER);
                if !done.load(Ordering::Acquire) {
                    bar.set_draw_target(ProgressDrawTarget::stderr());
                    bar.enable_steady_tick(Duration::from_millis(120));
                }
            });
        }
        Steps { bar, names, done }
    }

    /// The hook that moves the bar as each build step starts.
    pub fn on_step(&self) -> OnStep {
        let (bar, names) = (self.bar.clone(), self.names.clone());
        OnStep(Arc::new(move |name| {
            let i = names.iter().position(|n| *n == name).unwrap_or(0);
            bar.set_position(i as u64);
            bar.set_message(name);
        }))
    }

    /// Runs `f` (which prints) with the bar out of the way.
    pub fn suspend<T>(&self, f: impl FnOnce() -> T) -> T {
        self.bar.suspend(f)
    }

    /// Moves the bar to one of the command's own steps.
    pub fn step(&self, name: &'static str) {
        (self.on_step().0)(name);
    }
}

impl Drop for Steps {
    fn drop(&mut self) {
        self.done.store(true, Ordering::Release);
        self.bar.finish_and_clear();
    }
}
