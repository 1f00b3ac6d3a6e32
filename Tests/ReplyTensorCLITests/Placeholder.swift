import Testing
@Test func placeholderReplyTensorCLITests() { #expect(Bool(true)) }
