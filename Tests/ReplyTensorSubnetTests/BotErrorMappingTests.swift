import Bittensor
import ReplyTensorCore
import ReplyTensorSubnet
import Testing

@Suite struct BotErrorMappingTests {
    @Test(arguments: [(401, BotError.Code.responder, false), (403, .forbidden, false), (404, .responder, false),
                      (408, .responder, true), (500, .responder, true), (503, .responder, true)])
    func axonStatuses(status: Int, code: BotError.Code, retryable: Bool) {
        let error = BotError(DendriteError(.rejected, status: status, "x", axon: "127.0.0.1:1"))
        #expect(error.code == code && error.httpStatus == status && error.isRetryable == retryable)
    }

    @Test func transportKinds() {
        #expect(BotError(DendriteError(.timeout, "t", axon: "a")).code == .transport)
        #expect(BotError(DendriteError(.unreachable, "r", axon: "a")).code == .transport)
        #expect(BotError(DendriteError(.malformed, "m", axon: "a")).code == .decoding)
        #expect(BotError(DendriteError(.cancelled, "c", axon: "a")).code == .cancelled)
    }

    @Test func answersAreJudged() {
        #expect(AnswerAcceptance.reason(toReject: "  \n", question: "q", maxCharacters: 10) == "empty answer")
        #expect(AnswerAcceptance.reason(toReject: "Hello?", question: "hello?", maxCharacters: 10) == "answer echoes the prompt")
        #expect(AnswerAcceptance.reason(toReject: String(repeating: "a", count: 11), question: "q", maxCharacters: 10) != nil)
        #expect(AnswerAcceptance.reason(toReject: "a fine answer", question: "q", maxCharacters: 100) == nil)
    }
}
