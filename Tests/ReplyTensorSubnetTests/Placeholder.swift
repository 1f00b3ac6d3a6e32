import Testing
@Test func placeholderReplyTensorSubnetTests() { #expect(Bool(true)) }
