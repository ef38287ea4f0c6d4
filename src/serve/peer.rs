//! Who opened a loopback connection (Linux): the owner of the client's socket, from the
//! kernel's table of TCP sockets (`/proc/net/tcp`), as identd tells it. One-time links and the
//! editor's API are refused to a connection another user of the computer opened, so a link or
//! token that leaked (a browser's command line seen in `ps`, a record on a shared drive) is of no
//! use to other accounts. Elsewhere, or when the table does not list the connection, the owner
//! is unknown and the token, `Host` and `Origin` checks stand alone.

use std::net::{Ipv4Addr, SocketAddr};

/// Whether the connection from `peer` to this server's `local` address was opened by a user
/// other than the one running handbok (`false` when that cannot be told).
pub(crate) fn is_other_user(peer: SocketAddr, local: SocketAddr) -> bool {
    #[cfg(target_os = "linux")]
    {
        let Ok(table) = std::fs::read_to_string("/proc/net/tcp") else {
            return false;
        };
        // SAFETY: geteuid has no preconditions and cannot fail.
        let me = unsafe { libc::geteuid() };
        owner_in(&table, peer, local).is_some_and(|uid| uid != me)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (peer, local);
        false
    }
}

/// The owner of the socket whose own address is `peer` and whose other end is `local`.
fn owner_in(table: &str, peer: SocketAddr, local: SocketAddr) -> Option<u32> {
    let (client, server) = (v4(peer)?, v4(local)?);
    table.lines().skip(1).find_map(|line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let matches = fields.len() > 7 && entry(fields[1]) == Some(client) && entry(fields[2]) == Some(server);
        matches.then(|| fields[7].parse().ok()).flatten()
    })
}

fn v4(addr: SocketAddr) -> Option<(Ipv4Addr, u16)> {
    match addr {
        SocketAddr::V4(a) => Some((*a.ip(), a.port())),
        SocketAddr::V6(a) => a.ip().to_ipv4_mapped().map(|ip| (ip, a.port())),
    }
}

/// `0100007F:1F40`: the address as the kernel's 32-bit word in this machine's byte order, and
/// the port, both in hex.
fn entry(field: &str) -> Option<(Ipv4Addr, u16)> {
    let (ip, port) = field.split_once(':')?;
    let ip = u32::from_str_radix(ip, 16).ok()?;
    let port = u16::from_str_radix(port, 16).ok()?;
    Some((Ipv4Addr::from(ip.to_ne_bytes()), port))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_endian = "little")]
    #[test]
    fn the_client_socket_names_its_owner() {
        let table =
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n\
             0: 0100007F:1F40 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1\n\
             1: 0100007F:1F40 0100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 2 1\n\
             2: 0100007F:D431 0100007F:1F40 01 00000000:00000000 00:00000000 00000000  1001        0 3 1\n";
        let server: SocketAddr = "127.0.0.1:8000".parse().unwrap();
        let client: SocketAddr = "127.0.0.1:54321".parse().unwrap();
        assert_eq!(owner_in(table, client, server), Some(1001));
        assert_eq!(owner_in(table, "127.0.0.1:1".parse().unwrap(), server), None);
        assert_eq!(owner_in("garbage\nmore garbage", client, server), None);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_connection_of_this_user_is_this_users() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let local = listener.local_addr().unwrap();
        let stream = std::net::TcpStream::connect(local).unwrap();
        let peer = stream.local_addr().unwrap();
        let table = std::fs::read_to_string("/proc/net/tcp").unwrap();
        // SAFETY: geteuid has no preconditions.
        assert_eq!(owner_in(&table, peer, local), Some(unsafe { libc::geteuid() }));
        assert!(!is_other_user(peer, local));
    }
}
