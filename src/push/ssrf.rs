//! Where webhooks may deliver: only `http` and `https` URLs whose host resolves to public
//! addresses. Loopback, private, shared (CGNAT), link-local (cloud metadata services live
//! there: 169.254.169.254, fd00:ec2::254), unique-local, multicast, broadcast, unspecified and
//! documentation addresses are refused, also inside IPv4-mapped IPv6 addresses, unless the
//! operator passes `--webhook-allow-private`. The check is made when a subscription is created
//! and again on the resolved address of every delivery (a name that later resolves elsewhere,
//! DNS rebinding, is caught then). Redirects are never followed.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The longest URL a subscription takes.
pub const MAX_URL_LEN: usize = 2048;

/// Why an address may not be delivered to, if it may not.
pub fn refused_ip(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => refused_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return refused_v4(v4);
            }
            refused_v6(v6)
        }
    }
}

fn refused_v4(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, c, _] = ip.octets();
    Some(if ip.is_loopback() {
        "a loopback address"
    } else if ip.is_unspecified() || a == 0 {
        "an unspecified address"
    } else if ip.is_private() {
        "a private address"
    } else if a == 100 && (64..128).contains(&b) {
        "a shared (carrier-grade NAT) address"
    } else if ip.is_link_local() {
        "a link-local address (cloud metadata services live there)"
    } else if ip.is_multicast() || ip.is_broadcast() || a >= 240 {
        "a multicast, broadcast or reserved address"
    } else if (a, b, c) == (192, 0, 0)
        || (a, b, c) == (192, 0, 2)
        || (a, b) == (198, 18)
        || (a, b) == (198, 19)
        || (a, b, c) == (198, 51, 100)
        || (a, b, c) == (203, 0, 113)
    {
        "a special-purpose or documentation address"
    } else {
        return None;
    })
}

fn refused_v6(ip: Ipv6Addr) -> Option<&'static str> {
    let first = ip.segments()[0];
    Some(if ip.is_loopback() {
        "a loopback address"
    } else if ip.is_unspecified() {
        "an unspecified address"
    } else if first & 0xfe00 == 0xfc00 {
        "a unique-local (private) address"
    } else if first & 0xffc0 == 0xfe80 {
        "a link-local address"
    } else if ip.is_multicast() {
        "a multicast address"
    } else if first == 0x2001 && ip.segments()[1] == 0x0db8 {
        "a documentation address"
    } else if first == 0x0064 && ip.segments()[1] == 0xff9b {
        // NAT64 (64:ff9b::/96) reaches the IPv4 address in its last 32 bits.
        let [.., c, d] = ip.segments();
        let v4 = Ipv4Addr::new((c >> 8) as u8, c as u8, (d >> 8) as u8, d as u8);
        return refused_v4(v4);
    } else {
        return None;
    })
}

/// Checks a subscription's URL: absolute `http` or `https`, a host, no user name or password
/// (they would show in every listing), at most [`MAX_URL_LEN`] bytes; unless `allow_private`,
/// no host named `localhost` (or under `.localhost`, `.internal`, `.local`) and no literal
/// address that [`refused_ip`] refuses. A name is resolved only when delivering.
pub fn check_url(url: &str, allow_private: bool) -> Result<reqwest::Url, String> {
    if url.len() > MAX_URL_LEN {
        return Err(format!("must be at most {MAX_URL_LEN} bytes long"));
    }
    let parsed = reqwest::Url::parse(url).map_err(|e| format!("is not an absolute URL: {e}"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err("must be an http or https URL".into());
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err("must not hold a user name or password".into());
    }
    let Some(host) = parsed.host_str() else {
        return Err("must name a host".into());
    };
    if allow_private {
        return Ok(parsed);
    }
    let literal = host.trim_start_matches('[').trim_end_matches(']');
    let refused = match literal.parse::<IpAddr>() {
        Ok(ip) => refused_ip(ip),
        Err(_) => {
            let name = host.trim_end_matches('.').to_ascii_lowercase();
            (name == "localhost"
                || [".localhost", ".internal", ".local"]
                    .iter()
                    .any(|suffix| name.ends_with(suffix)))
            .then_some("a local name")
        }
    };
    match refused {
        Some(why) => Err(format!(
            "names {why}; webhooks deliver only to public addresses (the operator can allow private ones with --webhook-allow-private)"
        )),
        None => Ok(parsed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_metadata_addresses_are_refused() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "::1",
            "::",
            "fe80::1",
            "fd00:ec2::254",
            "::ffff:127.0.0.1",
            "64:ff9b::a9fe:a9fe",
        ] {
            assert!(refused_ip(ip.parse().unwrap()).is_some(), "{ip}");
        }
        for ip in ["93.184.216.34", "2606:4700::1111", "8.8.8.8"] {
            assert!(refused_ip(ip.parse().unwrap()).is_none(), "{ip}");
        }
    }

    #[test]
    fn urls_are_checked() {
        assert!(check_url("https://hooks.example.org/iom", false).is_ok());
        for bad in [
            "ftp://example.org/",
            "https://user:pw@example.org/",
            "http://localhost:9000/",
            "http://api.localhost/",
            "http://metadata.google.internal/",
            "http://127.0.0.1:9000/",
            "http://[::1]/",
            "http://2130706433/",
            "http://0x7f.1/",
            "http://169.254.169.254/latest/meta-data/",
            "/relative",
        ] {
            assert!(check_url(bad, false).is_err(), "{bad}");
        }
        assert!(check_url("http://127.0.0.1:9000/", true).is_ok());
        assert!(check_url("ftp://127.0.0.1/", true).is_err());
    }
}
