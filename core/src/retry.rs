//! When to try a failed attempt again and how long to wait first: the openai SDK's policy, which
//! litellm's SDK routes inherit (openai 3.x `_base_client.py`: `_should_retry`,
//! `_calculate_retry_timeout`, `_parse_retry_after_header`).
//!
//! * The server's `retry-after-ms` / `retry-after` (seconds, or an HTTP date) is obeyed when it is
//!   over 0 and at most two minutes; a longer finite wait means **do not retry** (the SDK gives up
//!   rather than hammer a server that asked for an hour); anything else falls back to backoff.
//! * Backoff: 0.5 s doubling per retry, capped at 8 s, less a random 0-25 %.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::error::{header, CoreError};

/// The longest server-directed wait that is obeyed (the SDK's `MAX_RETRY_AFTER_DELAY`).
pub const MAX_RETRY_AFTER: f64 = 120.0;

/// Whether a failed attempt is tried again: the failure is one the SDK retries, and the server did
/// not ask for a wait longer than `MAX_RETRY_AFTER`.
pub fn should_retry(err: &CoreError) -> bool {
    if let CoreError::Status { headers, .. } = err {
        if retry_after_secs(headers).is_some_and(|s| s.is_finite() && s > MAX_RETRY_AFTER) {
            return false;
        }
    }
    err.is_retryable()
}

/// How long to wait before the next attempt.
pub fn retry_delay(err: &CoreError, retries_done: u32) -> Duration {
    if let CoreError::Status { headers, .. } = err {
        if let Some(secs) = retry_after_secs(headers) {
            if secs.is_finite() && secs > 0.0 && secs <= MAX_RETRY_AFTER {
                if let Ok(delay) = Duration::try_from_secs_f64(secs) {
                    return delay;
                }
            }
        }
    }
    let base = (0.5 * 2f64.powi(retries_done.min(16) as i32)).min(8.0);
    // base is in [0.5, 8] and the factor in (0.75, 1]: always a valid Duration, but never a panic.
    Duration::try_from_secs_f64(base * (1.0 - 0.25 * jitter_fraction()))
        .unwrap_or(Duration::from_millis(500))
}

/// The server's requested wait in seconds: `retry-after-ms`, then `retry-after` as a number, then
/// `retry-after` as an HTTP date (relative to now). A number too large for f64 is a huge wait.
fn retry_after_secs(headers: &[(String, String)]) -> Option<f64> {
    for (name, divisor) in [("retry-after-ms", 1000.0), ("retry-after", 1.0)] {
        let Some(value) = header(headers, name) else {
            continue;
        };
        let trimmed = value.trim();
        if let Ok(delay) = trimmed.parse::<f64>() {
            let literal_inf = matches!(
                trimmed.to_ascii_lowercase().as_str(),
                "inf" | "+inf" | "infinity" | "+infinity"
            );
            if delay.is_infinite() && !literal_inf {
                return Some(MAX_RETRY_AFTER + 1.0); // an overflowing number: excessive, refused
            }
            return Some(delay / divisor);
        }
    }
    let date = header(headers, "retry-after")?;
    let at = http_date_secs(date.trim())?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .ok()?
        .as_secs_f64();
    Some(at - now)
}

/// Seconds since the epoch for an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the form RFC 9110
/// requires servers to send; other forms are not a wait (backoff applies).
fn http_date_secs(text: &str) -> Option<f64> {
    let mut parts = text.split_ascii_whitespace();
    let _weekday = parts.next()?.strip_suffix(',')?;
    let day: i64 = parts.next()?.parse().ok()?;
    let month = match parts.next()? {
        "Jan" => 1,
        "Feb" => 2,
        "Mar" => 3,
        "Apr" => 4,
        "May" => 5,
        "Jun" => 6,
        "Jul" => 7,
        "Aug" => 8,
        "Sep" => 9,
        "Oct" => 10,
        "Nov" => 11,
        "Dec" => 12,
        _ => return None,
    };
    let year: i64 = parts.next()?.parse().ok()?;
    let mut clock = parts.next()?.split(':').map(|p| p.parse::<i64>().ok());
    let (h, m, s) = (clock.next()??, clock.next()??, clock.next()??);
    if parts.next()? != "GMT" || parts.next().is_some() || !(1..=31).contains(&day) {
        return None;
    }
    if !(0..24).contains(&h) || !(0..60).contains(&m) || !(0..61).contains(&s) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some((days * 86_400 + h * 3_600 + m * 60 + s) as f64)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A cheap [0, 1) jitter; retries need spread, not cryptographic randomness.
fn jitter_fraction() -> f64 {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let mut x = u64::from(nanos) ^ 0x9E37_79B9_7F4A_7C15;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    (x % 10_000) as f64 / 10_000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(code: u16, headers: &[(&str, &str)]) -> CoreError {
        CoreError::Status {
            status: code,
            body: String::new(),
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    #[test]
    fn retry_after_is_honoured_up_to_two_minutes() {
        assert_eq!(
            retry_delay(&status(429, &[("retry-after", "3")]), 0),
            Duration::from_secs(3)
        );
        assert_eq!(
            retry_delay(&status(429, &[("retry-after", "120")]), 0),
            Duration::from_secs(120)
        );
        assert_eq!(
            retry_delay(&status(429, &[("retry-after-ms", "250")]), 0),
            Duration::from_millis(250)
        );
        assert!(should_retry(&status(429, &[("retry-after", "120")])));
    }

    #[test]
    fn a_longer_wait_is_not_retried_at_all() {
        for value in ["121", "3600", "1e400"] {
            assert!(
                !should_retry(&status(429, &[("retry-after", value)])),
                "{value}"
            );
        }
        assert!(!should_retry(&status(503, &[("retry-after-ms", "600000")])));
        // An explicit infinity is not "a wait over the cap": the SDK falls back to backoff.
        assert!(should_retry(&status(429, &[("retry-after", "inf")])));
        let backoff = retry_delay(&status(429, &[("retry-after", "inf")]), 0);
        assert!(backoff <= Duration::from_millis(500));
    }

    #[test]
    fn retry_after_as_an_http_date() {
        assert_eq!(
            http_date_secs("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777.0)
        );
        assert_eq!(http_date_secs("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0.0));
        for bad in [
            "",
            "yesterday",
            "Sun, 32 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49 GMT",
        ] {
            assert_eq!(http_date_secs(bad), None, "{bad}");
        }
        // A date far ahead is a wait over the cap; one in the past falls back to backoff.
        let ahead = status(429, &[("retry-after", "Fri, 01 Jan 2100 00:00:00 GMT")]);
        assert!(!should_retry(&ahead));
        let past = status(429, &[("retry-after", "Sun, 06 Nov 1994 08:49:37 GMT")]);
        assert!(should_retry(&past));
        assert!(retry_delay(&past, 0) <= Duration::from_millis(500));
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let e = status(500, &[]);
        let first = retry_delay(&e, 0);
        assert!(first >= Duration::from_millis(375) && first <= Duration::from_millis(500));
        let late = retry_delay(&e, 10);
        assert!(late >= Duration::from_secs(6) && late <= Duration::from_secs(8));
    }

    #[test]
    fn retryable_statuses_match_the_openai_sdk() {
        for code in [408, 409, 429, 500, 502, 503, 529] {
            assert!(should_retry(&status(code, &[])), "{code}");
        }
        for code in [400, 401, 403, 404, 422] {
            assert!(!should_retry(&status(code, &[])), "{code}");
        }
        assert!(!should_retry(&status(500, &[("x-should-retry", "false")])));
        assert!(should_retry(&status(400, &[("x-should-retry", "true")])));
    }
}
