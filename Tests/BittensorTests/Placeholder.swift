import Testing
@Test func placeholderBittensorTests() { #expect(Bool(true)) }
