import Testing
@Test func placeholderAdapterTests() { #expect(Bool(true)) }
