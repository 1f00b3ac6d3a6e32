import Foundation
import ReplyTensorHTTP

/// What an axon answered.
public struct DendriteAnswer: Sendable, Hashable {
    public var completion: String
    public var status: Int
    public var streamed: Bool
    public var elapsed: Duration
}

/// Queries axons with signed prompting synapses over an `HTTPClient`.
public struct Dendrite: Sendable {
    public let signer: DendriteSigner
    public let http: any HTTPClient
    public let nonces: NonceClock
    let leases: UUIDLeases
    /// Largest answer accepted.
    public var maxAnswerBytes: Int

    public init(keypair: Sr25519Keypair, http: any HTTPClient, uuid: String = UUID().uuidString.lowercased(),
                maxAnswerBytes: Int = 256 << 10) {
        self.signer = DendriteSigner(keypair: keypair, uuid: uuid)
        self.http = http
        self.nonces = NonceClock()
        self.leases = UUIDLeases(base: uuid)
        self.maxAnswerBytes = maxAnswerBytes
    }

    /// Sends `synapse` to `axon` and returns the completion; streaming synapses are read incrementally to the end.
    public func query(_ synapse: PromptingSynapse, to axon: AxonTarget, timeout: Duration) async throws -> DendriteAnswer {
        let uuid = await leases.acquire()
        do {
            let answer = try await query(synapse, to: axon, timeout: timeout, uuid: uuid)
            await leases.release(uuid)
            return answer
        } catch {
            await leases.release(uuid)
            throw error
        }
    }

    private func query(_ synapse: PromptingSynapse, to axon: AxonTarget, timeout: Duration,
                       uuid: String) async throws -> DendriteAnswer {
        let start = ContinuousClock.now
        let request = signer.request(synapse, to: axon, nonce: await nonces.next(), timeout: timeout,
                                     maxBodyBytes: maxAnswerBytes, uuid: uuid)
        do {
            let response = try await http.stream(request)
            var body = Data()
            for try await chunk in response.body {
                body.append(chunk)
                if body.count > maxAnswerBytes {
                    throw DendriteError(.malformed, "answer exceeds \(maxAnswerBytes) bytes", axon: axon.description)
                }
            }
            try Task.checkCancellation()
            let contentType = response.headers["content-type"]?.lowercased() ?? ""
            guard response.status == 200 else {
                throw DendriteError(.rejected, status: response.status, Self.errorMessage(body, status: response.status),
                                    axon: axon.description)
            }
            let completion: String
            if synapse.kind.isStreaming && !contentType.contains("json") {
                guard let text = String(validating: body, as: UTF8.self) else {
                    throw DendriteError(.malformed, "the streamed answer is not valid UTF-8", axon: axon.description)
                }
                completion = text
            } else {
                guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else {
                    throw DendriteError(.malformed, "the answer is not a JSON synapse", axon: axon.description)
                }
                guard let text = object["completion"] as? String else {
                    throw DendriteError(.malformed, "the answer has no completion string", axon: axon.description)
                }
                completion = text
            }
            return DendriteAnswer(completion: completion, status: 200, streamed: synapse.kind.isStreaming,
                                  elapsed: ContinuousClock.now - start)
        } catch let error as DendriteError {
            throw error
        } catch let error as HTTPClientError {
            switch error.code {
            case .timeout: throw DendriteError(.timeout, error.message, axon: axon.description)
            case .cancelled: throw DendriteError(.cancelled, error.message, axon: axon.description)
            case .bodyTooLarge: throw DendriteError(.malformed, error.message, axon: axon.description)
            case .transport, .invalidRequest: throw DendriteError(.unreachable, error.message, axon: axon.description)
            }
        } catch is CancellationError {
            throw DendriteError(.cancelled, "the query was cancelled", axon: axon.description)
        }
    }

    /// The axon's `{"message": …}` with the meaning of the status.
    static func errorMessage(_ body: Data, status: Int) -> String {
        let meaning = DendriteError.meaning(of: status)
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any],
              let message = object["message"] as? String, !message.isEmpty else { return meaning }
        return "\(meaning): \(String(message.prefix(300)))"
    }
}
