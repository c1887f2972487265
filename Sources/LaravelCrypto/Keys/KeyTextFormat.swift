/// How a key string such as an `APP_KEY` value becomes key bytes.
///
/// Both forms accept `base64:` followed by base64. They differ for text without that prefix.
public enum KeyTextFormat: Sendable {
    /// laravel-crypto: `base64:` + base64 (PHP strict decoding), otherwise **hex**; raw keys are
    /// rejected. Previous keys are trimmed. Used by the `Sodium_*` ciphers.
    case laravelCrypto
    /// Laravel's own encrypter: `base64:` + base64 (PHP's forgiving decoding), otherwise the
    /// text's **raw bytes**. Previous keys are not trimmed. Used by the `aes-*` ciphers.
    case laravel

    /// Parses one key string.
    /// - Parameters:
    ///   - text: the key text, e.g. an `APP_KEY` value.
    ///   - variable: the variable named in a ``KeyError/missing(variable:)`` error.
    /// - Throws: ``KeyError/missing(variable:)`` for an empty string, ``KeyError/invalidFormat(reason:)``
    ///   for text that does not decode.
    public func parse(_ text: String, variable: String = "APP_KEY") throws(KeyError) -> EncryptionKey {
        try withDecodedBytes(of: text, variable: variable) { bytes throws(KeyError) in
            try EncryptionKey(bytes: bytes)
        }
    }

    /// Parses a comma-separated previous-keys value (`APP_PREVIOUS_KEYS`), keeping its order.
    ///
    /// Empty pieces and the piece `"0"` are dropped, as PHP's `array_filter` does. Every entry is
    /// decoded before any is stored, so a bad entry costs no secure memory for the good ones.
    public func parseList(_ text: String, variable: String = "APP_PREVIOUS_KEYS") throws(KeyError) -> [EncryptionKey] {
        var decoded: [[UInt8]] = []
        defer { for index in decoded.indices { SecureMemory.wipe(&decoded[index]) } }
        for entry in listEntries(text) {
            decoded.append(
                try withDecodedBytes(of: entry, variable: variable) { bytes throws(KeyError) in Array(bytes) })
        }
        var keys: [EncryptionKey] = []
        keys.reserveCapacity(decoded.count)
        for bytes in decoded {
            keys.append(try EncryptionKey(bytes: bytes))
        }
        return keys
    }

    /// The key strings of a comma-separated list as ``parseList(_:variable:)`` reads them: empty
    /// pieces and `"0"` dropped, each trimmed for ``laravelCrypto``.
    package func listEntries(_ text: String) -> [String] {
        text.split(separator: ",", omittingEmptySubsequences: true).compactMap { piece in
            guard piece != "0" else { return nil }
            return self == .laravelCrypto ? String(piece).phpTrimmed() : String(piece)
        }
    }

    /// Decodes one key string and lends its bytes to `body`, wiping them afterwards. This is all
    /// of the parsing; ``parse(_:variable:)`` only adds the copy into guarded memory.
    /// - Throws: as ``parse(_:variable:)``, or what `body` throws.
    package func withDecodedBytes<R>(
        of text: String, variable: String, _ body: ([UInt8]) throws(KeyError) -> R
    ) throws(KeyError) -> R {
        guard !text.isEmpty else { throw .missing(variable: variable) }
        var bytes: [UInt8]
        if text.hasPrefix("base64:") {
            let body = String(text.utf8.dropFirst(7)) ?? ""
            do {
                bytes = try Base64.decode(body, mode: self == .laravel ? .phpForgiving : .phpStrict)
            } catch {
                throw .invalidFormat(reason: "the text after \"base64:\" is not valid base64 (\(error.reason))")
            }
        } else {
            switch self {
            case .laravel:
                bytes = Array(text.utf8)
            case .laravelCrypto:
                guard let decoded = Hex.decode(text) else {
                    throw .invalidFormat(reason: "a key without the \"base64:\" prefix must be hex")
                }
                bytes = decoded
            }
        }
        defer { SecureMemory.wipe(&bytes) }
        return try body(bytes)
    }
}

extension String {
    /// PHP `trim()`: strips space, tab, LF, CR, NUL and vertical tab from both ends.
    func phpTrimmed() -> String {
        func isBlank(_ byte: UInt8) -> Bool {
            byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x00 || byte == 0x0B
        }
        let bytes = utf8
        guard let first = bytes.firstIndex(where: { !isBlank($0) }),
            let last = bytes.lastIndex(where: { !isBlank($0) })
        else { return "" }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }
}
