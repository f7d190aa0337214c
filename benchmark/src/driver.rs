//! Runs the scenarios: a fresh server process per measured run, wrk against the framework's
//! route or the baseline's, alternating, and the server's peak resident memory read from
//! `/proc` (reset after the warm-up).

use crate::report::{self, Isolation, Measured, Report, Scenario, Variant};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// What to run.
#[derive(Debug, Clone)]
pub(crate) struct Options {
    pub(crate) smoke: bool,
    pub(crate) rounds: usize,
    pub(crate) duration: u64,
    pub(crate) warmup: u64,
    pub(crate) connections: usize,
    pub(crate) out: Option<PathBuf>,
    pub(crate) only: Option<Vec<String>>,
    pub(crate) build_cost: usize,
    pub(crate) database_url: String,
}

impl Options {
    pub(crate) fn parse(args: &[String]) -> Result<Options, String> {
        let mut options = Options {
            smoke: false,
            rounds: 3,
            duration: 10,
            warmup: 2,
            connections: 64,
            out: Some(PathBuf::from(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../docs/performance.md"
            ))),
            only: None,
            build_cost: 200,
            database_url: std::env::var("DATABASE_URL")
                .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned()),
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut value = |name: &str| {
                args.next()
                    .cloned()
                    .ok_or_else(|| format!("{name} needs a value"))
            };
            let number = |name: &str, text: String| {
                text.parse::<u64>()
                    .map_err(|_| format!("{name} needs a number, not {text:?}"))
            };
            match arg.as_str() {
                "--smoke" => {
                    options.smoke = true;
                    options.rounds = 1;
                    options.duration = 1;
                    options.warmup = 0;
                    options.connections = 8;
                    options.out = None;
                    options.build_cost = 0;
                }
                "--rounds" => options.rounds = number(arg, value(arg)?)?.max(1) as usize,
                "--duration" => options.duration = number(arg, value(arg)?)?.max(1),
                "--warmup" => options.warmup = number(arg, value(arg)?)?,
                "--connections" => options.connections = number(arg, value(arg)?)?.max(1) as usize,
                "--build-cost" => options.build_cost = number(arg, value(arg)?)? as usize,
                "--out" => {
                    let out = value(arg)?;
                    options.out = (out != "-").then(|| PathBuf::from(out));
                }
                "--only" => {
                    options.only = Some(value(arg)?.split(',').map(str::to_owned).collect());
                }
                other => return Err(format!("unknown option {other:?} (see src/main.rs)")),
            }
        }
        Ok(options)
    }
}

/// The data every scenario works on, made once through the app's own routes.
#[derive(Debug, Clone)]
struct Data {
    owner_token: String,
    other_token: String,
    owner_email: String,
    password: String,
    posts: (i64, i64),
    accounts: (i64, i64),
}

/// A database of its own on the PostgreSQL server, dropped at the end.
struct Scratch {
    admin_url: String,
    name: String,
    url: String,
}

impl Scratch {
    fn create(admin_url: &str) -> Result<Scratch, String> {
        let name = format!("bench_{}", std::process::id());
        psql(admin_url, &format!("DROP DATABASE IF EXISTS {name}"))?;
        psql(admin_url, &format!("CREATE DATABASE {name}"))?;
        let base = admin_url
            .rsplit_once('/')
            .map(|(base, _)| base)
            .ok_or("DATABASE_URL needs a database name")?;
        Ok(Scratch {
            admin_url: admin_url.to_owned(),
            url: format!("{base}/{name}"),
            name,
        })
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = psql(
            &self.admin_url,
            &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
        );
    }
}

fn psql(url: &str, sql: &str) -> Result<String, String> {
    let output = Command::new("psql")
        .args([url, "-XAtqc", sql])
        .output()
        .map_err(|e| format!("psql: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "psql {sql:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// A running server process.
struct Server {
    child: Child,
    address: String,
}

impl Server {
    fn start(database_url: &str) -> Result<Server, String> {
        let port = {
            let probe = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
            probe.local_addr().map_err(|e| e.to_string())?.port()
        };
        let log = std::fs::File::create(log_path()).map_err(|e| e.to_string())?;
        let mut child = Command::new(std::env::current_exe().map_err(|e| e.to_string())?)
            .arg("serve")
            .env("DATABASE_URL", database_url)
            .env("PORT", port.to_string())
            .env("SIGN_IN_RATE_LIMIT", "off")
            .env("SIGN_UP_RATE_LIMIT", "off")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .map_err(|e| format!("cannot start the server: {e}"))?;
        // Up when its port answers (whatever `RUST_LOG` lets it say); gone if it exits first.
        let address = format!("127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(120);
        while std::net::TcpStream::connect(&address).is_err() {
            let exited = child.try_wait().map_err(|e| e.to_string())?;
            if exited.is_some() || Instant::now() > deadline {
                let _ = child.kill();
                return Err(format!(
                    "the server did not start; its log: {}",
                    log_path().display()
                ));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(Server { child, address })
    }

    /// Peak resident memory since the last reset, and now, in MiB.
    fn memory(&self) -> (f64, f64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find_map(|line| line.strip_prefix(name))
                .and_then(|rest| {
                    rest.trim()
                        .trim_end_matches("kB")
                        .trim()
                        .parse::<f64>()
                        .ok()
                })
                .map_or(0.0, |kib| kib / 1024.0)
        };
        (field("VmHWM:"), field("VmRSS:"))
    }

    /// Samples the resident size every 10 ms until stopped; the largest sample. (VmHWM, the
    /// kernel's own peak, is also reported, but on this kernel it runs ahead of every sample
    /// when large mappings come and go quickly: 64 MB for a process whose resident size,
    /// sampled through a sign-in storm, never passed 31 MB.)
    fn sample_rss(&self) -> Sampler {
        let pid = self.child.id();
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stopped = stop.clone();
        let thread = std::thread::spawn(move || {
            let mut peak = 0.0_f64;
            while !stopped.load(std::sync::atomic::Ordering::Relaxed) {
                peak = peak.max(rss_of(pid));
                std::thread::sleep(Duration::from_millis(10));
            }
            peak.max(rss_of(pid))
        });
        Sampler { stop, thread }
    }

    /// Resets the peak to the current resident size (Linux's `clear_refs`, value 5).
    fn reset_peak(&self) {
        let _ = std::fs::write(format!("/proc/{}/clear_refs", self.child.id()), "5");
    }

    fn stop(mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A running [`Server::sample_rss`].
struct Sampler {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: std::thread::JoinHandle<f64>,
}

impl Sampler {
    /// The largest resident size seen, in MiB.
    fn stop(self) -> f64 {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        self.thread.join().unwrap_or(0.0)
    }
}

/// The resident size of process `pid` now, in MiB.
fn rss_of(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| {
            rest.trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<f64>()
                .ok()
        })
        .map_or(0.0, |kib| kib / 1024.0)
}

fn log_path() -> PathBuf {
    std::env::temp_dir().join("benchmark-server.log")
}

/// A minimal HTTP/1.1 POST for the setup: status and body.
fn post(
    address: &str,
    path: &str,
    token: Option<&str>,
    body: &str,
) -> Result<(u16, String), String> {
    let mut stream = TcpStream::connect(address).map_err(|e| e.to_string())?;
    let auth = token.map_or(String::new(), |t| format!("authorization: Bearer {t}\r\n"));
    let request = format!(
        "POST {path} HTTP/1.1\r\nhost: localhost\r\norigin: http://localhost\r\ncontent-type: application/json\r\n{auth}content-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    stream
        .write_all(request.as_bytes())
        .map_err(|e| e.to_string())?;
    let mut answer = String::new();
    stream
        .read_to_string(&mut answer)
        .map_err(|e| e.to_string())?;
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("not HTTP: {answer:?}"))?;
    let body = answer
        .split_once("\r\n\r\n")
        .map_or(String::new(), |(_, b)| b.to_owned());
    Ok((status, body))
}

fn post_ok(
    address: &str,
    path: &str,
    token: Option<&str>,
    body: &str,
) -> Result<serde_json::Value, String> {
    let (status, answer) = post(address, path, token, body)?;
    if status != 200 {
        return Err(format!("{path} {body}: {status} {answer}"));
    }
    serde_json::from_str(&answer).map_err(|e| format!("{path}: {e}: {answer}"))
}

fn setup(address: &str, posts: usize, accounts: usize) -> Result<Data, String> {
    let password = "correct horse battery staple";
    let sign_up = |name: &str| -> Result<String, String> {
        let body = serde_json::json!({
            "name": name,
            "email": format!("{name}@bench.example"),
            "password": password,
        });
        let answer = post_ok(address, "/api/auth/sign-up/email", None, &body.to_string())?;
        answer["token"]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| format!("no token in {answer}"))
    };
    let owner_token = sign_up("owner")?;
    let other_token = sign_up("other")?;
    let mut post_ids = Vec::new();
    for i in 0..posts {
        let body = serde_json::json!({ "title": format!("Post {i}"), "body": "Lorem ipsum dolor sit amet. ".repeat(8) });
        let post = post_ok(
            address,
            "/_actions/post.create",
            Some(&owner_token),
            &body.to_string(),
        )?;
        post_ids.push(post["id"].as_i64().ok_or("a post id")?);
    }
    let mut account_ids = Vec::new();
    for i in 0..accounts.max(2) {
        let body = serde_json::json!({ "name": format!("Account {i}"), "initialDeposit": 1_000_000_000_000_i64 });
        let account = post_ok(
            address,
            "/_actions/account.open",
            Some(&owner_token),
            &body.to_string(),
        )?;
        account_ids.push(account["id"].as_i64().ok_or("an account id")?);
    }
    let range = |ids: &[i64]| -> Result<(i64, i64), String> {
        let (first, last) = (ids.first().copied(), ids.last().copied());
        match (first, last) {
            (Some(first), Some(last)) if last - first + 1 == ids.len() as i64 => Ok((first, last)),
            _ => Err(format!("ids are not consecutive: {ids:?}")),
        }
    };
    Ok(Data {
        owner_token,
        other_token,
        owner_email: "owner@bench.example".to_owned(),
        password: password.to_owned(),
        posts: range(&post_ids)?,
        accounts: range(&account_ids)?,
    })
}

/// One wrk run's numbers, as the Lua script's `done` prints them.
#[derive(Debug, Clone, Copy, serde::Deserialize)]
pub(crate) struct Wrk {
    pub(crate) requests: u64,
    pub(crate) duration_us: u64,
    pub(crate) socket_errors: u64,
    pub(crate) timeouts: u64,
    pub(crate) unexpected: u64,
    pub(crate) unexpected_status: u64,
    pub(crate) p50_us: u64,
    pub(crate) p99_us: u64,
}

impl Wrk {
    pub(crate) fn throughput(&self) -> f64 {
        self.requests as f64 / (self.duration_us.max(1) as f64 / 1e6)
    }
}

/// The wrk command of `scenario` against `variant`, as run (and printed in the report).
fn wrk_command(
    address: &str,
    scenario: Scenario,
    variant: Variant,
    data: &Data,
    connections: usize,
    seconds: u64,
    nonce: &str,
) -> Command {
    let path = scenario.path(variant);
    let (kind, token, range, status) = match scenario {
        Scenario::PostGet => ("get", "-", data.posts, 200),
        Scenario::PostList => ("list", "-", data.posts, 200),
        Scenario::PostUpdate => ("update", data.owner_token.as_str(), data.posts, 200),
        Scenario::PostUpdateRefused => ("update", data.other_token.as_str(), data.posts, 403),
        Scenario::Transfer => ("transfer", data.owner_token.as_str(), data.accounts, 200),
        Scenario::SignIn => ("signin", "-", data.posts, 200),
    };
    let mut command = Command::new("wrk");
    command
        .args([
            "-t",
            "2",
            "-c",
            &connections.to_string(),
            "-d",
            &format!("{seconds}s"),
        ])
        .args([
            "--timeout",
            "10s",
            "-s",
            concat!(env!("CARGO_MANIFEST_DIR"), "/wrk/action.lua"),
        ])
        .arg(format!("http://{address}{path}"))
        .arg("--")
        .args([path, kind, token])
        .args([
            range.0.to_string(),
            range.1.to_string(),
            nonce.to_owned(),
            status.to_string(),
        ])
        .args([data.owner_email.as_str(), data.password.as_str()]);
    command
}

fn run_wrk(mut command: Command) -> Result<Wrk, String> {
    let output = command
        .output()
        .map_err(|e| format!("wrk: {e} (apt-get install wrk)"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout
        .lines()
        .find(|line| line.starts_with("{\"requests\""))
        .ok_or_else(|| {
            format!(
                "wrk printed no result: {stdout}{}",
                String::from_utf8_lossy(&output.stderr)
            )
        })?;
    serde_json::from_str(line).map_err(|e| format!("wrk's result {line}: {e}"))
}

/// Checks a run: every response had the scenario's status, no socket error.
fn check(scenario: Scenario, variant: Variant, wrk: &Wrk) -> Result<(), String> {
    if wrk.requests == 0 || wrk.unexpected > 0 || wrk.socket_errors > 0 || wrk.timeouts > 0 {
        return Err(format!(
            "{} ({}): {} requests, {} with an unexpected status (last {}), {} socket errors, {} timeouts; server log: {}",
            scenario.name(),
            variant.name(),
            wrk.requests,
            wrk.unexpected,
            wrk.unexpected_status,
            wrk.socket_errors,
            wrk.timeouts,
            log_path().display()
        ));
    }
    Ok(())
}

pub(crate) fn run(options: &Options) -> Result<(), String> {
    let started = Instant::now();
    let scratch = Scratch::create(&options.database_url)?;
    let (posts, accounts) = if options.smoke {
        (40, 200)
    } else {
        (1000, 1000)
    };
    let data = {
        let server = Server::start(&scratch.url)?;
        let data = setup(&server.address, posts, accounts);
        server.stop();
        data?
    };
    // Fresh statistics, so the planner reads accounts and posts by index, as it would in a
    // database that has lived (a sequential scan under `SERIALIZABLE` locks the whole table
    // and makes every pair of transfers conflict).
    psql(&scratch.url, "ANALYZE")?;
    let selected = |s: &Scenario| {
        options
            .only
            .as_ref()
            .is_none_or(|only| only.iter().any(|name| name == s.name()))
    };
    let mut measured: Vec<Measured> = Vec::new();
    let mut commands = Vec::new();
    for scenario in Scenario::ALL.into_iter().filter(selected) {
        for round in 0..options.rounds {
            let order = if round % 2 == 0 {
                [Variant::Framework, Variant::Baseline]
            } else {
                [Variant::Baseline, Variant::Framework]
            };
            for variant in order {
                let server = Server::start(&scratch.url)?;
                let nonce = format!("r{round}{}", variant.name());
                if options.warmup > 0 {
                    let warm = wrk_command(
                        &server.address,
                        scenario,
                        variant,
                        &data,
                        options.connections,
                        options.warmup,
                        &format!("w{nonce}"),
                    );
                    check(scenario, variant, &run_wrk(warm)?)?;
                }
                server.reset_peak();
                let command = wrk_command(
                    &server.address,
                    scenario,
                    variant,
                    &data,
                    options.connections,
                    options.duration,
                    &nonce,
                );
                if round == 0 {
                    commands.push(report::shown(&command));
                }
                let sampler = server.sample_rss();
                let wrk = run_wrk(command)?;
                let (hwm, _) = server.memory();
                let peak = sampler.stop();
                std::thread::sleep(Duration::from_secs(1));
                let (_, after) = server.memory();
                server.stop();
                check(scenario, variant, &wrk)?;
                eprintln!(
                    "{:<20} {:<10} round {} {:>9.0} req/s  p50 {:>6.2} ms  p99 {:>6.2} ms  peak {:>5.1} MiB  after {:>5.1} MiB",
                    scenario.name(),
                    variant.name(),
                    round + 1,
                    wrk.throughput(),
                    wrk.p50_us as f64 / 1000.0,
                    wrk.p99_us as f64 / 1000.0,
                    peak,
                    after
                );
                measured.push(Measured {
                    scenario,
                    variant,
                    wrk,
                    peak_mib: peak,
                    hwm_mib: hwm,
                    after_mib: after,
                });
            }
        }
    }
    let isolation = if selected(&Scenario::PostGet) && selected(&Scenario::SignIn) {
        Some(isolation(options, &scratch.url, &data)?)
    } else {
        None
    };
    let build = if options.build_cost > 0 {
        Some(crate::build_cost::measure(options.build_cost)?)
    } else {
        None
    };
    let report = Report {
        options: options.clone(),
        measured,
        isolation,
        build,
        commands,
        postgres: psql(&options.database_url, "SHOW server_version").unwrap_or_default(),
        elapsed: started.elapsed(),
    };
    let text = report.markdown();
    match &options.out {
        Some(path) => {
            std::fs::write(path, &text).map_err(|e| format!("{}: {e}", path.display()))?;
            eprintln!("wrote {}", path.display());
        }
        None => eprintln!("{text}"),
    }
    drop(scratch);
    Ok(())
}

/// `post.get`'s p99 alone, then while 8 clients sign in without pause, on the framework.
fn isolation(options: &Options, url: &str, data: &Data) -> Result<Isolation, String> {
    let mut alone = Vec::new();
    let mut storm = Vec::new();
    for round in 0..options.rounds {
        let server = Server::start(url)?;
        let get = || {
            wrk_command(
                &server.address,
                Scenario::PostGet,
                Variant::Framework,
                data,
                options.connections,
                options.duration,
                "-",
            )
        };
        if options.warmup > 0 {
            run_wrk(wrk_command(
                &server.address,
                Scenario::PostGet,
                Variant::Framework,
                data,
                options.connections,
                options.warmup,
                "-",
            ))?;
        }
        let quiet = run_wrk(get())?;
        check(Scenario::PostGet, Variant::Framework, &quiet)?;
        let mut sign_ins = wrk_command(
            &server.address,
            Scenario::SignIn,
            Variant::Framework,
            data,
            8,
            options.duration + 2,
            "-",
        );
        let storm_child = sign_ins
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| e.to_string())?;
        std::thread::sleep(Duration::from_secs(1));
        let busy = run_wrk(get());
        let storm_output = storm_child.wait_with_output().map_err(|e| e.to_string())?;
        server.stop();
        let busy = busy?;
        check(Scenario::PostGet, Variant::Framework, &busy)?;
        if !String::from_utf8_lossy(&storm_output.stdout).contains("\"requests\"") {
            return Err("the sign-in storm did not run".to_owned());
        }
        eprintln!(
            "isolation round {}: post.get p99 alone {:.2} ms, during sign-ins {:.2} ms",
            round + 1,
            quiet.p99_us as f64 / 1000.0,
            busy.p99_us as f64 / 1000.0
        );
        alone.push(quiet);
        storm.push(busy);
    }
    Ok(Isolation { alone, storm })
}
