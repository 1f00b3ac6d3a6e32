import Bittensor
import ReplyTensorCore

extension BotError {
    /// Maps a dendrite failure: 401 (request refused) a non-retryable responder error, 403 forbidden (blacklisted hotkey), 404 permanent for that
    /// miner, 408/500/503 retryable responder errors, timeouts and refused connections transport errors.
    public init(_ error: DendriteError) {
        switch error.kind {
        case .rejected:
            let status = error.status ?? 0
            switch status {
            // The miner refused the request (signature, nonce): that miner's failure, not a reason to stop a platform.
            case 401: self.init(.responder, error.description, httpStatus: status)
            case 403: self.init(.forbidden, error.description, httpStatus: status, isPermanent: true)
            case 404: self.init(.responder, error.description, httpStatus: status, isPermanent: true)
            default: self.init(.responder, error.description, httpStatus: status)
            }
        case .timeout, .unreachable: self.init(.transport, error.description)
        case .malformed: self.init(.decoding, error.description)
        case .cancelled: self.init(.cancelled, error.description)
        }
    }

    /// Maps a subtensor failure (the metagraph could not be read).
    public init(_ error: SubtensorError) {
        switch error.kind {
        case .invalid: self.init(.config, error.description)
        case .transport, .timeout: self.init(.transport, error.description)
        case .http, .rpc: self.init(.responder, error.description, httpStatus: error.status)
        case .decoding: self.init(.decoding, error.description)
        case .cancelled: self.init(.cancelled, error.description)
        }
    }
}
