//! Who is on the other end of a request, and how much they may ask for.
//!
//! - The client's address: the peer of the TCP connection, or, when that peer is a proxy the
//!   operator trusts (`--trusted-proxy`, addresses or networks), the last address in
//!   `X-Forwarded-For` that is not itself a trusted proxy. A header from anyone else is
//!   ignored, so a client cannot pick its own address.
//! - Per-client rate limits (`governor`'s GCRA, in memory per process: they protect this
//!   process's CPU; sign-in throttling, which must hold across processes, is in the
//!   database) on what an anonymous caller, or any caller, can make expensive: sign-ins,
//!   token creation, dry-run validation. Past one, the answer is 429 with `Retry-After`.
//!
//! An IPv6 client is counted by its /64 network (one subscriber's).

use crate::AppState;
use crate::error::ApiError;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use ipnet::IpNet;
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::time::Duration;

/// The client's address as it is counted: an IPv4 address, or the /64 network of an IPv6
/// one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ClientAddr(pub IpAddr);

impl ClientAddr {
    /// The key it is counted under (`203.0.113.9`, `2001:db8:1:2::/64`).
    pub fn key(&self) -> String {
        match self.0 {
            IpAddr::V4(v4) => v4.to_string(),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => v4.to_string(),
                None => {
                    let s = v6.segments();
                    let net = std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
                    format!("{net}/64")
                }
            },
        }
    }
}

/// The client of a request: see the module documentation.
pub fn client_addr(peer: IpAddr, forwarded_for: Option<&str>, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let Some(header) = forwarded_for else {
        return peer;
    };
    // Appended to by each proxy: the right end is nearest; skip the trusted ones.
    for hop in header.rsplit(',') {
        match hop.trim().parse::<IpAddr>() {
            Ok(ip) if is_trusted(&ip) => continue,
            Ok(ip) => return ip,
            Err(_) => return peer,
        }
    }
    peer
}

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::from([0, 0, 0, 0]), |c| c.0.ip());
        let forwarded = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok());
        Ok(ClientAddr(client_addr(
            peer,
            forwarded,
            &state.inner.config.trusted_proxies,
        )))
    }
}

/// What a rate limit guards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guarded {
    /// `POST /api/v1/session` and the sign-in page.
    SignIn,
    /// Creating API tokens (API and page).
    Tokens,
    /// `POST /api/v1/validate`.
    Validate,
}

/// Requests per minute a client may make of each guarded kind (bursts of half that).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimits {
    /// Sign-ins per minute.
    pub sign_in_per_minute: u32,
    /// Token creations per minute.
    pub tokens_per_minute: u32,
    /// Dry-run validations per minute.
    pub validate_per_minute: u32,
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits {
            sign_in_per_minute: 30,
            tokens_per_minute: 30,
            validate_per_minute: 60,
        }
    }
}

/// The limiters of one process.
pub struct ClientLimits {
    sign_in: DefaultKeyedRateLimiter<String>,
    tokens: DefaultKeyedRateLimiter<String>,
    validate: DefaultKeyedRateLimiter<String>,
    checks: std::sync::atomic::AtomicU32,
}

fn limiter(per_minute: u32) -> DefaultKeyedRateLimiter<String> {
    let per_minute = NonZeroU32::new(per_minute.max(1)).unwrap_or(NonZeroU32::MIN);
    let burst = NonZeroU32::new((per_minute.get() / 2).max(1)).unwrap_or(NonZeroU32::MIN);
    RateLimiter::keyed(Quota::per_minute(per_minute).allow_burst(burst))
}

/// Checks between two sweeps of forgotten clients.
const SWEEP_EVERY: u32 = 4096;

impl ClientLimits {
    /// Limiters with the given rates.
    pub fn new(limits: RateLimits) -> ClientLimits {
        ClientLimits {
            sign_in: limiter(limits.sign_in_per_minute),
            tokens: limiter(limits.tokens_per_minute),
            validate: limiter(limits.validate_per_minute),
            checks: std::sync::atomic::AtomicU32::new(0),
        }
    }

    /// `Ok` when `client` may make one more request of kind `what`; how long to wait
    /// otherwise (the API answers 429 `rate.limited`, a page its 429 page, both with
    /// `Retry-After`).
    pub fn check(&self, what: Guarded, client: &ClientAddr) -> Result<(), RateLimited> {
        let limiter = match what {
            Guarded::SignIn => &self.sign_in,
            Guarded::Tokens => &self.tokens,
            Guarded::Validate => &self.validate,
        };
        let n = self
            .checks
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if n.is_multiple_of(SWEEP_EVERY) {
            for l in [&self.sign_in, &self.tokens, &self.validate] {
                l.retain_recent();
            }
        }
        limiter
            .check_key(&client.key())
            .map_err(|not_until| RateLimited {
                wait: not_until
                    .wait_time_from(DefaultClock::default().now())
                    .max(Duration::from_secs(1)),
            })
    }
}

/// A request over its kind's rate: try again after `wait`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimited {
    /// How long to wait (at least a second).
    pub wait: Duration,
}

impl From<RateLimited> for ApiError {
    fn from(r: RateLimited) -> ApiError {
        ApiError::new(
            axum::http::StatusCode::TOO_MANY_REQUESTS,
            "rate.limited",
            "too many requests",
            "too many requests of this kind from your address; wait and try again",
        )
        .with_retry_after(r.wait)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap_or(IpAddr::from([0, 0, 0, 0]))
    }

    #[test]
    fn forwarded_for_counts_only_behind_a_trusted_proxy() {
        let trusted: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap_or_else(|_| unreachable!())];
        // A stranger's header is ignored.
        assert_eq!(
            client_addr(ip("203.0.113.9"), Some("1.2.3.4"), &trusted),
            ip("203.0.113.9")
        );
        assert_eq!(
            client_addr(ip("203.0.113.9"), Some("1.2.3.4"), &[]),
            ip("203.0.113.9")
        );
        // Behind the proxy: the nearest untrusted hop; a client's own forgery stays on the left.
        assert_eq!(
            client_addr(ip("10.0.0.2"), Some("1.2.3.4"), &trusted),
            ip("1.2.3.4")
        );
        assert_eq!(
            client_addr(ip("10.0.0.2"), Some("6.6.6.6, 1.2.3.4, 10.0.0.7"), &trusted),
            ip("1.2.3.4")
        );
        assert_eq!(client_addr(ip("10.0.0.2"), None, &trusted), ip("10.0.0.2"));
        assert_eq!(
            client_addr(ip("10.0.0.2"), Some("garbage"), &trusted),
            ip("10.0.0.2")
        );
    }

    #[test]
    fn ipv6_clients_are_counted_by_their_64() {
        assert_eq!(
            ClientAddr(ip("2001:db8:1:2:3:4:5:6")).key(),
            "2001:db8:1:2::/64"
        );
        assert_eq!(ClientAddr(ip("2001:db8:1:2::9")).key(), "2001:db8:1:2::/64");
        assert_eq!(ClientAddr(ip("::ffff:1.2.3.4")).key(), "1.2.3.4");
        assert_eq!(ClientAddr(ip("1.2.3.4")).key(), "1.2.3.4");
    }

    #[test]
    fn past_the_burst_a_client_waits_others_do_not() {
        let limits = ClientLimits::new(RateLimits {
            sign_in_per_minute: 4,
            ..RateLimits::default()
        });
        let a = ClientAddr(ip("1.1.1.1"));
        assert!(limits.check(Guarded::SignIn, &a).is_ok());
        assert!(limits.check(Guarded::SignIn, &a).is_ok());
        let refused = limits.check(Guarded::SignIn, &a).unwrap_err();
        assert!(refused.wait >= Duration::from_secs(1));
        let answer = ApiError::from(refused);
        assert_eq!(answer.status(), axum::http::StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(answer.code(), "rate.limited");
        assert!(
            limits
                .check(Guarded::SignIn, &ClientAddr(ip("2.2.2.2")))
                .is_ok()
        );
        assert!(limits.check(Guarded::Tokens, &a).is_ok());
    }
}
