//! The benchmark's floor: a Rust-only reqwest client doing what the Python targets do against the
//! bench server (`bench/server.py`, OpenAI wire), with no Python at all. It shows what the wire
//! costs on this machine, so edgequake's numbers can be read as "floor + the Python side".
//!
//!     cargo run --release --example floor -- --base-url http://127.0.0.1:8000/v1 \
//!         --sync-n 1000 --stream 5:500,100:112 --async 100:20,10000:1
//!
//! Sync-style: one `block_on` per call on a current-thread runtime (the client gets one core in the
//! benchmark). Each call posts the same JSON as the raw-httpx target, parses the whole reply with
//! serde_json and reads the text; each stream reads the SSE body chunk by chunk, parses every
//! `data:` payload and collects the pieces. `--async C:R` runs R rounds of C concurrent calls.
//! Prints one JSON object on stdout: raw nanosecond samples and process CPU per scenario; the
//! Python runner computes the statistics the same way as for every other target.
//! Built with the crate's own dependencies only (tokio, reqwest, serde_json, libc).

use std::error::Error;
use std::time::Instant;

use serde_json::{json, Value};

type Res<T> = Result<T, Box<dyn Error>>;

const REPLY: &str = "Hello! How can I help you today?";

fn cpu_ns() -> u128 {
    #[cfg(unix)]
    {
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: clock_gettime writes one timespec we own; CLOCK_PROCESS_CPUTIME_ID always exists.
        let rc = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
        if rc == 0 {
            return ts.tv_sec as u128 * 1_000_000_000 + ts.tv_nsec as u128;
        }
    }
    0
}

fn body(chunks: usize, stream: bool) -> Value {
    let text = if chunks == 5 {
        "Say hello.".to_string()
    } else {
        format!("Say hello as a stream of {chunks} chunks.")
    };
    let mut b = json!({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": text}]});
    if stream {
        b["stream"] = Value::Bool(true);
    }
    b
}

/// The request every scenario sends: the same headers and body the Python clients send.
async fn post(client: &reqwest::Client, url: &str, payload: &[u8]) -> Res<reqwest::Response> {
    Ok(client
        .post(url)
        .header("authorization", "Bearer sk-bench")
        .header("content-type", "application/json")
        .body(payload.to_vec())
        .send()
        .await?
        .error_for_status()?)
}

async fn call(client: &reqwest::Client, url: &str, payload: &[u8]) -> Res<String> {
    let resp = post(client, url, payload).await?;
    let bytes = resp.bytes().await?;
    let v: Value = serde_json::from_slice(&bytes)?;
    let text = v
        .pointer("/choices/0/message/content")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if text != REPLY {
        return Err(format!("wrong reply {text:?}").into());
    }
    Ok(text.to_string())
}

/// One whole stream: (pieces, nanoseconds from the call to the first piece).
async fn stream(client: &reqwest::Client, url: &str, payload: &[u8]) -> Res<(Vec<String>, u128)> {
    let start = Instant::now();
    let mut resp = post(client, url, payload).await?;
    let mut buf: Vec<u8> = Vec::new();
    let mut pieces = Vec::new();
    let mut first = 0u128;
    while let Some(chunk) = resp.chunk().await? {
        buf.extend_from_slice(&chunk);
        while let Some(end) = buf.windows(2).position(|w| w == b"\n\n") {
            let frame: Vec<u8> = buf.drain(..end + 2).collect();
            let line = frame.strip_prefix(b"data: ").unwrap_or(&frame[..]);
            let line = line.strip_suffix(b"\n\n").unwrap_or(line);
            if line == b"[DONE]" {
                continue;
            }
            let v: Value = serde_json::from_slice(line)?;
            if let Some(piece) = v
                .pointer("/choices/0/delta/content")
                .and_then(Value::as_str)
            {
                if !piece.is_empty() {
                    if pieces.is_empty() {
                        first = start.elapsed().as_nanos();
                    }
                    pieces.push(piece.to_string());
                }
            }
        }
    }
    Ok((pieces, first))
}

fn pairs(spec: &str) -> Res<Vec<(usize, usize)>> {
    let mut out = Vec::new();
    for item in spec.split(',').filter(|s| !s.is_empty()) {
        let (a, b) = item.split_once(':').ok_or("expected A:B pairs")?;
        out.push((a.parse()?, b.parse()?));
    }
    Ok(out)
}

fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().collect();
    let get = |name: &str| -> Option<String> {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1).cloned())
    };
    let base = get("--base-url").ok_or("--base-url is required")?;
    let url = format!("{}/chat/completions", base.trim_end_matches('/'));
    let sync_n: usize = get("--sync-n").unwrap_or_else(|| "1000".into()).parse()?;
    let streams = pairs(&get("--stream").unwrap_or_else(|| "5:500".into()))?;
    let levels = pairs(&get("--async").unwrap_or_default())?;
    let warmup = 20;

    // `--runtime multi`: edgequake's runtime shape (two workers, `block_on` from the calling thread),
    // to tell what the hand-offs between threads cost against the current-thread floor.
    let rt = match get("--runtime").as_deref() {
        Some("multi") => tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()?,
        _ => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?,
    };
    let client = reqwest::Client::builder().tcp_nodelay(true).build()?;
    let mut out = serde_json::Map::new();

    let payload = serde_json::to_vec(&body(5, false))?;
    for _ in 0..warmup {
        rt.block_on(call(&client, &url, &payload))?;
    }
    let mut lat = Vec::with_capacity(sync_n);
    let cpu0 = cpu_ns();
    for _ in 0..sync_n {
        let t = Instant::now();
        rt.block_on(call(&client, &url, &payload))?;
        lat.push(t.elapsed().as_nanos());
    }
    out.insert(
        "sync".into(),
        json!({"latencies_ns": lat, "cpu_ns": cpu_ns() - cpu0, "n": sync_n}),
    );

    for (chunks, n) in streams {
        let payload = serde_json::to_vec(&body(chunks, true))?;
        let expected = if chunks == 5 {
            3
        } else {
            chunks.saturating_sub(2).max(1)
        };
        for _ in 0..3 {
            let (pieces, _) = rt.block_on(stream(&client, &url, &payload))?;
            if pieces.len() != expected {
                return Err(format!("{chunks}-chunk stream: {} pieces", pieces.len()).into());
            }
        }
        let (mut lat, mut firsts) = (Vec::with_capacity(n), Vec::with_capacity(n));
        let cpu0 = cpu_ns();
        for _ in 0..n {
            let t = Instant::now();
            let (_, first) = rt.block_on(stream(&client, &url, &payload))?;
            lat.push(t.elapsed().as_nanos());
            firsts.push(first);
        }
        out.insert(
            format!("stream_{chunks}"),
            json!({"latencies_ns": lat, "first_ns": firsts, "cpu_ns": cpu_ns() - cpu0, "n": n, "chunks": chunks}),
        );
    }

    for (concurrency, rounds) in levels {
        let (mut walls, mut lat) = (Vec::new(), Vec::new());
        let mut cpu = 0u128;
        for round in 0..=rounds {
            let cpu0 = cpu_ns();
            let t0 = Instant::now();
            let got: Vec<Res<u128>> = rt.block_on(async {
                let mut set = tokio::task::JoinSet::new();
                for _ in 0..concurrency {
                    let (client, url, payload) = (client.clone(), url.clone(), payload.clone());
                    set.spawn(async move {
                        let t = Instant::now();
                        call(&client, &url, &payload)
                            .await
                            .map(|_| t.elapsed().as_nanos())
                            .map_err(|e| e.to_string())
                    });
                }
                let mut got = Vec::new();
                while let Some(done) = set.join_next().await {
                    got.push(match done {
                        Ok(Ok(ns)) => Ok(ns),
                        Ok(Err(e)) => Err(e.into()),
                        Err(e) => Err(e.to_string().into()),
                    });
                }
                got
            });
            let wall = t0.elapsed().as_nanos();
            let spent = cpu_ns() - cpu0;
            let mut ok = Vec::with_capacity(got.len());
            for r in got {
                ok.push(r?);
            }
            if round == 0 {
                continue; // the warm-up round (it opens the connections)
            }
            walls.push(wall);
            lat.extend(ok);
            cpu += spent;
        }
        out.insert(
            format!("async_{concurrency}"),
            json!({"walls_ns": walls, "latencies_ns": lat, "cpu_ns": cpu, "rounds": rounds, "concurrency": concurrency}),
        );
    }
    println!("{}", Value::Object(out));
    Ok(())
}
