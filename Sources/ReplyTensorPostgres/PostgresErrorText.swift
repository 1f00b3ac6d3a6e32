import PostgresNIO

/// What an error of the driver says, for messages: the server's own message and SQLSTATE, or the transport's cause.
/// PSQLError's `description` is deliberately empty and its `debugDescription` carries the query and its bound
/// values (tokens among them), so neither is used.
enum PostgresErrorText {
    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                let state = error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
                return message + state
            }
            if let underlying = error.underlying { return describe(underlying) }
            return "\(error.code)"
        }
        if let error = error as? PostgresTransactionError {
            if let cause = error.closureError ?? error.commitError ?? error.beginError { return describe(cause) }
            return "transaction failed"
        }
        return "\(error)"
    }

    /// The SQLSTATE of a server error, when it is one.
    static func sqlState(_ error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }
}
