//! The scenarios, and the report they end in: medians of the rounds, framework / baseline ratios
//! beside their targets, memory, isolation and build cost, with the commands that produced them.

use crate::build_cost::BuildCost;
use crate::driver::{Options, Wrk};
use std::fmt::Write;
use std::process::Command;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scenario {
    PostGet,
    PostList,
    PostUpdate,
    PostUpdateRefused,
    Transfer,
    SignIn,
}

impl Scenario {
    pub(crate) const ALL: [Scenario; 6] = [
        Scenario::PostGet,
        Scenario::PostList,
        Scenario::PostUpdate,
        Scenario::PostUpdateRefused,
        Scenario::Transfer,
        Scenario::SignIn,
    ];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Scenario::PostGet => "post.get",
            Scenario::PostList => "post.list",
            Scenario::PostUpdate => "post.update",
            Scenario::PostUpdateRefused => "post.update-refused",
            Scenario::Transfer => "account.transfer",
            Scenario::SignIn => "sign-in",
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Scenario::PostGet => "`post.get`: a public read by id",
            Scenario::PostList => "`post.list`: the first page, 20 posts, keyset",
            Scenario::PostUpdate => {
                "`post.update` by the author: session, ACL on the loaded post, tx, write, audit"
            }
            Scenario::PostUpdateRefused => {
                "`post.update` by another user: refused by the ACL on the loaded post (403)"
            }
            Scenario::Transfer => {
                "`account.transfer`: serializable tx, idempotency key, row locks, ledger, audit"
            }
            Scenario::SignIn => "sign-in: argon2id (19 MiB, t=2), a session row, an audit event",
        }
    }

    pub(crate) fn path(self, variant: Variant) -> &'static str {
        match (self, variant) {
            (Scenario::PostGet, Variant::Framework) => "/_actions/post.get",
            (Scenario::PostList, Variant::Framework) => "/_actions/post.list",
            (Scenario::PostUpdate | Scenario::PostUpdateRefused, Variant::Framework) => {
                "/_actions/post.update"
            }
            (Scenario::Transfer, Variant::Framework) => "/_actions/account.transfer",
            (Scenario::SignIn, Variant::Framework) => "/api/auth/sign-in/email",
            (Scenario::PostGet, Variant::Baseline) => "/baseline/post.get",
            (Scenario::PostList, Variant::Baseline) => "/baseline/post.list",
            (Scenario::PostUpdate | Scenario::PostUpdateRefused, Variant::Baseline) => {
                "/baseline/post.update"
            }
            (Scenario::Transfer, Variant::Baseline) => "/baseline/account.transfer",
            (Scenario::SignIn, Variant::Baseline) => "/baseline/sign-in",
        }
    }

    /// The least throughput ratio the issue asks for, if any.
    fn throughput_target(self) -> Option<f64> {
        match self {
            Scenario::PostGet | Scenario::PostList => Some(0.95),
            Scenario::PostUpdate => Some(1.00),
            Scenario::PostUpdateRefused | Scenario::Transfer => Some(0.90),
            Scenario::SignIn => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Variant {
    Framework,
    Baseline,
}

impl Variant {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Variant::Framework => "framework",
            Variant::Baseline => "baseline",
        }
    }
}

/// One measured run.
#[derive(Debug, Clone)]
pub(crate) struct Measured {
    pub(crate) scenario: Scenario,
    pub(crate) variant: Variant,
    pub(crate) wrk: Wrk,
    /// The largest resident size sampled during the run.
    pub(crate) peak_mib: f64,
    /// The kernel's VmHWM over the run.
    pub(crate) hwm_mib: f64,
    pub(crate) after_mib: f64,
}

#[derive(Debug, Clone)]
pub(crate) struct Isolation {
    pub(crate) alone: Vec<Wrk>,
    pub(crate) storm: Vec<Wrk>,
}

pub(crate) struct Report {
    pub(crate) options: Options,
    pub(crate) measured: Vec<Measured>,
    pub(crate) isolation: Option<Isolation>,
    pub(crate) build: Option<BuildCost>,
    pub(crate) commands: Vec<String>,
    pub(crate) postgres: String,
    pub(crate) elapsed: Duration,
}

/// How memory is measured, as the report says it.
const MEMORY_METHOD: &str = "Peak: the largest `VmRSS` sampled every 10 ms through each run (after the warm-up), the highest of the rounds. VmHWM: the kernel's own peak over the same run (reset with `clear_refs` after the warm-up), which on this kernel runs ahead of every sample when large mappings come and go quickly. After: the resident set one second after the load stopped. The allocator is the default (glibc malloc), with no environment variables.";

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

fn verdict(ok: bool) -> &'static str {
    if ok { "met" } else { "**missed**" }
}

/// A command as a shell would take it.
pub(crate) fn shown(command: &Command) -> String {
    let mut line = command.get_program().to_string_lossy().into_owned();
    for arg in command.get_args() {
        let arg = arg.to_string_lossy();
        let arg = arg.replace(env!("CARGO_MANIFEST_DIR"), "benchmark");
        if arg.is_empty() || arg.contains([' ', '"', '\'']) {
            let _ = write!(line, " '{arg}'");
        } else {
            let _ = write!(line, " {arg}");
        }
    }
    line
}

fn output_of(program: &str, args: &[&str]) -> String {
    Command::new(program)
        .args(args)
        .output()
        .map(|o| {
            let text = if o.stdout.is_empty() {
                o.stderr
            } else {
                o.stdout
            };
            String::from_utf8_lossy(&text)
                .lines()
                .next()
                .unwrap_or("")
                .trim()
                .to_owned()
        })
        .unwrap_or_else(|_| "unknown".to_owned())
}

fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|l| l.trim_start_matches([' ', '\t', ':']).to_owned())
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|l| l.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kib| kib / 1024.0 / 1024.0);
    format!(
        "{cores} cores ({model}), {memory:.0} GiB, {}",
        output_of("uname", &["-sr"])
    )
}

impl Report {
    fn runs(&self, scenario: Scenario, variant: Variant) -> Vec<&Measured> {
        self.measured
            .iter()
            .filter(|m| m.scenario == scenario && m.variant == variant)
            .collect()
    }

    pub(crate) fn markdown(&self) -> String {
        let mut out = String::new();
        let o = &self.options;
        let _ = writeln!(
            out,
            "# Performance: the framework against hand-written axum\n"
        );
        let _ = writeln!(
            out,
            "Generated by `cargo run --release -p benchmark` on {} UTC ({} s). Do not edit by hand: run it again.\n",
            output_of("date", &["-u", "+%Y-%m-%d %H:%M"]),
            self.elapsed.as_secs()
        );
        let _ = writeln!(out, "- Machine: {}", machine());
        let _ = writeln!(
            out,
            "- {}; PostgreSQL {}; {}",
            output_of("rustc", &["--version"]),
            self.postgres,
            output_of("wrk", &["--version"])
        );
        let _ = writeln!(
            out,
            "- Load: wrk, 2 threads, {} connections, {} s per run after a {} s warm-up, on loopback; the load generator, the server and PostgreSQL share the machine's cores.",
            o.connections, o.duration, o.warmup
        );
        let _ = writeln!(
            out,
            "- {} rounds; each run starts a fresh release-built server process, served by the app's own command line (`App::run`: its logging at the default `info`, its limits and timeouts), with the example app and the baseline on other paths of the same router, each with its own pool of 16 connections, and rounds alternate which variant goes first. Medians of the rounds are shown.",
            o.rounds
        );
        let _ = writeln!(
            out,
            "- Baseline: `benchmark/src/baseline.rs`, the same work as plain axum handlers on diesel-async: same queries, same session lookup, same JSON, audit rows for writes (not for refusals), and the same access-log line per response (tower-http's `TraceLayer` at `info`; no request id).\n"
        );
        let _ = writeln!(out, "## Throughput and latency (framework / baseline)\n");
        let _ = writeln!(
            out,
            "| scenario | framework req/s | baseline req/s | throughput ratio | target | p50 ratio | p99 ratio (≤ 1.2) | p99 framework / baseline |"
        );
        let _ = writeln!(out, "|---|---:|---:|---:|---|---:|---:|---:|");
        for scenario in Scenario::ALL {
            let (f, b) = (
                self.runs(scenario, Variant::Framework),
                self.runs(scenario, Variant::Baseline),
            );
            if f.is_empty() || b.is_empty() {
                continue;
            }
            let stat = |runs: &[&Measured], get: fn(&Wrk) -> f64| {
                median(runs.iter().map(|m| get(&m.wrk)).collect())
            };
            let (ft, bt) = (stat(&f, Wrk::throughput), stat(&b, Wrk::throughput));
            let (f50, b50) = (stat(&f, |w| w.p50_us as f64), stat(&b, |w| w.p50_us as f64));
            let (f99, b99) = (stat(&f, |w| w.p99_us as f64), stat(&b, |w| w.p99_us as f64));
            let ratio = ft / bt;
            let target = scenario.throughput_target().map_or("—".to_owned(), |t| {
                format!("≥ {t:.2}: {}", verdict(ratio >= t))
            });
            let _ = writeln!(
                out,
                "| {} | {:.0} | {:.0} | {:.2} | {} | {:.2} | {:.2}: {} | {:.1} / {:.1} ms |",
                scenario.describe(),
                ft,
                bt,
                ratio,
                target,
                f50 / b50,
                f99 / b99,
                verdict(f99 / b99 <= 1.2),
                f99 / 1000.0,
                b99 / 1000.0
            );
        }
        let _ = writeln!(out, "\n## Memory (resident set of the server, MiB)\n");
        let _ = writeln!(out, "{MEMORY_METHOD}\n");
        let _ = writeln!(
            out,
            "| scenario | framework peak (≤ 60) | framework VmHWM | framework after | baseline peak | baseline after |"
        );
        let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|");
        for scenario in Scenario::ALL {
            let (f, b) = (
                self.runs(scenario, Variant::Framework),
                self.runs(scenario, Variant::Baseline),
            );
            if f.is_empty() || b.is_empty() {
                continue;
            }
            let max = |runs: &[&Measured], get: fn(&Measured) -> f64| {
                runs.iter().map(|m| get(m)).fold(0.0, f64::max)
            };
            let fp = max(&f, |m| m.peak_mib);
            let fa = max(&f, |m| m.after_mib);
            let after_target = if scenario == Scenario::SignIn {
                format!(" (≤ 40: {})", verdict(fa <= 40.0))
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "| {} | {:.1}: {} | {:.1} | {:.1}{} | {:.1} | {:.1} |",
                scenario.name(),
                fp,
                verdict(fp <= 60.0),
                max(&f, |m| m.hwm_mib),
                fa,
                after_target,
                max(&b, |m| m.peak_mib),
                max(&b, |m| m.after_mib)
            );
        }
        if let Some(isolation) = &self.isolation {
            let p99 = |runs: &[Wrk]| median(runs.iter().map(|w| w.p99_us as f64).collect());
            let (alone, storm) = (p99(&isolation.alone), p99(&isolation.storm));
            let _ = writeln!(
                out,
                "\n## Isolation: `post.get` while 8 clients sign in without pause\n"
            );
            let _ = writeln!(
                out,
                "| post.get p99 alone | during the sign-in storm | ratio (≤ 2) |"
            );
            let _ = writeln!(out, "|---:|---:|---:|");
            let _ = writeln!(
                out,
                "| {:.2} ms | {:.2} ms | {:.2}: {} |",
                alone / 1000.0,
                storm / 1000.0,
                storm / alone,
                verdict(storm / alone <= 2.0)
            );
        }
        if let Some(build) = &self.build {
            let _ = writeln!(
                out,
                "\n## Build cost: {} actions against {} hand-written handlers\n",
                build.actions, build.actions
            );
            let _ = write!(out, "{}", build.markdown());
        }
        let _ = writeln!(out, "\n{}", include_str!("../analysis.md").trim_end());
        let _ = writeln!(out, "\n## Commands\n");
        let _ = writeln!(
            out,
            "The server: `target/release/benchmark serve` with `DATABASE_URL`, `PORT`, `SIGN_IN_RATE_LIMIT=off` and `SIGN_UP_RATE_LIMIT=off` (the documented configuration that lifts the per-IP limits). The data: 2 users, 1,000 posts and 1,000 accounts, made through the app's own routes. Each run (round 1 shown):\n"
        );
        let _ = writeln!(out, "```text");
        for command in &self.commands {
            let _ = writeln!(out, "{command}");
        }
        let _ = writeln!(out, "```");
        out
    }
}
