import NIOSSL
import PostgresNIO

/// The TLS settings of an `sslmode`: `require` encrypts without verifying the server, `verify-full` checks its
/// certificate against the system's roots and its host name (libpq's meanings,
/// https://www.postgresql.org/docs/15/libpq-ssl.html#LIBPQ-SSL-PROTECTION).
struct PostgresTLS: Sendable {
    let clientTLS: PostgresClient.Configuration.TLS
    let connectionTLS: PostgresConnection.Configuration.TLS

    init(_ mode: PostgresLocation.SSLMode) throws {
        switch mode {
        case .disable:
            clientTLS = .disable
            connectionTLS = .disable
        case .require, .verifyFull:
            var configuration = TLSConfiguration.makeClientConfiguration()
            if mode == .require { configuration.certificateVerification = .none }
            clientTLS = .require(configuration)
            connectionTLS = .require(try NIOSSLContext(configuration: configuration))
        }
    }
}
