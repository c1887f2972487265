import LaravelCryptoTestSupport
import Testing

@testable import LaravelCrypto

/// `UserKey(token:)` accepts what laravel-crypto's `decodeToken` accepts and throws a typed error
/// where upstream returns null or throws a `TypeError`.
@Suite("Encryption tokens")
struct UserKeyTokenTests {
    static let bytes = (0..<32).map { UInt8(0x80 + $0) }
    static let token = "gIGCg4SFhoeIiYqLjI2Oj5CRkpOUlZaXmJmam5ydnp8"

    @Test("lenient forms upstream accepts")
    func lenientForms() throws {
        let key = try UserKey(bytes: Self.bytes)
        let standard = Self.token.replacingAll("-", with: "+").replacingAll("_", with: "/")
        var mixed = Array(Self.token)
        mixed[5] = "+"  // the url form has no '+', but PHP accepts either alphabet after the swap
        for form in [
            Self.token, Self.token + "=", standard, standard + "=", " " + Self.token + "\n",
            String(Self.token.prefix(20)) + "\r\n\t " + String(Self.token.dropFirst(20)),
            String(Self.token.dropLast()) + "9",  // non-canonical trailing bits: same 32 bytes
        ] {
            #expect(try UserKey(token: form) == key, "\(form)")
        }
        #expect(try UserKey(token: String(mixed)).token.count == 43)
    }

    @Test("rejected texts are typed errors")
    func rejected() {
        for text in [
            "", "=", Self.token + "==", Self.token + "!", String(Self.token.dropLast(2)), Self.token + "AAAA", "****",
        ] {
            #expect(throws: UserKeyError.self, "\(text)") { try UserKey(token: text) }
        }
        #expect(throws: UserKeyError.invalidToken(reason: "it decodes to 30 bytes, not 32")) {
            try UserKey(token: String(Self.token.prefix(40)))
        }
    }

    @Test("no crash on any text: 20 000 random and mutated tokens")
    func fuzz() {
        var rng = SplitMix64(seed: 0x7031)
        let alphabet = Array(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/= \n\t\r\0é😀".unicodeScalars)
        for round in 0..<20_000 {
            var scalars: [Unicode.Scalar]
            if round % 2 == 0 {
                scalars = (0..<Int(rng.next() % 60)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            } else {
                scalars = Array(Self.token.unicodeScalars)
                let position = Int(rng.next() % UInt64(scalars.count))
                scalars[position] = alphabet[Int(rng.next() % UInt64(alphabet.count))]
            }
            var text = ""
            text.unicodeScalars.append(contentsOf: scalars)
            if let key = try? UserKey(token: text) {
                #expect(key.withUnsafeBytes { $0.count } == 32)
            }
        }
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: Character) -> String {
        String(map { $0 == target ? replacement : $0 })
    }
}
