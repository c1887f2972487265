/// Why `crypto-keys` stopped; every case is a sentence that says what to do next.
package enum CryptoKeysError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The environment file exists but cannot be read.
    case unreadableFile(path: String, reason: String)
    /// A file cannot be written (read-only file, missing permission, full disk …).
    case unwritableFile(path: String, reason: String)
    /// `--cipher` or `APP_CIPHER` (process environment or `.env`) names no known cipher; `source` says which.
    case unknownCipher(name: String, source: String)
    /// An existing key cannot be read, so rotating it would lose it; `expected` describes a valid value.
    case malformedKey(variable: String, line: Int, reason: String, expected: String)
    /// The environment file already holds keys and `--force` was not given.
    case keysExist(variables: [String])
    /// The user declined the production confirmation.
    case cancelled
    /// libsodium could not generate a key (no secure memory).
    case generationFailed(reason: String)

    /// A sentence for people.
    package var description: String {
        switch self {
        case .unreadableFile(let path, let reason): "Cannot read \(path): \(reason)."
        case .unwritableFile(let path, let reason): "Cannot write \(path): \(reason)."
        case .unknownCipher(let name, let source):
            "Unknown cipher \"\(name)\" (\(source)). Known ciphers: \(CipherNames.all)."
        case .malformedKey(let variable, let line, let reason, let expected):
            "\(variable) on line \(line) is not a valid key: \(reason) Expected \(expected). Fix or remove that line; "
                + "nothing was changed."
        case .keysExist(let variables):
            "Keys already exist (\(variables.joined(separator: ", "))). Run again with --force to rotate them: "
                + "the old APP_KEY and file key are kept as the first previous keys, so existing data stays readable; "
                + "the BLAKE2b, HMAC and EdDSA keys are replaced."
        case .cancelled: "Command cancelled; nothing was changed."
        case .generationFailed(let reason): "No key could be generated: \(reason)"
        }
    }
}
