//! Who may talk to the preview server (pure, tested without a socket). The editor writes files,
//! so only the person at this computer may use it:
//! - every request's `Host` must be the loopback address and the server's port (a web page on
//!   another site cannot reach the server by pointing its own name at 127.0.0.1: DNS rebinding);
//! - a request that carries an `Origin` must come from the preview itself, and a write (POST)
//!   must carry one;
//! - the editor's API (`/__handbok/api/…`) needs the random per-run token that only the served
//!   editor page knows, in the `X-Handbok-Token` header.

/// The header that carries the token.
pub const TOKEN_HEADER: &str = "x-handbok-token";

/// What the guard looks at in a request.
#[derive(Debug, Clone, Copy, Default)]
pub struct RequestFacts<'a> {
    /// The `Host` header.
    pub host: Option<&'a str>,
    /// The `Origin` header.
    pub origin: Option<&'a str>,
    /// The token header.
    pub token: Option<&'a str>,
    /// A POST (or any method that changes something).
    pub writes: bool,
    /// The path is under `/__handbok/api/`.
    pub api: bool,
}

/// Why a request was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denied {
    /// `Host` is missing or not the loopback address and port.
    Host,
    /// `Origin` is another site's, or a write has none.
    Origin,
    /// The API call lacks the right token.
    Token,
}

impl Denied {
    /// The string table key of the refusal's message.
    pub fn key(self) -> &'static str {
        match self {
            Denied::Host => "serve_denied_host",
            Denied::Origin => "serve_denied_origin",
            Denied::Token => "serve_denied_token",
        }
    }
}

/// The server's own address and token, as requests must name them.
#[derive(Debug, Clone)]
pub struct Expected {
    /// The port served.
    pub port: u16,
    /// The per-run token.
    pub token: String,
}

impl Expected {
    /// Check one request.
    pub fn check(&self, request: &RequestFacts<'_>) -> Result<(), Denied> {
        let host = request.host.ok_or(Denied::Host)?;
        if !self.is_own_host(host) {
            return Err(Denied::Host);
        }
        match request.origin {
            Some(origin) => {
                let own = origin
                    .strip_prefix("http://")
                    .is_some_and(|rest| self.is_own_host(rest));
                if !own {
                    return Err(Denied::Origin);
                }
            }
            None if request.writes => return Err(Denied::Origin),
            None => {}
        }
        if request.api || request.writes {
            let given = request.token.unwrap_or("");
            if !same_secret(given.as_bytes(), self.token.as_bytes()) {
                return Err(Denied::Token);
            }
        }
        Ok(())
    }

    fn is_own_host(&self, host: &str) -> bool {
        let port = self.port.to_string();
        ["127.0.0.1", "localhost"]
            .iter()
            .any(|name| host.eq_ignore_ascii_case(&format!("{name}:{port}")))
    }
}

/// Compare without stopping at the first difference, so timing tells nothing about the token.
pub(super) fn same_secret(given: &[u8], expected: &[u8]) -> bool {
    given.len() == expected.len() && given.iter().zip(expected).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

/// A new random token (32 bytes from the system's random source, as hex).
pub(super) fn new_token() -> Result<String, String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| format!("no random numbers for the editor's token: {e}"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expected() -> Expected {
        Expected {
            port: 8000,
            token: "abc123".into(),
        }
    }

    fn read(host: &str) -> RequestFacts<'_> {
        RequestFacts {
            host: Some(host),
            ..RequestFacts::default()
        }
    }

    #[test]
    fn only_the_loopback_host_and_port_are_served() {
        let e = expected();
        assert_eq!(e.check(&read("127.0.0.1:8000")), Ok(()));
        assert_eq!(e.check(&read("localhost:8000")), Ok(()));
        for bad in [
            "evil.example:8000",
            "127.0.0.1:8001",
            "127.0.0.1",
            "attacker.com",
            "127.0.0.1:8000.evil.example",
        ] {
            assert_eq!(e.check(&read(bad)), Err(Denied::Host), "{bad}");
        }
        assert_eq!(e.check(&RequestFacts::default()), Err(Denied::Host));
    }

    #[test]
    fn writes_need_the_own_origin_and_the_token() {
        let e = expected();
        let write = RequestFacts {
            host: Some("127.0.0.1:8000"),
            origin: Some("http://127.0.0.1:8000"),
            token: Some("abc123"),
            writes: true,
            api: true,
        };
        assert_eq!(e.check(&write), Ok(()));
        for origin in [
            Some("http://evil.example"),
            Some("null"),
            Some("https://127.0.0.1:8000"),
            None,
        ] {
            assert_eq!(
                e.check(&RequestFacts { origin, ..write }),
                Err(Denied::Origin),
                "{origin:?}"
            );
        }
        for token in [None, Some(""), Some("abc124"), Some("abc1234")] {
            assert_eq!(
                e.check(&RequestFacts { token, ..write }),
                Err(Denied::Token),
                "{token:?}"
            );
        }
        let api_read = RequestFacts {
            writes: false,
            origin: None,
            token: None,
            ..write
        };
        assert_eq!(e.check(&api_read), Err(Denied::Token));
    }

    #[test]
    fn tokens_are_long_and_differ() {
        let (a, b) = (new_token().unwrap(), new_token().unwrap());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
    }
}
