internal import CSodium

/// The one place libsodium is initialised, and facts about the linked library.
///
/// `sodium_init()` runs once, the first time any entry point touches ``Sodium/isReady``:
/// Swift initialises a `static let` lazily, exactly once and thread-safely.
package enum Sodium {
    /// `true` once `sodium_init()` has succeeded (it returns 1 when already initialised).
    static let isReady: Bool = sodium_init() >= 0

    /// Throws when libsodium could not be initialised (no entropy source, for example).
    static func ensureReady() throws(PrimitiveError) {
        guard isReady else { throw .initializationFailed }
    }

    /// The version string of the libsodium linked into this binary, e.g. `1.0.20`.
    package static var versionString: String {
        String(cString: sodium_version_string())
    }

    /// Whether the linked libsodium has AEGIS-128L and AEGIS-256 (1.0.19 and later).
    static var hasAEGIS: Bool { lc_has_aegis() == 1 }

    /// Whether libsodium's AES-256-GCM can run on this CPU (it needs AES-NI/PCLMUL or ARM crypto).
    package static var hasHardwareAES256GCM: Bool {
        isReady && crypto_aead_aes256gcm_is_available() == 1
    }
}

extension Sodium {
    /// libsodium's base64url (no padding) decoder, for benchmark floors; the byte count, or -1.
    package static func base642bin(_ text: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) -> Int {
        guard let input = text.baseAddress?.assumingMemoryBound(to: CChar.self),
            let output = out.baseAddress?.assumingMemoryBound(to: UInt8.self)
        else { return -1 }
        var count = 0
        let status = sodium_base642bin(
            output, out.count, input, text.count, nil, &count, nil, sodium_base64_VARIANT_URLSAFE_NO_PADDING)
        return status == 0 ? count : -1
    }
}
