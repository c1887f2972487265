import LaravelCryptoTestSupport

extension SplitMix64 {
    /// `text` with one to three random edits (replace, insert or delete a byte from `alphabet`):
    /// the differential tests' way of walking the edge between valid and invalid input.
    mutating func mutated(_ text: [UInt8], alphabet: [UInt8]) -> [UInt8] {
        var text = text
        for _ in 0..<Int.random(in: 1...3, using: &self) where !text.isEmpty {
            let position = Int.random(in: 0..<text.count, using: &self)
            switch Int.random(in: 0..<3, using: &self) {
            case 0: text[position] = alphabet.randomElement(using: &self) ?? 0
            case 1: text.insert(alphabet.randomElement(using: &self) ?? 0, at: position)
            default: text.remove(at: position)
            }
        }
        return text
    }
}
