/// Wraps and unwraps user keys for storage in `users.encryption_key` (spec §7.1, §7.3), byte for
/// byte as laravel-crypto does.
///
/// - **Password mode** (`0x01`, 89 bytes): `0x01 ‖ salt ‖ nonce ‖ XChaCha20-Poly1305(W, ad = salt ‖ nonce, U)`,
///   `W = Argon2id(password, salt, cost)`. Only someone with the password opens it; the password's
///   bytes are used exactly as given (no Unicode normalisation: an NFD password is another password).
/// - **Server mode** (`0x02`, 73 bytes): `0x02 ‖ nonce ‖ XChaCha20-Poly1305(W, ad = userID, U)`,
///   `W = BLAKE2b(key = raw app key, "lc-user-key-wrap-v1" ‖ userID)`. Anyone with the app key opens it.
///
/// Stricter than upstream: every path checks the version byte (upstream's `unwrap` accepts a password
/// blob starting with `0x00` or `0x03`), and nothing here ever replaces a password-wrapped blob
/// with a new server-wrapped key (see ``UserKeyResolver``).
public struct UserKeyVault: Sendable, CustomStringConvertible {
    /// The Argon2id cost of password wrapping; blobs must be opened with the cost they were made with.
    public let cost: Argon2Cost
    /// The server-wrapping BLAKE2b key derived from the raw app key (§7.9).
    private let serverKey: EncryptionKey

    /// The message prefix of server wrapping (a prefix, not BLAKE2b personalisation, spec §7.1).
    static let derivationPrefix: StaticString = "lc-user-key-wrap-v1"
    static let saltByteCount = 16
    static let nonceByteCount = 24
    /// Ciphertext of a user key: 32 bytes and a 16-byte tag.
    static let sealedKeyByteCount = UserKey.byteCount + 16

    /// A vault for the app key `appKey` (the `APP_KEY` text, read by the per-user rule of spec §7.9:
    /// a `base64:` key's decoded bytes, otherwise the text's own bytes, padded to 32 or cut to 64).
    /// - Throws: ``KeyError/missing(variable:)`` for an empty key, ``UserKeyError/invalidArgon2Cost(reason:)``.
    public init(appKey: String, cost: Argon2Cost = .interactive) throws {
        try cost.validate()
        self.cost = cost
        serverKey = try RawAppKey.serverWrappingKey(of: appKey)
    }

    /// The mode of a stored blob, from its first byte.
    /// - Throws: ``UserKeyError/emptyBlob``, ``UserKeyError/unknownVersion(_:)``.
    public static func mode(of blob: [UInt8]) throws(UserKeyError) -> WrappedKeyMode {
        guard let first = blob.first else { throw .emptyBlob }
        guard let mode = WrappedKeyMode(rawValue: first) else { throw .unknownVersion(first) }
        return mode
    }

    // MARK: Password mode

    /// Wraps `key` under `password` (mode 1, 89 bytes) with a fresh salt and nonce.
    /// - Throws: ``UserKeyError``.
    public func wrap(_ key: UserKey, password: String) throws(UserKeyError) -> [UInt8] {
        try UserKeyError.mapping { try wrapPassword(key, password: password, salt: nil, nonce: nil) }
    }

    /// Mode 1 with a given salt and nonce (known-answer tests only).
    package func wrap(_ key: UserKey, password: String, salt: [UInt8], nonce: [UInt8]) throws(UserKeyError) -> [UInt8] {
        guard salt.count == Self.saltByteCount, nonce.count == Self.nonceByteCount else {
            throw .invalidLength(what: "salt and nonce", expected: 40, actual: salt.count + nonce.count)
        }
        return try UserKeyError.mapping { try wrapPassword(key, password: password, salt: salt, nonce: nonce) }
    }

    /// Opens a password-wrapped blob (mode 1).
    /// - Throws: ``UserKeyError/authenticationFailed`` for a wrong password or a damaged blob;
    ///   ``UserKeyError/wrongMode(expected:actual:)`` for a server blob; the blob's size and version errors.
    public func unwrap(_ blob: [UInt8], password: String) throws(UserKeyError) -> UserKey {
        try Self.check(blob, is: .password)
        return try UserKeyError.mapping {
            try blob.withUnsafeBytes { blob in
                let salt = UnsafeRawBufferPointer(rebasing: blob[1..<17])
                return try withPasswordKey(password, salt: salt) { wrapping in
                    try Self.open(
                        UnsafeRawBufferPointer(rebasing: blob[41...]),
                        nonce: UnsafeRawBufferPointer(rebasing: blob[17..<41]),
                        associatedData: UnsafeRawBufferPointer(rebasing: blob[1..<41]), wrappingKey: wrapping)
                }
            }
        }
    }

    /// Re-wraps a password-wrapped blob under a new password: the same user key, a fresh salt and nonce.
    /// - Throws: as ``unwrap(_:password:)`` for the old password.
    public func rewrap(_ blob: [UInt8], oldPassword: String, newPassword: String) throws(UserKeyError) -> [UInt8] {
        let key = try unwrap(blob, password: oldPassword)
        return try wrap(key, password: newPassword)
    }

    /// Moves a server-wrapped key to password wrapping (at the user's first login with a password):
    /// the same user key, so everything already encrypted under it stays readable.
    /// - Throws: as ``unwrap(_:userID:)``.
    public func promote(_ serverBlob: [UInt8], userID: String, password: String) throws(UserKeyError) -> [UInt8] {
        let key = try unwrap(serverBlob, userID: userID)
        return try wrap(key, password: password)
    }

    // MARK: Server mode

    /// Wraps `key` for the user `userID` under the app key (mode 2, 73 bytes) with a fresh nonce.
    /// `userID` is the user's identifier as PHP's `(string) $user->getAuthIdentifier()` writes it.
    /// - Throws: ``UserKeyError``.
    public func wrap(_ key: UserKey, userID: String) throws(UserKeyError) -> [UInt8] {
        try UserKeyError.mapping { try wrapServer(key, userID: userID, nonce: nil) }
    }

    /// Mode 2 with a given nonce (known-answer tests only).
    package func wrap(_ key: UserKey, userID: String, nonce: [UInt8]) throws(UserKeyError) -> [UInt8] {
        guard nonce.count == Self.nonceByteCount else {
            throw .invalidLength(what: "nonce", expected: Self.nonceByteCount, actual: nonce.count)
        }
        return try UserKeyError.mapping { try wrapServer(key, userID: userID, nonce: nonce) }
    }

    /// Opens a server-wrapped blob (mode 2) for `userID`.
    /// - Throws: ``UserKeyError/authenticationFailed`` for another user id, another app key or a
    ///   damaged blob; ``UserKeyError/wrongMode(expected:actual:)`` for a password blob; size and version errors.
    public func unwrap(_ blob: [UInt8], userID: String) throws(UserKeyError) -> UserKey {
        try Self.check(blob, is: .server)
        return try UserKeyError.mapping {
            try blob.withUnsafeBytes { blob in
                try withServerKey(userID: userID) { wrapping, id in
                    try Self.open(
                        UnsafeRawBufferPointer(rebasing: blob[25...]),
                        nonce: UnsafeRawBufferPointer(rebasing: blob[1..<25]),
                        associatedData: id, wrappingKey: wrapping)
                }
            }
        }
    }

    /// The server wrapping key `W` for `userID` (known-answer tests only).
    package func serverWrappingKey(userID: String) throws(UserKeyError) -> [UInt8] {
        try UserKeyError.mapping { try withServerKey(userID: userID) { wrapping, _ in Array(wrapping) } }
    }

    /// The password wrapping key `W` (known-answer tests only).
    package func passwordWrappingKey(_ password: String, salt: [UInt8]) throws(UserKeyError) -> [UInt8] {
        try UserKeyError.mapping {
            try salt.withUnsafeBytes { salt in try withPasswordKey(password, salt: salt) { Array($0) } }
        }
    }

    /// `UserKeyVault(Argon2Cost(…))`: never the app key.
    public var description: String { "UserKeyVault(\(cost))" }

    // MARK: Internals

    private static func check(_ blob: [UInt8], is expected: WrappedKeyMode) throws(UserKeyError) {
        let mode = try mode(of: blob)
        guard mode == expected else { throw .wrongMode(expected: expected, actual: mode) }
        guard blob.count == expected.blobByteCount else {
            throw .invalidLength(
                what: "\(expected)-wrapped user key", expected: expected.blobByteCount, actual: blob.count)
        }
    }

    /// `0x01 ‖ salt ‖ nonce ‖ XChaCha20-Poly1305(W, ad = salt ‖ nonce, U)`, written in one allocation.
    private func wrapPassword(_ key: UserKey, password: String, salt fixedSalt: [UInt8]?, nonce fixedNonce: [UInt8]?)
        throws -> [UInt8]
    {
        try [UInt8](unsafeUninitializedCapacity: WrappedKeyMode.password.blobByteCount) { out, count in
            let blob = UnsafeMutableRawBufferPointer(out)
            blob[0] = WrappedKeyMode.password.rawValue
            let saltAndNonce = UnsafeMutableRawBufferPointer(rebasing: blob[1..<41])
            if let fixedSalt, let fixedNonce {
                saltAndNonce.copyBytes(from: fixedSalt + fixedNonce)
            } else {
                NoncePool.shared.fill(saltAndNonce)
            }
            try withPasswordKey(password, salt: UnsafeRawBufferPointer(rebasing: blob[1..<17])) { wrapping in
                try Self.seal(
                    key, nonce: UnsafeRawBufferPointer(rebasing: blob[17..<41]),
                    associatedData: UnsafeRawBufferPointer(saltAndNonce),
                    wrappingKey: wrapping, into: UnsafeMutableRawBufferPointer(rebasing: blob[41...]))
            }
            count = WrappedKeyMode.password.blobByteCount
        }
    }

    /// `0x02 ‖ nonce ‖ XChaCha20-Poly1305(W, ad = userID, U)`, written in one allocation.
    private func wrapServer(_ key: UserKey, userID: String, nonce fixedNonce: [UInt8]?) throws -> [UInt8] {
        try [UInt8](unsafeUninitializedCapacity: WrappedKeyMode.server.blobByteCount) { out, count in
            let blob = UnsafeMutableRawBufferPointer(out)
            blob[0] = WrappedKeyMode.server.rawValue
            let nonce = UnsafeMutableRawBufferPointer(rebasing: blob[1..<25])
            if let fixedNonce { nonce.copyBytes(from: fixedNonce) } else { NoncePool.shared.fill(nonce) }
            try withServerKey(userID: userID) { wrapping, id in
                try Self.seal(
                    key, nonce: UnsafeRawBufferPointer(nonce), associatedData: id, wrappingKey: wrapping,
                    into: UnsafeMutableRawBufferPointer(rebasing: blob[25...]))
            }
            count = WrappedKeyMode.server.blobByteCount
        }
    }

    /// Calls `body` with `W = Argon2id(password, salt)` in a stack buffer wiped afterwards.
    private func withPasswordKey<R>(
        _ password: String, salt: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> R
    ) throws -> R {
        var password = password
        return try password.withUTF8 { password in
            try withUnsafeTemporaryAllocation(byteCount: 32, alignment: 16) { wrapping in
                defer { SodiumMemory.zero(wrapping) }
                try SodiumPasswordHash.argon2id(
                    password: UnsafeRawBufferPointer(password), salt: salt, opsLimit: cost.opsLimit,
                    memLimit: cost.memLimit, into: wrapping)
                return try body(UnsafeRawBufferPointer(wrapping))
            }
        }
    }

    /// Calls `body` with `W = BLAKE2b(key = K, "lc-user-key-wrap-v1" ‖ userID)` in a stack buffer wiped
    /// afterwards, and the user id's bytes (the associated data).
    private func withServerKey<R>(userID: String, _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> R)
        throws -> R
    {
        var userID = userID
        return try userID.withUTF8 { id in
            try withUnsafeTemporaryAllocation(byteCount: 32, alignment: 16) { wrapping in
                defer { SodiumMemory.zero(wrapping) }
                let prefix = UnsafeRawBufferPointer(
                    start: Self.derivationPrefix.utf8Start, count: Self.derivationPrefix.utf8CodeUnitCount)
                try serverKey.withUnsafeBytes { key in
                    try SodiumGenericHash.hash(prefix, UnsafeRawBufferPointer(id), key: key, into: wrapping)
                }
                return try body(UnsafeRawBufferPointer(wrapping), UnsafeRawBufferPointer(id))
            }
        }
    }

    /// `XChaCha20-Poly1305(wrappingKey, nonce, ad, U)` into `out` (48 bytes).
    private static func seal(
        _ key: UserKey, nonce: UnsafeRawBufferPointer, associatedData: UnsafeRawBufferPointer,
        wrappingKey: UnsafeRawBufferPointer,
        into out: UnsafeMutableRawBufferPointer
    ) throws {
        try key.withKeyBytes { plaintext in
            try SodiumAEAD.xChaCha20Poly1305.seal(
                plaintext, associatedData: associatedData, nonce: nonce, key: wrappingKey, into: out)
        }
    }

    /// Opens a sealed user key straight into the key's own buffer.
    private static func open(
        _ sealed: UnsafeRawBufferPointer, nonce: UnsafeRawBufferPointer, associatedData: UnsafeRawBufferPointer,
        wrappingKey: UnsafeRawBufferPointer
    ) throws -> UserKey {
        let storage = try WipedBuffer.make(count: UserKey.byteCount) { out in
            try SodiumAEAD.xChaCha20Poly1305.open(
                sealed, associatedData: associatedData, nonce: nonce, key: wrappingKey, into: out)
        }
        return UserKey(storage: storage)
    }
}
