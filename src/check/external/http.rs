//! The HTTP side of the external check: a blocking `ureq` agent, a per-host rate limit, and a
//! bounded pool of threads, one host per thread at a time.
//!
//! URLs are grouped by host (`host:port`); each worker thread takes the next whole host and
//! checks its URLs in turn, so at most [`Options::threads`] hosts are asked at once. Every
//! request, including redirects and the `GET` after a failed `HEAD`, first waits for its
//! host's next slot in the [`Limiter`], which keeps requests to one host at least
//! [`Options::interval`] apart even when a redirect leads to a host another thread is on.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use url::Url;

use super::{MAX_REDIRECTS, Options, Outcome, Verdict};

/// Spaces requests to one host at least `interval` apart.
#[derive(Debug)]
pub struct Limiter {
    interval: Duration,
    next: Mutex<BTreeMap<String, Instant>>,
}

impl Limiter {
    /// A limiter allowing one request per `interval` to each host.
    pub fn new(interval: Duration) -> Self {
        Limiter { interval, next: Mutex::new(BTreeMap::new()) }
    }

    /// Reserves the next free slot for `host` and sleeps until it comes.
    pub fn wait(&self, host: &str) {
        let now = Instant::now();
        let slot = {
            let mut next = self.next.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            let slot = next.get(host).map_or(now, |&n| n.max(now));
            next.insert(host.to_string(), slot + self.interval);
            slot
        };
        std::thread::sleep(slot.saturating_duration_since(now));
    }
}

/// The key URLs are grouped and rate-limited by: `host:port`.
fn host_key(url: &Url) -> String {
    format!("{}:{}", url.host_str().unwrap_or(""), url.port_or_known_default().unwrap_or(0))
}

/// Checks every URL; returns the outcome by URL (as a string).
pub fn fetch_all(urls: &[Url], options: &Options) -> BTreeMap<String, Outcome> {
    let mut by_host: BTreeMap<String, Vec<&Url>> = BTreeMap::new();
    for url in urls {
        by_host.entry(host_key(url)).or_default().push(url);
    }
    let groups: Vec<Vec<&Url>> = by_host.into_values().collect();
    let agent = agent(options);
    let limiter = Limiter::new(options.interval);
    let next = AtomicUsize::new(0);
    let results = Mutex::new(BTreeMap::new());
    let threads = options.threads.clamp(1, groups.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                while let Some(group) = groups.get(next.fetch_add(1, Ordering::Relaxed)) {
                    for url in group {
                        let outcome = check_url(&agent, &limiter, url, options);
                        results
                            .lock()
                            .unwrap_or_else(|poisoned| poisoned.into_inner())
                            .insert(url.to_string(), outcome);
                    }
                }
            });
        }
    });
    results.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn agent(options: &Options) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(options.timeout))
        .max_redirects(0)
        .http_status_as_error(false)
        .user_agent(options.user_agent.as_str())
        .build()
        .into()
}

/// The result of one chain of requests.
enum Answer {
    /// An HTTP status at the end of the chain; `moved` is where the permanent redirects at its
    /// start led.
    Status { status: u16, moved: Option<String> },
    /// No usable answer; whether a `GET` might fare better than a `HEAD`.
    Failed(Outcome, bool),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Method {
    Head,
    Get,
}

/// `HEAD`, then `GET` if `HEAD` did not end in a success (and did not simply time out or
/// find no such host: a `GET` would fare no better).
fn check_url(agent: &ureq::Agent, limiter: &Limiter, url: &Url, options: &Options) -> Outcome {
    let head = follow(agent, limiter, url, Method::Head, options);
    let answer = match head {
        Answer::Status { status: 200..=299, .. } => head,
        Answer::Failed(_, false) => head,
        _ => follow(agent, limiter, url, Method::Get, options),
    };
    match answer {
        Answer::Status { status, moved } => Outcome::from_status(status, moved),
        Answer::Failed(outcome, _) => outcome,
    }
}

/// Requests `url` and follows its redirects by hand.
fn follow(
    agent: &ureq::Agent,
    limiter: &Limiter,
    url: &Url,
    method: Method,
    options: &Options,
) -> Answer {
    let mut current = url.clone();
    let mut moved: Option<String> = None;
    let mut permanent_so_far = true;
    for _ in 0..=MAX_REDIRECTS {
        limiter.wait(&host_key(&current));
        let result = match method {
            Method::Head => agent.head(current.as_str()).call(),
            Method::Get => agent.get(current.as_str()).call(),
        };
        let response = match result {
            Ok(response) => response,
            Err(e) => {
                let timed_out = matches!(&e, ureq::Error::Timeout(_))
                    || matches!(&e, ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut);
                let worth_a_get = !timed_out && !matches!(e, ureq::Error::HostNotFound);
                return Answer::Failed(failure(&e, options), worth_a_get);
            }
        };
        let status = response.status().as_u16();
        if !(300..=399).contains(&status) || status == 304 {
            return Answer::Status { status, moved };
        }
        let location = response.headers().get("location").and_then(|v| v.to_str().ok());
        let Some(next) = location.and_then(|l| current.join(l).ok()) else {
            return Answer::Failed(
                Outcome::failed(
                    Verdict::Unverified,
                    format!("{status} redirect without a usable Location"),
                ),
                true,
            );
        };
        if !matches!(next.scheme(), "http" | "https") {
            return Answer::Failed(
                Outcome::failed(
                    Verdict::Broken,
                    format!("redirects to a non-web address `{next}`"),
                ),
                false,
            );
        }
        permanent_so_far &= matches!(status, 301 | 308);
        if permanent_so_far {
            moved = Some(next.to_string());
        }
        current = next;
    }
    Answer::Failed(
        Outcome::failed(
            Verdict::Broken,
            format!("more than {MAX_REDIRECTS} redirects (a redirect loop?)"),
        ),
        true,
    )
}

/// The outcome of a request that got no HTTP answer.
fn failure(error: &ureq::Error, options: &Options) -> Outcome {
    match error {
        ureq::Error::Timeout(_) => Outcome::failed(
            Verdict::Unverified,
            format!("no answer within {} s", options.timeout.as_secs_f64()),
        ),
        ureq::Error::HostNotFound => Outcome::failed(Verdict::Broken, "host not found"),
        ureq::Error::ConnectionFailed => Outcome::failed(Verdict::Broken, "connection failed"),
        ureq::Error::Io(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
            Outcome::failed(Verdict::Broken, "connection refused")
        }
        ureq::Error::Io(e) if e.kind() == std::io::ErrorKind::TimedOut => Outcome::failed(
            Verdict::Unverified,
            format!("no answer within {} s", options.timeout.as_secs_f64()),
        ),
        ureq::Error::Tls(reason) => {
            Outcome::failed(Verdict::Broken, format!("TLS failure: {reason}"))
        }
        other => Outcome::failed(Verdict::Unverified, other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limiter_spaces_one_host_but_not_two() {
        let limiter = Limiter::new(Duration::from_millis(40));
        let start = Instant::now();
        limiter.wait("a:80");
        limiter.wait("b:80");
        assert!(start.elapsed() < Duration::from_millis(30), "two hosts need no wait");
        limiter.wait("a:80");
        limiter.wait("a:80");
        assert!(start.elapsed() >= Duration::from_millis(80), "{:?}", start.elapsed());
    }

    #[test]
    fn hosts_are_keyed_with_their_port() {
        let u = |s| Url::parse(s).unwrap();
        assert_eq!(host_key(&u("https://www.example.org/x")), "www.example.org:443");
        assert_eq!(host_key(&u("http://127.0.0.1:8080/x")), "127.0.0.1:8080");
    }
}
