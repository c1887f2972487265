/// An ``Encrypter`` for moving data from one cipher or key set to another without a flag day:
/// it writes with one configuration and reads payloads of every configured one.
///
/// The payload's family (Laravel's JSON envelope or laravel-crypto's compact form) is detected
/// from its first characters, so an `aes-256-cbc` payload is only offered to the `aes-*` readers
/// and a compact payload only to the `Sodium_*` ones. Inside a family each reader tries its keys
/// in order, writer first.
///
/// ```swift
/// let migration = try MigrationEncrypter(
///     writing: CipherConfiguration(cipher: .aegis256, key: newKey),
///     reading: [CipherConfiguration(cipher: .laravelAES256CBC, key: laravelAppKey)])
/// if let fresh = try migration.reencryptedIfNeeded(row.secret) { row.secret = fresh }
/// ```
public struct MigrationEncrypter: Encrypter {
    /// The cipher new payloads are written with.
    public var cipher: Cipher { writer.cipher }

    private let writer: any Encrypter
    /// The writer's cipher with only its current key and no legacy formats: what "up to date" means.
    private let upToDate: any Encrypter
    /// Readers of Laravel's JSON envelope, the writer first if it writes one.
    private let envelopeReaders: HandleTable<Unmanaged<Reader>>
    /// Readers of laravel-crypto's compact payloads, the writer first if it writes one.
    private let compactReaders: HandleTable<Unmanaged<Reader>>
    /// Whether the writer is the first of ``envelopeReaders`` (else of ``compactReaders``).
    private let writerIsEnvelope: Bool
    /// The writing configuration's options: its payload size limit applies to every payload.
    private let options: EncrypterOptions

    /// Writes with `writing` and reads `writing` (all its keys) followed by each of `reading`.
    ///
    /// The writing configuration's ``EncrypterOptions/maximumPayloadByteCount`` applies to every
    /// payload, whichever reader it is meant for.
    /// - Throws: ``KeyError`` or ``CipherError`` when a configuration cannot be built.
    public init(writing: CipherConfiguration, reading: [CipherConfiguration] = []) throws {
        let writer = try writing.makeKeyReportingEncrypter()
        self.writer = writer
        options = writing.options
        var strict = writing.options
        strict.readsLegacyEmptyAssociatedData = false
        upToDate = try CipherConfiguration(
            cipher: writing.cipher, keys: KeyRing(current: writing.keys.current), options: strict
        )
        .makeEncrypter()
        var envelope: [Reader] = [], compact: [Reader] = []
        for (index, configuration) in ([writing] + reading).enumerated() {
            let encrypter = index == 0 ? writer : try configuration.makeKeyReportingEncrypter()
            switch PayloadFormat.of(configuration) {
            case .laravelEnvelope: envelope.append(Reader(encrypter))
            case .compact: compact.append(Reader(encrypter))
            }
        }
        envelopeReaders = HandleTable(readers: envelope)
        compactReaders = HandleTable(readers: compact)
        writerIsEnvelope = PayloadFormat.of(writing) == .laravelEnvelope
    }

    /// Encrypts with the writing configuration's current key.
    public func encryptBytes(_ plaintext: [UInt8]) throws(EncryptionError) -> String {
        try writer.encryptBytes(plaintext)
    }

    /// Encrypts text with the writing configuration's current key.
    public func encryptString(_ text: String) throws(EncryptionError) -> String { try writer.encryptString(text) }

    /// Decrypts a payload written by any configured cipher and key.
    /// - Throws: ``DecryptionError``: ``DecryptionError/authenticationFailed`` when no reader's key
    ///   authenticates it, a structural error when no reader can even parse it.
    public func decryptBytes(_ payload: String) throws(DecryptionError) -> [UInt8] {
        try TypedErrors.decrypting {
            try firstReader(for: payload) { reader, payload, _ in try reader.encrypter.decryptBytes(payload) }
        }
    }

    /// Decrypts a text payload written by any configured cipher and key.
    /// - Throws: ``DecryptionError``, as ``decryptBytes(_:)``, or ``DecryptionError/invalidUTF8``.
    public func decryptString(_ payload: String) throws(DecryptionError) -> String {
        try TypedErrors.decrypting {
            try firstReader(for: payload) { reader, payload, _ in try reader.encrypter.decryptString(payload) }
        }
    }

    /// Whether `payload` should be rewritten: `true` unless the writing cipher's *current* key
    /// opens it in the current format. Undecryptable payloads also answer `true`.
    public func needsReencryption(_ payload: String) -> Bool {
        (try? upToDate.decryptBytes(payload)) == nil
    }

    /// The payload re-encrypted with the writing configuration when it ``needsReencryption(_:)``,
    /// or `nil` when it is already up to date: for lazy migration on read.
    /// - Throws: ``DecryptionError`` when no configured reader can decrypt it.
    public func reencryptedIfNeeded(_ payload: String) throws -> String? {
        var (plaintext, stale) = try decryptBytesNotingStaleness(payload)
        defer { SecureMemory.wipe(&plaintext) }
        return stale ? try writer.encryptBytes(plaintext) : nil
    }

    /// Decrypts `payload` as ``decryptBytes(_:)`` does and says whether it
    /// ``needsReencryption(_:)``, in one pass that tries each key once. (Asking the two questions
    /// separately authenticates a stale payload against the current key twice.)
    /// - Throws: ``DecryptionError`` when no configured reader can decrypt it.
    public func decryptBytesNotingStaleness(_ payload: String) throws(DecryptionError) -> (
        plaintext: [UInt8], needsReencryption: Bool
    ) {
        try TypedErrors.decrypting {
            try firstReader(for: payload) { reader, payload, isWriter in
                guard isWriter else { return (try reader.encrypter.decryptBytes(payload), true) }
                let opened = try reader.encrypter.decryptBytesReportingCurrentKey(payload)
                return (opened.plaintext, !opened.openedByCurrentKey)
            }
        }
    }

    /// Runs `body` with the readers of the payload's likely family, then, only if none of them
    /// could even parse it, with the other family; returns the first success. `body` gets the
    /// payload as an argument (capturing it would retain it) and learns whether the reader is the writer.
    private func firstReader<R>(
        for payload: String, _ body: (Reader, _ payload: String, _ isWriter: Bool) throws -> R
    ) throws -> R {
        try options.checkPayloadSize(payload)
        let likelyIsEnvelope = PayloadFormat.detect(payload) == .laravelEnvelope
        var firstError: DecryptionError?
        for pass in 0..<2 {
            let isEnvelope = (pass == 0) == likelyIsEnvelope
            var authenticated = false
            let readers = isEnvelope ? envelopeReaders.entries : compactReaders.entries
            for position in 0..<readers.count {
                let isWriter = position == 0 && isEnvelope == writerIsEnvelope
                do {
                    return try readers[position]._withUnsafeGuaranteedRef { try body($0, payload, isWriter) }
                } catch let error as DecryptionError {
                    switch error {
                    case .authenticationFailed: authenticated = true
                    case .invalidEncoding, .invalidPayload, .payloadTooShort: break
                    // The payload authenticated: its content is what is wrong; no other reader applies.
                    case .invalidUTF8, .unserializeFailed, .jsonDecodingFailed, .cookiePrefixMismatch: throw error
                    }
                    if firstError == nil { firstError = error }
                }
            }
            // Parsed by this family but no key matched: the other family cannot parse it either.
            if authenticated { throw DecryptionError.authenticationFailed }
        }
        throw firstError ?? DecryptionError.invalidPayload(reason: "no configured cipher reads this kind of payload")
    }

    /// A reader, boxed so that a call can reach it without a reference count. Taken from an array
    /// and called, an `any Encrypter` is copied, which retains the encrypter (the built-in ones are
    /// classes), and a box taken from an array is retained too: a count that every thread sharing
    /// this encrypter would write on every call. The boxes live in a ``HandleTable``,
    /// which keeps them alive, and calls borrow them through unretained handles.
    final class Reader: Sendable {
        /// The encrypter; every built-in one can say which key opened a payload.
        let encrypter: any KeyReportingDecrypter

        init(_ encrypter: any KeyReportingDecrypter) {
            self.encrypter = encrypter
        }
    }
}

extension HandleTable where Handle == Unmanaged<MigrationEncrypter.Reader> {
    /// Keeps `readers` alive and lends them unretained, in order.
    convenience init(readers: [MigrationEncrypter.Reader]) {
        self.init(owners: readers, handles: readers.map { Unmanaged.passUnretained($0) })
    }
}
