/// A benchmark that could not measure what it meant to (the server and reencrypt suites throw it;
/// each is built with its own traits, so it lives outside both).
struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
