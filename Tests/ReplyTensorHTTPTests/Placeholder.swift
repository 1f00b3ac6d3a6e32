import Testing
@Test func placeholderReplyTensorHTTPTests() { #expect(Bool(true)) }
