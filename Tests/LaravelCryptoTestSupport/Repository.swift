public import Foundation

/// Where the repository and the shared test vectors are, found from this file's own path.
public enum Repository {
    /// The repository's root folder (fixtures and scripts live under it).
    public static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared/vectors/wycheproof` beside the repository: the Wycheproof files, read at test
    /// time and never copied into the repository.
    public static let wycheproofVectors = root.deletingLastPathComponent().appendingPathComponent(
        "shared/vectors/wycheproof")
}
