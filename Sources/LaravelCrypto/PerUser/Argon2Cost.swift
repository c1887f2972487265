/// The Argon2id cost of password-wrapped user keys (`crypto.per_user.opslimit` / `memlimit`).
///
/// The cost is **not stored in the blob**: every blob must be opened with the cost it was made
/// with, so changing it makes existing password-wrapped keys fail to open (as upstream).
public struct Argon2Cost: Sendable, Hashable, CustomStringConvertible {
    /// Passes over memory (Argon2's `t`).
    public let opsLimit: Int
    /// Memory in bytes (Argon2's `m` is this divided by 1024); one lane.
    public let memLimit: Int

    /// A cost; it is checked against libsodium's limits when a ``UserKeyVault`` is made.
    public init(opsLimit: Int, memLimit: Int) {
        self.opsLimit = opsLimit
        self.memLimit = memLimit
    }

    /// libsodium's interactive cost and laravel-crypto's default: 2 passes over 64 MiB.
    public static let interactive = Argon2Cost(opsLimit: 2, memLimit: 67_108_864)

    /// `Argon2Cost(ops 2, 64 MiB)`.
    public var description: String {
        memLimit % 1_048_576 == 0
            ? "Argon2Cost(ops \(opsLimit), \(memLimit / 1_048_576) MiB)"
            : "Argon2Cost(ops \(opsLimit), \(memLimit) bytes)"
    }

    /// Throws unless libsodium accepts this cost.
    func validate() throws(UserKeyError) {
        guard opsLimit >= SodiumPasswordHash.minimumOpsLimit else {
            throw .invalidArgon2Cost(
                reason: "opsLimit must be at least \(SodiumPasswordHash.minimumOpsLimit), not \(opsLimit)")
        }
        guard memLimit >= SodiumPasswordHash.minimumMemLimit, memLimit <= SodiumPasswordHash.maximumMemLimit else {
            throw .invalidArgon2Cost(
                reason: "memLimit must be between \(SodiumPasswordHash.minimumMemLimit) and "
                    + "\(SodiumPasswordHash.maximumMemLimit) bytes, not \(memLimit)")
        }
    }
}
