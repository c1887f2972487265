extension SealedJobKey {
    /// Seals and unseals job keys under an app key read once — for a worker or dispatcher that
    /// handles many jobs. ``SealedJobKey/seal(_:appKey:)`` and ``SealedJobKey/unseal(_:appKey:)``
    /// read the `APP_KEY` text on every call; this keeps its 32 bytes in guarded memory instead.
    public struct Sealer: Sendable, CustomStringConvertible {
        private let secret: EncryptionKey

        /// A sealer for `appKey`, read by the per-user rule (spec §7.9) and cut to 32 bytes.
        /// - Throws: ``KeyError/missing(variable:)``, ``UserKeyError/appKeyTooShort(minimum:actual:)``.
        public init(appKey: String) throws {
            secret = try RawAppKey.withSealingKey(of: appKey) { try EncryptionKey(bytes: $0) }
        }

        /// Seals `key` with a fresh nonce: 96 characters, as ``SealedJobKey/seal(_:appKey:)``.
        /// - Throws: ``UserKeyError/keyWiped``.
        public func seal(_ key: UserKey) throws -> String {
            try secret.withUnsafeBytes { try SealedJobKey.seal(key, secret: $0, fixedNonce: nil) }
        }

        /// Opens a sealed key, as ``SealedJobKey/unseal(_:appKey:)``.
        /// - Throws: ``UserKeyError``.
        public func unseal(_ sealed: String) throws -> UserKey {
            try SealedJobKey.withDecoded(sealed) { bytes in
                try secret.withUnsafeBytes { try SealedJobKey.open(bytes, secret: $0) }
            }
        }

        /// `SealedJobKey.Sealer`: never the key.
        public var description: String { "SealedJobKey.Sealer" }
    }
}
