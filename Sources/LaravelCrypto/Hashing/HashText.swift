/// Constant-time equality of hash texts and digests (`sodium_memcmp`; different lengths are unequal).
enum HashText {
    static func equal(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in SodiumMemory.constantTimeEquals(UnsafeRawBufferPointer(x), UnsafeRawBufferPointer(y)) }
        }
    }

    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.withUnsafeBytes { x in b.withUnsafeBytes { y in SodiumMemory.constantTimeEquals(x, y) } }
    }
}
