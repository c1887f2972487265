/// What a column holds once decrypted, as `--column NAME:KIND` declares it. Every kind is
/// re-encrypted byte for byte; the kind only says how to recognise a plaintext that is not what the
/// column should hold (a wrong `--column`), which is reported and left alone.
package enum ColumnKind: String, Sendable, CaseIterable, Codable {
    /// Eloquent's `encrypted` cast, `Crypt::encryptString`: any text.
    case string
    /// `encrypted:array`, `encrypted:json`, `encrypted:object`, laravel-crypto's JSON casts: one JSON value.
    case json
    /// `Crypt::encrypt($value)` (PHP `serialize` inside): one serialized value.
    case serialized
}

/// An encrypted column to rotate: `NAME` or `NAME:KIND` (default `string`).
package struct EncryptedColumn: Sendable, Equatable, Codable {
    /// The column's name.
    package let name: String
    /// What its plaintext is.
    package let kind: ColumnKind

    /// A column `name` of `kind`.
    package init(name: String, kind: ColumnKind = .string) {
        self.name = name
        self.kind = kind
    }

    /// Parses `--column NAME[:string|json|serialized]`.
    /// - Throws: ``ReencryptError/invalidArgument(_:)``.
    package init(parsing text: String) throws(ReencryptError) {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard let name = parts.first, SQLIdentifier.isValid(name) else {
            throw .invalidArgument(
                "--column \"\(text)\": expected NAME or NAME:KIND with a column name of letters, digits and _")
        }
        var kind = ColumnKind.string
        if parts.count == 2 {
            guard let parsed = ColumnKind(rawValue: parts[1]) else {
                throw .invalidArgument(
                    "--column \"\(text)\": unknown kind \"\(parts[1])\" (known: "
                        + "\(ColumnKind.allCases.map(\.rawValue).joined(separator: ", ")))"
                )
            }
            kind = parsed
        }
        self.init(name: name, kind: kind)
    }
}

/// A global blind-index column to recompute under the current `APP_KEY`: `--index COLUMN=SOURCE`.
///
/// The index is laravel-crypto's (`UserEncryptedWithIndex` in `global` mode, normalised, no context):
/// BLAKE2b keyed by a subkey of the app key and the *source attribute's* name, stored as 32 raw bytes.
/// `SOURCE` is one of the `--column`s (its plaintext is used) or a plain text column.
package struct IndexColumn: Sendable, Equatable, Codable {
    /// The binary(32) / bytea index column.
    package let name: String
    /// The column whose value is indexed (and whose name keys the index).
    package let source: String

    /// An index `name` over `source`.
    package init(name: String, source: String) {
        self.name = name
        self.source = source
    }

    /// Parses `--index COLUMN=SOURCE`.
    /// - Throws: ``ReencryptError/invalidArgument(_:)``.
    package init(parsing text: String) throws(ReencryptError) {
        let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, SQLIdentifier.isValid(parts[0]), SQLIdentifier.isValid(parts[1]) else {
            throw .invalidArgument("--index \"\(text)\": expected COLUMN=SOURCE, e.g. email_index=email")
        }
        self.init(name: parts[0], source: parts[1])
    }
}

/// Which table, key and columns a run rewrites, and how many rows per transaction.
package struct ReencryptionPlan: Sendable {
    /// The table (`name` or `schema.name`).
    package let table: String
    /// Its primary key column, which orders and resumes the scan.
    package let key: String
    /// The encrypted columns.
    package let columns: [EncryptedColumn]
    /// The blind-index columns to recompute.
    package let indexes: [IndexColumn]
    /// Rows per transaction.
    package let batchSize: Int

    /// Every column a row is read with, after the key: the encrypted columns, the index columns,
    /// then plain source columns. Each is compared on write, so a row the app changed is not clobbered.
    package let selectedColumns: [String]

    /// A plan; checks the names and that they do not collide.
    /// - Throws: ``ReencryptError/invalidArgument(_:)``.
    package init(
        table: String, key: String, columns: [EncryptedColumn], indexes: [IndexColumn] = [], batchSize: Int = 1000
    ) throws(ReencryptError) {
        guard
            table.split(separator: ".", omittingEmptySubsequences: false).allSatisfy({
                SQLIdentifier.isValid(String($0))
            }),
            table.split(separator: ".").count <= 2
        else { throw .invalidArgument("--table \"\(table)\": expected NAME or SCHEMA.NAME") }
        guard SQLIdentifier.isValid(key) else { throw .invalidArgument("--key \"\(key)\": not a column name") }
        guard !columns.isEmpty else { throw .invalidArgument("give at least one --column") }
        guard (1...100_000).contains(batchSize) else { throw .invalidArgument("--batch must be between 1 and 100000") }
        var seen: Set<String> = [key]
        for name in columns.map(\.name) + indexes.map(\.name) {
            guard seen.insert(name).inserted else {
                throw .invalidArgument("column \"\(name)\" is named twice (or is the key)")
            }
        }
        let sources = indexes.map(\.source).filter { !columns.map(\.name).contains($0) }
        for source in sources where source == key || indexes.contains(where: { $0.name == source }) {
            throw .invalidArgument(
                "--index source \"\(source)\" must be an encrypted or plain text column, not the key or an index")
        }
        self.table = table
        self.key = key
        self.columns = columns
        self.indexes = indexes
        self.batchSize = batchSize
        var selected = columns.map(\.name) + indexes.map(\.name)
        for source in sources where !selected.contains(source) { selected.append(source) }
        selectedColumns = selected
    }
}

/// SQL names we accept: letters, digits and `_`, not starting with a digit — always quoted when used.
enum SQLIdentifier {
    static func isValid(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= 63,
            !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first)
        else {
            return false
        }
        return name.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
        }
    }

    /// `"name"` (or `"schema"."name"`); the names were checked by ``isValid(_:)``.
    static func quoted(_ name: String) -> String {
        name.split(separator: ".").map { "\"\($0)\"" }.joined(separator: ".")
    }
}
