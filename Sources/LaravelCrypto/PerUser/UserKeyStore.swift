/// Where the app keeps each user's wrapped key — laravel-crypto's `users.encryption_key` column —
/// for the per-user middleware. `LaravelCryptoGRDB` and `LaravelCryptoPostgres` ship implementations
/// over that column; any other store conforms with two methods.
public protocol UserKeyStore: Sendable {
    /// The stored blob of the user with identifier `userID` (`nil` when the column is NULL or empty).
    /// - Throws: the store's error (a database error, say); the request then fails.
    func storedBlob(forUserID userID: String) async throws -> [UInt8]?

    /// Stores `blob` for a user who has none yet, **only if** the column is still NULL or empty,
    /// and tells whether it did.
    ///
    /// Two first requests of one user may race to enrol. Upstream saves both and the second key
    /// overwrites the first, so whatever was encrypted under the first is lost; with a conditional
    /// write the loser sees `false`, reads the winner's blob and uses that key instead.
    /// - Throws: the store's error; also when the user does not exist.
    func storeNewBlob(_ blob: [UInt8], forUserID userID: String) async throws -> Bool
}
