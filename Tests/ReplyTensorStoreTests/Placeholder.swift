import Testing
@Test func placeholderReplyTensorStoreTests() { #expect(Bool(true)) }
