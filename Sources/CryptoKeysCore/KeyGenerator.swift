import LaravelCrypto

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Generates and rotates laravel-crypto's keys in a `.env` file (spec laravel-crypto.md §5),
/// without upstream's `.env` defects: previous keys are never lost, lines are never
/// concatenated, quoted values are matched, and the file is replaced atomically.
package struct KeyGenerator: Sendable {
    /// Asks the production confirmation question; returns the answer.
    package typealias Confirm = @Sendable (String) -> Bool

    private let request: KeyGenerationRequest
    private let confirm: Confirm

    /// A generator for `request`; `confirm` is asked before touching a production environment.
    package init(request: KeyGenerationRequest, confirm: @escaping Confirm) {
        self.request = request
        self.confirm = confirm
    }

    /// Runs the request.
    /// - Throws: ``CryptoKeysError``.
    package func run() throws(CryptoKeysError) -> KeyGenerationReport {
        // Through any symbolic link, and under the lock for the whole read → generate → write.
        let path = try EnvFile.resolve(request.environmentFile)
        let lock = request.show ? nil : try EnvFile.lock(beside: path)
        defer { lock.map(EnvFile.unlock) }
        let existingMode = AtomicFile.mode(ofFileAt: path)
        var document = EnvDocument(bytes: [])
        if existingMode != nil {
            document = EnvDocument(bytes: try EnvFile.read(path))
        }
        let cipher = try resolveCipher(document)
        let runs = Set(request.generators)
        try validateExistingKeys(document, cipher: cipher, runs: runs)

        let eddsaPath = resolveEdDSAPath(document)
        let existing = existingKeys(document, runs: runs, eddsaPath: eddsaPath)
        if !request.show && !request.force {
            if !existing.isEmpty { throw .keysExist(variables: existing) }
            if document.value(of: "APP_ENV")?.value == "production"
                && !confirm("Application in production. Generate new keys in \(path)? (yes/no) [no]")
            {
                throw .cancelled
            }
        }

        var variables: [KeyGenerationReport.Variable] = []
        var eddsa: KeyGenerationReport.EdDSA?
        let old = document  // rotation reads the values from before this run
        for generator in KeyGenerationRequest.Generator.allCases where runs.contains(generator) {
            switch generator {
            case .eddsa:
                let action = AtomicFile.mode(ofFileAt: eddsaPath) == nil ? "created" : "replaced"
                eddsa = .init(path: eddsaPath, action: action, keyPair: try Self.keyPair())
            case .app:
                variables.append(
                    try rotate(
                        "APP_KEY", previous: "APP_PREVIOUS_KEYS", byteCount: cipher.keyByteCount,
                        oldKey: old.value(of: "APP_KEY")?.value, oldPrevious: old.value(of: "APP_PREVIOUS_KEYS")?.value,
                        in: &document))
            case .file:
                // Without its own lines the file key falls back to APP_KEY / APP_PREVIOUS_KEYS (spec §2.2).
                let oldKey =
                    nonEmpty(old.value(of: "CRYPTO_FILE_ENCRYPTION_KEY")?.value) ?? old.value(of: "APP_KEY")?.value
                let oldPrevious =
                    nonEmpty(old.value(of: "CRYPTO_FILE_ENCRYPTION_PREVIOUS_KEYS")?.value)
                    ?? old.value(of: "APP_PREVIOUS_KEYS")?.value
                variables.append(
                    try rotate(
                        "CRYPTO_FILE_ENCRYPTION_KEY", previous: "CRYPTO_FILE_ENCRYPTION_PREVIOUS_KEYS",
                        byteCount: fileKeyByteCount(old, cipher: cipher), oldKey: oldKey, oldPrevious: oldPrevious,
                        in: &document))
            case .blake2b:
                variables.append(try replace("CRYPTO_BLAKE2B_HASHING_KEY", in: &document, old: old))
            case .hmac:
                variables.append(try replace("CRYPTO_HMAC_KEY", in: &document, old: old))
            }
        }

        if !request.show {
            if let existingMode, existingMode & 0o200 == 0 {
                throw .unwritableFile(
                    path: path, reason: "the file is read-only (mode \(String(existingMode, radix: 8)))")
            }
            if let eddsa {
                try AtomicFile.createDirectory(AtomicFile.directory(of: eddsa.path), mode: 0o700)
                // From a buffer that is wiped afterwards: the secret key never becomes a String.
                let written: Result<Void, CryptoKeysError> = eddsa.keyPair.withKeyFileBytes { file in
                    Result { () throws(CryptoKeysError) in try AtomicFile.write(file, to: eddsa.path, mode: 0o600) }
                }
                try written.get()
            }
            if runs.contains(.app) || runs.contains(.file) || runs.contains(.blake2b) || runs.contains(.hmac) {
                try AtomicFile.write(document.bytes, to: path, mode: existingMode ?? 0o600)
            }
        }
        let recordedCipher =
            old.value(of: "APP_CIPHER").flatMap { Cipher(configName: $0.value) }
            ?? request.environmentCipherName.flatMap { Cipher(configName: $0) }
        return KeyGenerationReport(
            environmentFile: request.environmentFile, cipher: cipher, written: !request.show, variables: variables,
            eddsa: eddsa,
            cipherNotRecorded: runs.contains(.app) && recordedCipher == nil && cipher != .aegis256)
    }

    // MARK: Steps

    private func resolveCipher(_ document: EnvDocument) throws(CryptoKeysError) -> Cipher {
        if let name = request.cipherName {
            guard let cipher = Cipher(configName: name) else { throw .unknownCipher(name: name, source: "--cipher") }
            return cipher
        }
        if let name = request.environmentCipherName, !name.isEmpty {
            guard let cipher = Cipher(configName: name) else {
                throw .unknownCipher(name: name, source: "APP_CIPHER in the process environment")
            }
            return cipher
        }
        guard let (name, line) = document.value(of: "APP_CIPHER"), !name.isEmpty else { return .aegis256 }
        guard let cipher = Cipher(configName: name) else {
            throw .unknownCipher(name: name, source: "APP_CIPHER on line \(line) of \(request.environmentFile)")
        }
        return cipher
    }

    private func resolveEdDSAPath(_ document: EnvDocument) -> String {
        let configured =
            request.eddsaPath ?? nonEmpty(document.value(of: "CRYPTO_EDDSA_PUBLIC_CRYPTO_KEY")?.value)
            ?? "storage/keys/eddsa.key"
        if configured.hasPrefix("/") || request.eddsaPath != nil { return configured }
        return AtomicFile.directory(of: request.environmentFile) + "/" + configured
    }

    /// Refuses to rotate a key that cannot be read back: it would silently stop decrypting.
    private func validateExistingKeys(
        _ document: EnvDocument, cipher: Cipher, runs: Set<KeyGenerationRequest.Generator>
    )
        throws(CryptoKeysError)
    {
        var checks: [(variable: String, format: KeyTextFormat, byteCount: Int?, list: Bool)] = []
        if runs.contains(.app) {
            checks += [
                ("APP_KEY", cipher.keyTextFormat, cipher.keyByteCount, false),
                ("APP_PREVIOUS_KEYS", cipher.keyTextFormat, cipher.keyByteCount, true),
            ]
        }
        if runs.contains(.file) {
            checks += [
                ("CRYPTO_FILE_ENCRYPTION_KEY", .laravelCrypto, nil, false),
                ("CRYPTO_FILE_ENCRYPTION_PREVIOUS_KEYS", .laravelCrypto, nil, true),
            ]
        }
        for check in checks {
            guard let (text, line) = document.value(of: check.variable), !text.isEmpty else { continue }
            do throws(KeyError) {
                let keys =
                    check.list
                    ? try check.format.parseList(text, variable: check.variable)
                    : [try check.format.parse(text, variable: check.variable)]
                if let expected = check.byteCount, let key = keys.first(where: { $0.byteCount != expected }) {
                    throw KeyError.invalidLength(for: .cipher(cipher), expected: expected, actual: key.byteCount)
                }
            } catch {
                throw .malformedKey(
                    variable: check.variable, line: line, reason: "\(error)",
                    expected: Self.expectedForm(
                        format: check.format, byteCount: check.byteCount, list: check.list, cipher: cipher))
            }
        }
    }

    /// What a valid value of a key variable looks like, for error messages.
    private static func expectedForm(format: KeyTextFormat, byteCount: Int?, list: Bool, cipher: Cipher) -> String {
        let size = byteCount.map { "\($0) bytes" } ?? "the key"
        let one: String
        switch format {
        case .laravelCrypto:
            one = "`base64:` followed by the base64 of \(size), or \(byteCount.map { "\($0 * 2)" } ?? "the") hex digits"
        case .laravel: one = "`base64:` followed by the base64 of \(size), or \(size) of raw text"
        }
        return (list ? "a comma-separated list of keys, each " : "") + one
            + (byteCount == nil ? "" : " for \(cipher.rawValue)")
    }

    private func existingKeys(_ document: EnvDocument, runs: Set<KeyGenerationRequest.Generator>, eddsaPath: String)
        -> [String]
    {
        var names: [String] = []
        let variables: [(KeyGenerationRequest.Generator, String)] = [
            (.app, "APP_KEY"), (.file, "CRYPTO_FILE_ENCRYPTION_KEY"), (.blake2b, "CRYPTO_BLAKE2B_HASHING_KEY"),
            (.hmac, "CRYPTO_HMAC_KEY"),
        ]
        if runs.contains(.eddsa), AtomicFile.mode(ofFileAt: eddsaPath) != nil {
            names.append("the EdDSA key file \(eddsaPath)")
        }
        for (generator, name) in variables where runs.contains(generator) {
            if let value = document.value(of: name)?.value, !value.isEmpty { names.append(name) }
        }
        return names
    }

    /// The file driver's key size: the app cipher's for the native driver, 32 otherwise (spec §5.2).
    private func fileKeyByteCount(_ document: EnvDocument, cipher: Cipher) -> Int {
        let driver = (document.value(of: "CRYPTO_FILE_ENCRYPTION_ALGORITHM")?.value ?? "").lowercased()
        return driver == "native" || driver.hasSuffix("nativefileencrypter") ? cipher.keyByteCount : 32
    }

    private func rotate(
        _ name: String, previous previousName: String, byteCount: Int, oldKey: String?, oldPrevious: String?,
        in document: inout EnvDocument
    ) throws(CryptoKeysError) -> KeyGenerationReport.Variable {
        let value = try Self.newKey(byteCount)
        var previous = (oldPrevious ?? "").split(separator: ",", omittingEmptySubsequences: true).map(String.init)
            .filter { $0 != "0" }
        let action: String
        if let oldKey = nonEmpty(oldKey) {
            previous.removeAll { $0 == oldKey }
            previous.insert(oldKey, at: 0)
            action = "rotated"
        } else {
            action = "created"
        }
        document.set(name, to: value)
        document.set(previousName, to: previous.joined(separator: ","), after: name)
        return .init(
            name: name, byteCount: byteCount, action: action, previous: (previousName, previous.count), value: value)
    }

    private func replace(_ name: String, in document: inout EnvDocument, old: EnvDocument) throws(CryptoKeysError)
        -> KeyGenerationReport.Variable
    {
        let value = try Self.newKey(32)
        let action = nonEmpty(old.value(of: name)?.value) == nil ? "created" : "replaced"
        document.set(name, to: value)
        return .init(name: name, byteCount: 32, action: action, previous: nil, value: value)
    }

    private static func newKey(_ byteCount: Int) throws(CryptoKeysError) -> String {
        do {
            return try EncryptionKey.generate(byteCount: byteCount).exportedString()
        } catch {
            throw .generationFailed(reason: "\(error)")
        }
    }

    private static func keyPair() throws(CryptoKeysError) -> Ed25519KeyPair {
        do {
            return try Ed25519KeyPair.generate()
        } catch {
            throw .generationFailed(reason: "\(error)")
        }
    }

    private func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }
}
