//! What counts as this machine: loopback addresses and the `Host` headers that name
//! them (the control endpoints, remote `file` URLs and notification targets keep to
//! them).

/// Whether a `Host` header names this machine's loopback interface: `localhost` (a
/// trailing dot allowed), a loopback IPv4 or IPv6 literal (IPv4-mapped too), any port.
pub fn host_allowed(host: Option<&str>) -> bool {
    let Some(host) = host.map(str::trim) else {
        return false;
    };
    let name = if let Some(rest) = host.strip_prefix('[') {
        match rest.split_once(']') {
            Some((inside, "")) => inside,
            Some((inside, port)) if port.strip_prefix(':').is_some_and(is_port) => inside,
            _ => return false,
        }
    } else {
        match host.rsplit_once(':') {
            Some((name, port)) if is_port(port) => name,
            Some(_) => return false,
            None => host,
        }
    };
    if name.eq_ignore_ascii_case("localhost") || name.eq_ignore_ascii_case("localhost.") {
        return true;
    }
    name.parse::<std::net::IpAddr>().is_ok_and(is_loopback)
}

fn is_port(p: &str) -> bool {
    !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit())
}

/// Loopback, IPv4-mapped IPv6 loopback (`::ffff:127.0.0.1`) included.
pub fn is_loopback(ip: std::net::IpAddr) -> bool {
    match ip {
        std::net::IpAddr::V4(v4) => v4.is_loopback(),
        std::net::IpAddr::V6(v6) => {
            v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::host_allowed;

    #[test]
    fn control_hosts() {
        for h in [
            "localhost",
            "LOCALHOST:8080",
            "localhost.:1",
            "127.0.0.1",
            "127.9.8.7:65535",
            "[::1]",
            "[::1]:80",
            "[::ffff:127.0.0.1]:80",
        ] {
            assert!(host_allowed(Some(h)), "{h}");
        }
        for h in [
            "",
            "evil.example",
            "localhost.evil.example",
            "127.0.0.1.nip.io:80",
            "10.0.0.1:80",
            "[::2]:80",
            "0.0.0.0",
            "localhost:http",
            "[::1]x",
            "::1",
        ] {
            assert!(!host_allowed(Some(h)), "{h}");
        }
        assert!(!host_allowed(None));
    }
}
