//! The service's documented source addresses.

use std::net::{IpAddr, Ipv4Addr};

use axum::http::HeaderMap;

/// The networks notifications come from (reference §3), as (address, prefix length).
pub const QIWI_SOURCE_RANGES: [(Ipv4Addr, u8); 4] = [
    (Ipv4Addr::new(79, 142, 16, 0), 20),
    (Ipv4Addr::new(195, 189, 100, 0), 22),
    (Ipv4Addr::new(91, 232, 230, 0), 23),
    (Ipv4Addr::new(91, 213, 51, 0), 24),
];

/// Whether a request from `peer` may be a notification: the peer itself, or, when the peer is
/// a trusted proxy, the last `X-Forwarded-For` address, is in [`QIWI_SOURCE_RANGES`].
pub(crate) fn allowed(peer: Option<IpAddr>, headers: &HeaderMap, proxies: &[IpAddr]) -> bool {
    let Some(peer) = peer else {
        return false;
    };
    let source = if proxies.contains(&peer) {
        let forwarded = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .last()
            .and_then(|last| last.trim().parse::<IpAddr>().ok());
        match forwarded {
            Some(address) => address,
            None => return false,
        }
    } else {
        peer
    };
    in_ranges(source)
}

fn in_ranges(address: IpAddr) -> bool {
    let v4 = match address {
        IpAddr::V4(v4) => v4,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4,
            None => return false,
        },
    };
    QIWI_SOURCE_RANGES.iter().any(|(network, prefix)| {
        let mask = u32::MAX.checked_shl(32 - u32::from(*prefix)).unwrap_or(0);
        u32::from(v4) & mask == u32::from(*network) & mask
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_include_their_ends_only() {
        for (address, inside) in [
            ("79.142.16.0", true),
            ("79.142.31.255", true),
            ("79.142.32.0", false),
            ("195.189.103.255", true),
            ("195.189.104.0", false),
            ("91.232.231.7", true),
            ("91.213.51.200", true),
            ("91.213.52.1", false),
            ("::ffff:91.213.51.1", true),
            ("127.0.0.1", false),
            ("::1", false),
        ] {
            assert_eq!(in_ranges(address.parse().unwrap()), inside, "{address}");
        }
    }

    #[test]
    fn a_forwarded_address_counts_only_behind_a_trusted_proxy() {
        let proxy: IpAddr = "127.0.0.1".parse().unwrap();
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", "10.0.0.1, 91.213.51.9".parse().unwrap());
        assert!(allowed(Some(proxy), &headers, &[proxy]));
        assert!(!allowed(Some(proxy), &headers, &[]));
        assert!(!allowed(Some(proxy), &HeaderMap::new(), &[proxy]));
        assert!(!allowed(None, &headers, &[proxy]));
        assert!(allowed(
            Some("91.213.51.9".parse().unwrap()),
            &HeaderMap::new(),
            &[]
        ));
    }
}
