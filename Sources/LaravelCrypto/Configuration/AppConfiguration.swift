#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `APP_KEY`, `APP_PREVIOUS_KEYS` and `APP_CIPHER`, read from the process environment or a
/// `.env` file, as a Laravel app reads them.
///
/// ```swift
/// let encrypter = try AppConfiguration.fromEnvironment().makeEncrypter()
/// ```
public struct AppConfiguration: Sendable {
    /// The variables, by name.
    public let variables: [String: String]

    /// A configuration over the given variables.
    public init(variables: [String: String]) {
        self.variables = variables
    }

    /// A configuration over the variables of `.env` text.
    public init(dotEnvContents: String) {
        self.init(variables: DotEnv.parse(dotEnvContents))
    }

    /// The process environment.
    public static func fromEnvironment() -> AppConfiguration {
        AppConfiguration(variables: ProcessInfo.processInfo.environment)
    }

    /// The variables of the `.env` file at `path`, overridden by the process environment when
    /// `environmentWins` is true (Laravel's default: real environment variables take precedence).
    /// Only a regular file of at most 1 MiB is read (symbolic links followed): a FIFO, a device or
    /// a huge file behind the name is refused rather than read without end.
    /// - Throws: ``ConfigurationError/unreadableFile(path:)`` when nothing can be read there,
    ///   ``ConfigurationError/refusedFile(path:reason:)`` for a file that is not a `.env`.
    public static func fromDotEnvFile(atPath path: String, environmentWins: Bool = true) throws -> AppConfiguration {
        let bytes: [UInt8]
        do throws(RegularFile.Failure) {
            bytes = try RegularFile.read(path)
        } catch {
            if case .system = error { throw ConfigurationError.unreadableFile(path: path) }
            throw ConfigurationError.refusedFile(path: path, reason: error.reason)
        }
        var variables = DotEnv.parse(String(decoding: bytes, as: UTF8.self))
        if environmentWins {
            variables.merge(ProcessInfo.processInfo.environment) { _, environment in environment }
        }
        return AppConfiguration(variables: variables)
    }

    /// One variable's value.
    public subscript(name: String) -> String? { variables[name] }

    /// `APP_CIPHER` as a ``Cipher``, or `nil` when unset.
    /// - Throws: ``CipherError/unsupported(name:)`` for an unknown name.
    public func cipher() throws -> Cipher? {
        guard let name = variables["APP_CIPHER"], !name.isEmpty else { return nil }
        guard let cipher = Cipher(configName: name) else { throw CipherError.unsupported(name: name) }
        return cipher
    }

    /// The key ring of `APP_KEY` and `APP_PREVIOUS_KEYS` (comma-separated) for `cipher`, read by the
    /// same rule as ``Cipher/makeEncrypter(key:previousKeys:options:)`` (``Cipher/keyTextFormat(options:)``).
    /// - Throws: ``KeyError``.
    public func keyRing(for cipher: Cipher, options: EncrypterOptions = EncrypterOptions()) throws(KeyError) -> KeyRing
    {
        try cipher.keyRing(
            key: variables["APP_KEY"] ?? "", previousKeys: [variables["APP_PREVIOUS_KEYS"] ?? ""], options: options)
    }

    /// The encrypter for `APP_CIPHER` (or `defaultCipher` when unset) over ``keyRing(for:)``.
    /// - Throws: ``KeyError``, ``CipherError``.
    public func makeEncrypter(
        defaultCipher: Cipher = .aegis256, options: EncrypterOptions = EncrypterOptions()
    ) throws -> any Encrypter {
        let cipher = try cipher() ?? defaultCipher
        return try cipher.makeEncrypter(keyRing: try keyRing(for: cipher, options: options), options: options)
    }

    /// `APP_CIPHER` (or `defaultCipher` when unset) with ``keyRing(for:)``, for the APIs that take a
    /// configuration rather than an encrypter (``CookieEncrypter``, ``MigrationEncrypter``).
    /// - Throws: ``KeyError``, ``CipherError``.
    public func cipherConfiguration(
        defaultCipher: Cipher = .aegis256, options: EncrypterOptions = EncrypterOptions()
    ) throws -> CipherConfiguration {
        let cipher = try cipher() ?? defaultCipher
        return CipherConfiguration(cipher: cipher, keys: try keyRing(for: cipher, options: options), options: options)
    }
}

/// Why configuration could not be read.
public enum ConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file does not exist or cannot be read.
    case unreadableFile(path: String)
    /// The path names a FIFO, device, folder or a file above the size limit; `reason` says which.
    case refusedFile(path: String, reason: String)

    /// A sentence for people.
    public var description: String {
        switch self {
        case .unreadableFile(let path): "Cannot read the environment file \(path)."
        case .refusedFile(let path, let reason): "The environment file \(path) was not read: \(reason)."
        }
    }
}
