import Testing

@testable import LaravelCrypto

/// Cipher names as `config/app.php` and `APP_CIPHER` give them.
@Suite("Cipher names")
struct CipherNameTests {
    @Test func namesAreReadAsTheirOwnersReadThem() throws {
        #expect(try Cipher(named: "Sodium_AEGIS256GCM") == .aegis256)
        #expect(try Cipher(named: "AES-256-CBC") == .laravelAES256CBC, "Laravel lowercases aes-* names")
        for cipher in Cipher.allCases {
            #expect(try Cipher(named: cipher.rawValue) == cipher)
        }
        #expect(throws: CipherError.unsupported(name: "sodium_aegis256gcm"), "Sodium_* names are case-sensitive") {
            try Cipher(named: "sodium_aegis256gcm")
        }
        #expect(throws: CipherError.unsupported(name: "")) { try Cipher(named: "") }
    }
}
