import Bittensor
import Foundation

/// The bot host's own public addresses, from the local interface list (`getifaddrs`). A miner announcing one of them
/// would make the bot query services on its own host, so miner selection refuses them like private addresses.
/// (Behind NAT the public address is not on an interface; nothing is learned then.)
public enum HostAddresses {
    /// Public IPv4 (4 bytes) and IPv6 (16 bytes) addresses of the interfaces that are up; empty when the list cannot
    /// be read.
    public static func publicAddresses() -> Set<[UInt8]> {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return [] }
        defer { freeifaddrs(list) }
        var addresses: Set<[UInt8]> = []
        for entry in sequence(first: first, next: { $0.pointee.ifa_next }) {
            guard let address = entry.pointee.ifa_addr, entry.pointee.ifa_flags & UInt32(IFF_UP) != 0,
                  let bytes = bytes(of: address), AddressScope.of(bytes).isPublic else { continue }
            addresses.insert(bytes)
        }
        return addresses
    }

    /// The address bytes of an `AF_INET`/`AF_INET6` socket address.
    static func bytes(of address: UnsafeMutablePointer<sockaddr>) -> [UInt8]? {
        switch Int32(address.pointee.sa_family) {
        case AF_INET:
            return address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                withUnsafeBytes(of: pointer.pointee.sin_addr) { Array($0) }
            }
        case AF_INET6:
            return address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                withUnsafeBytes(of: pointer.pointee.sin6_addr) { Array($0) }
            }
        default:
            return nil
        }
    }

    /// The form addresses are compared in: an IPv4-mapped IPv6 address as its IPv4 bytes.
    public static func normalized(_ bytes: [UInt8]) -> [UInt8] {
        if bytes.count == 16 && bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff {
            return Array(bytes[12..<16])
        }
        return bytes
    }
}
