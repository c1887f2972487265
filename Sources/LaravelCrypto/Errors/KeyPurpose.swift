/// What a key was meant for, as ``KeyError/invalidLength(for:expected:actual:)`` reports it: the
/// size a key must have depends on it.
public enum KeyPurpose: Sendable, Hashable, CustomStringConvertible {
    /// An app key for a cipher (`APP_KEY`, `APP_PREVIOUS_KEYS`).
    case cipher(Cipher)
    /// A key for one of ``FileEncrypter``'s drivers.
    case fileDriver(FileEncrypter.Driver)
    /// A ``UserKey``.
    case userKey
    /// The key of a global ``BlindIndex``.
    case globalBlindIndex

    /// The cipher's name, or what the key is for, capitalised to start a sentence.
    public var description: String {
        switch self {
        case .cipher(let cipher): cipher.rawValue
        case .fileDriver(.secretStream): "The secretstream file driver"
        case .fileDriver(.xsalsaHMAC): "The XSalsa20 + HMAC file driver"
        case .fileDriver(.native(let cipher)): cipher.rawValue
        case .userKey: "A user key"
        case .globalBlindIndex: "A global blind index"
        }
    }
}
