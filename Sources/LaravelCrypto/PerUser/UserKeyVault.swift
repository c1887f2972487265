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

    static let derivationPrefix = Array("lc-user-key-wrap-v1".utf8)
    static let saltByteCount = 16
    static let nonceByteCount = 24

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
        var random = [UInt8](repeating: 0, count: Self.saltByteCount + Self.nonceByteCount)
        random.withUnsafeMutableBytes { NoncePool.shared.fill($0) }
        return try wrap(key, password: password, salt: Array(random[..<16]), nonce: Array(random[16...]))
    }

    /// Mode 1 with a given salt and nonce (known-answer tests only).
    package func wrap(_ key: UserKey, password: String, salt: [UInt8], nonce: [UInt8]) throws(UserKeyError) -> [UInt8] {
        var header = [WrappedKeyMode.password.rawValue] + salt + nonce
        guard salt.count == Self.saltByteCount, nonce.count == Self.nonceByteCount else {
            throw .invalidLength(what: "salt and nonce", expected: 40, actual: salt.count + nonce.count)
        }
        return try withPasswordKey(password, salt: salt) { wrapping throws(UserKeyError) in
            try Self.seal(key, wrappingKey: wrapping, nonce: nonce, associatedData: Array(header[1...]), after: &header)
        }
    }

    /// Opens a password-wrapped blob (mode 1).
    /// - Throws: ``UserKeyError/authenticationFailed`` for a wrong password or a damaged blob;
    ///   ``UserKeyError/wrongMode(expected:actual:)`` for a server blob; the blob's size and version errors.
    public func unwrap(_ blob: [UInt8], password: String) throws(UserKeyError) -> UserKey {
        try Self.check(blob, is: .password)
        let salt = Array(blob[1..<17])
        return try withPasswordKey(password, salt: salt) { wrapping throws(UserKeyError) in
            try Self.open(blob[17...], wrappingKey: wrapping, nonceCount: Self.nonceByteCount, associatedData: Array(blob[1..<41]))
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
        var nonce = [UInt8](repeating: 0, count: Self.nonceByteCount)
        nonce.withUnsafeMutableBytes { NoncePool.shared.fill($0) }
        return try wrap(key, userID: userID, nonce: nonce)
    }

    /// Mode 2 with a given nonce (known-answer tests only).
    package func wrap(_ key: UserKey, userID: String, nonce: [UInt8]) throws(UserKeyError) -> [UInt8] {
        guard nonce.count == Self.nonceByteCount else {
            throw .invalidLength(what: "nonce", expected: Self.nonceByteCount, actual: nonce.count)
        }
        var header = [WrappedKeyMode.server.rawValue] + nonce
        return try withServerKey(userID: userID) { wrapping throws(UserKeyError) in
            try Self.seal(key, wrappingKey: wrapping, nonce: nonce, associatedData: Array(userID.utf8), after: &header)
        }
    }

    /// Opens a server-wrapped blob (mode 2) for `userID`.
    /// - Throws: ``UserKeyError/authenticationFailed`` for another user id, another app key or a
    ///   damaged blob; ``UserKeyError/wrongMode(expected:actual:)`` for a password blob; size and version errors.
    public func unwrap(_ blob: [UInt8], userID: String) throws(UserKeyError) -> UserKey {
        try Self.check(blob, is: .server)
        return try withServerKey(userID: userID) { wrapping throws(UserKeyError) in
            try Self.open(blob[1...], wrappingKey: wrapping, nonceCount: Self.nonceByteCount, associatedData: Array(userID.utf8))
        }
    }

    /// The server wrapping key `W` for `userID` (known-answer tests only).
    package func serverWrappingKey(userID: String) throws(UserKeyError) -> [UInt8] {
        try withServerKey(userID: userID) { Array($0) }
    }

    /// The password wrapping key `W` (known-answer tests only).
    package func passwordWrappingKey(_ password: String, salt: [UInt8]) throws(UserKeyError) -> [UInt8] {
        try withPasswordKey(password, salt: salt) { Array($0) }
    }

    /// `UserKeyVault(Argon2Cost(…))`: never the app key.
    public var description: String { "UserKeyVault(\(cost))" }

    // MARK: Internals

    private static func check(_ blob: [UInt8], is expected: WrappedKeyMode) throws(UserKeyError) {
        let mode = try mode(of: blob)
        guard mode == expected else { throw .wrongMode(expected: expected, actual: mode) }
        guard blob.count == expected.blobByteCount else {
            throw .invalidLength(what: "\(expected)-wrapped user key", expected: expected.blobByteCount, actual: blob.count)
        }
    }

    /// Calls `body` with `W = Argon2id(password, salt)`, wiped afterwards.
    private func withPasswordKey<R>(
        _ password: String, salt: [UInt8], _ body: (UnsafeRawBufferPointer) throws(UserKeyError) -> R
    ) throws(UserKeyError) -> R {
        var password = password
        var wrapping = [UInt8](repeating: 0, count: 32)
        defer { wrapping.withUnsafeMutableBytes { SodiumMemory.zero($0) } }
        do {
            try password.withUTF8 { password in
                try salt.withUnsafeBytes { salt in
                    try wrapping.withUnsafeMutableBytes { out in
                        try SodiumPasswordHash.argon2id(
                            password: UnsafeRawBufferPointer(password), salt: salt, opsLimit: cost.opsLimit,
                            memLimit: cost.memLimit, into: out)
                    }
                }
            }
        } catch {
            throw .primitiveFailed(reason: "Argon2id: \(error)")
        }
        return try wrapping.withTypedBytes { wrapping throws(UserKeyError) in try body(wrapping) }
    }

    /// Calls `body` with `W = BLAKE2b(key = K, "lc-user-key-wrap-v1" ‖ userID)`, wiped afterwards.
    private func withServerKey<R>(userID: String, _ body: (UnsafeRawBufferPointer) throws(UserKeyError) -> R) throws(UserKeyError) -> R {
        var userID = userID
        var wrapping = [UInt8](repeating: 0, count: 32)
        defer { wrapping.withUnsafeMutableBytes { SodiumMemory.zero($0) } }
        do {
            try serverKey.withUnsafeBytes { key in
                try Self.derivationPrefix.withUnsafeBytes { prefix in
                    try userID.withUTF8 { id in
                        try wrapping.withUnsafeMutableBytes { out in
                            try SodiumGenericHash.hash(prefix, UnsafeRawBufferPointer(id), key: key, into: out)
                        }
                    }
                }
            }
        } catch {
            throw .primitiveFailed(reason: "BLAKE2b: \(error)")
        }
        return try wrapping.withTypedBytes { wrapping throws(UserKeyError) in try body(wrapping) }
    }

    /// Appends `XChaCha20-Poly1305(wrappingKey, nonce, ad, U)` to `header` and returns it.
    private static func seal(
        _ key: UserKey, wrappingKey: UnsafeRawBufferPointer, nonce: [UInt8], associatedData: [UInt8], after header: inout [UInt8]
    ) throws(UserKeyError) -> [UInt8] {
        let start = header.count
        header.append(contentsOf: repeatElement(0, count: UserKey.byteCount + 16))
        try key.withKeyBytes { plaintext throws(UserKeyError) in
            do {
                try nonce.withUnsafeBytes { nonce in
                    try associatedData.withUnsafeBytes { ad in
                        try header.withUnsafeMutableBytes { out in
                            try SodiumAEAD.xChaCha20Poly1305.seal(
                                plaintext, associatedData: ad, nonce: nonce, key: wrappingKey,
                                into: UnsafeMutableRawBufferPointer(rebasing: out[start...]))
                        }
                    }
                }
            } catch {
                throw .primitiveFailed(reason: "XChaCha20-Poly1305: \(error)")
            }
        }
        return header
    }

    /// Opens `nonce ‖ XChaCha20-Poly1305(…)` into a user key.
    private static func open(
        _ sealed: ArraySlice<UInt8>, wrappingKey: UnsafeRawBufferPointer, nonceCount: Int, associatedData: [UInt8]
    ) throws(UserKeyError) -> UserKey {
        do {
            let storage = try WipedBuffer(count: UserKey.byteCount) { out in
                try sealed.withUnsafeBytes { sealed in
                    try associatedData.withUnsafeBytes { ad in
                        try SodiumAEAD.xChaCha20Poly1305.open(
                            UnsafeRawBufferPointer(rebasing: sealed[nonceCount...]), associatedData: ad,
                            nonce: UnsafeRawBufferPointer(rebasing: sealed[..<nonceCount]), key: wrappingKey, into: out)
                    }
                }
            }
            return UserKey(storage: storage)
        } catch SodiumError.authenticationFailed {
            throw .authenticationFailed
        } catch {
            throw .primitiveFailed(reason: "XChaCha20-Poly1305: \(error)")
        }
    }
}
