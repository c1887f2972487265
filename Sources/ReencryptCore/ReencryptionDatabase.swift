/// A primary key value: the scan is ordered by it and resumes from it, and each write finds its row
/// by it, so it is kept exactly as stored.
package enum PrimaryKeyValue: Sendable, Hashable, CustomStringConvertible {
    /// An integer key (SQLite `INTEGER`, PostgreSQL `smallint`/`integer`/`bigint`).
    case integer(Int64)
    /// A text key (`uuid`, `varchar`, …): UTF-8 without a NUL byte. PostgreSQL keys of other types
    /// travel as their text form.
    case text(String)
    /// A SQLite `REAL` key.
    case real(Double)
    /// A SQLite `BLOB` key (a UUID stored as 16 bytes, say).
    case blob([UInt8])
    /// A SQLite `TEXT` key that a Swift string cannot carry unchanged: it holds a NUL byte or
    /// bytes that are not UTF-8. Kept as its bytes.
    case textBytes([UInt8])

    /// The key as people read it; a BLOB, and text that is not plain (a control character, bytes
    /// that are not UTF-8), as SQL that selects it (`x'00ff'`, `CAST(x'007a' AS TEXT)`).
    package var description: String {
        switch self {
        case .integer(let value): String(value)
        case .text(let value):
            value.unicodeScalars.contains { $0.properties.generalCategory == .control }
                ? "CAST(\(Self.hexLiteral(Array(value.utf8))) AS TEXT)" : value
        case .real(let value): String(value)
        case .blob(let bytes): Self.hexLiteral(bytes)
        case .textBytes(let bytes): "CAST(\(Self.hexLiteral(bytes)) AS TEXT)"
        }
    }

    /// Equal when stored equal: text compares byte for byte (Swift's `==` on strings treats
    /// canonically equivalent spellings as one, which two rows' keys need not be).
    package static func == (left: Self, right: Self) -> Bool {
        switch (left, right) {
        case (.integer(let a), .integer(let b)): a == b
        case (.text(let a), .text(let b)): a.utf8.elementsEqual(b.utf8)
        case (.real(let a), .real(let b)): a == b
        case (.blob(let a), .blob(let b)), (.textBytes(let a), .textBytes(let b)): a == b
        default: false
        }
    }

    /// Hashes the stored form (text by its bytes, as ``==(_:_:)`` compares it).
    package func hash(into hasher: inout Hasher) {
        switch self {
        case .integer(let value): hasher.combine(0 as UInt8); hasher.combine(value)
        case .text(let value):
            hasher.combine(1 as UInt8)
            for byte in value.utf8 { hasher.combine(byte) }
        case .real(let value): hasher.combine(2 as UInt8); hasher.combine(value)
        case .blob(let bytes): hasher.combine(3 as UInt8); hasher.combine(bytes)
        case .textBytes(let bytes): hasher.combine(4 as UInt8); hasher.combine(bytes)
        }
    }

    private static func hexLiteral(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text = "x'"
        text.unicodeScalars.reserveCapacity(bytes.count * 2 + 3)
        for byte in bytes {
            text.unicodeScalars.append(Unicode.Scalar(digits[Int(byte >> 4)]))
            text.unicodeScalars.append(Unicode.Scalar(digits[Int(byte & 0xF)]))
        }
        return text + "'"
    }
}

/// One cell as stored.
package enum Cell: Sendable, Hashable {
    /// SQL NULL.
    case null
    /// Text (an encrypted payload, a plain source value): UTF-8 without a NUL byte.
    case text(String)
    /// Bytes (a blind index, or a payload stored in a BLOB/bytea column).
    case bytes([UInt8])
    /// SQLite `TEXT` that a Swift string cannot carry unchanged (a NUL byte, bytes that are not
    /// UTF-8): never a payload, kept as its bytes so a write of the row's other cells still finds it.
    case textBytes([UInt8])
    /// A SQLite `INTEGER` (a plain index source, say): never a payload, kept as a number so the
    /// row's conditional write compares it as stored, even in a column without a numeric type.
    case integer(Int64)
    /// A SQLite `REAL`, kept as a number for the same reason.
    case real(Double)

    /// A number's text, as a blind index reads a plain source column (`nil` for other cells).
    package var numberText: String? {
        switch self {
        case .integer(let value): String(value)
        case .real(let value): String(value)
        case .null, .text, .bytes, .textBytes: nil
        }
    }
}

/// A row as read: the key and ``ReencryptionPlan/selectedColumns`` in order.
package struct TableRow: Sendable {
    /// The primary key.
    package let key: PrimaryKeyValue
    /// The selected columns' cells, in plan order.
    package let cells: [Cell]

    /// A row.
    package init(key: PrimaryKeyValue, cells: [Cell]) {
        self.key = key
        self.cells = cells
    }
}

/// A conditional write: set the changed cells only if every selected cell still holds what was read.
package struct RowUpdate: Sendable {
    /// The row.
    package let key: PrimaryKeyValue
    /// What was read, per selected column (the condition).
    package let old: [Cell]
    /// The new cell per selected column, or `nil` to leave it.
    package let new: [Cell?]

    /// An update of `key`.
    package init(key: PrimaryKeyValue, old: [Cell], new: [Cell?]) {
        self.key = key
        self.old = old
        self.new = new
    }
}

/// Which rows one transaction handles.
package enum KeyRange: Sendable, Hashable {
    /// Keys after `lower` (exclusive; `nil` = from the start) up to `upper` (inclusive).
    case between(lower: PrimaryKeyValue?, upper: PrimaryKeyValue)
    /// Exactly these keys (a retry).
    case keys([PrimaryKeyValue])
}

/// How rows are read.
package enum LockMode: Sendable {
    /// No locks and no writes (`--dry-run`).
    case readOnly
    /// PostgreSQL `FOR UPDATE SKIP LOCKED`: rows another worker holds are left for it (and swept later).
    case skipLocked
    /// Wait for each row's lock (the sweep and the retries).
    case wait
}

/// What one transaction did.
package struct RangeResult: Sendable {
    /// Keys whose conditional update applied.
    package var updated: Set<PrimaryKeyValue> = []
    /// Keys whose row changed between our read and our write (none under row locks; counted anyway).
    package var conflicts: [PrimaryKeyValue] = []
    /// Whether some rows of the range were skipped because another transaction held them.
    package var skippedLockedRows = false

    /// An empty result.
    package init() {}
}

/// A database `crypto-reencrypt` can rotate: SQLite through GRDB, PostgreSQL through PostgresNIO.
package protocol ReencryptionDatabase: Sendable {
    /// A description without secrets (`sqlite:/path`, `postgres://user@host:5432/db`).
    var displayName: String { get }
    /// Whether several processes may share the table at once (`FOR UPDATE SKIP LOCKED`).
    var supportsConcurrentWriters: Bool { get }

    /// Checks that the table, key and columns exist with usable types.
    /// - Throws: ``ReencryptError/schema(_:)``.
    func check(_ plan: ReencryptionPlan) async throws
    /// The number of rows (for progress).
    func rowCount(_ plan: ReencryptionPlan) async throws -> Int
    /// The key that ends the next range of at most `limit` rows after `lower`, or `nil` at the end.
    func rangeEnd(after lower: PrimaryKeyValue?, limit: Int, _ plan: ReencryptionPlan) async throws -> PrimaryKeyValue?
    /// In one transaction: reads the range's rows (locked as `lock` says), asks `decide` about each
    /// row, applies the updates conditionally and commits; answers one report per row, in key order.
    /// `decide` runs inside the transaction, possibly on several threads at once, and the database
    /// may apply the updates of some rows while it is still deciding others (so the crypto of a
    /// batch overlaps its writes).
    func process(_ range: KeyRange, _ plan: ReencryptionPlan, lock: LockMode, decide: @escaping RowDecider)
        async throws -> ([RowReport], RangeResult)
}

/// Decides one row: the conditional write it needs (`nil`: none) and what was found in it.
package typealias RowDecider = @Sendable (TableRow) -> (RowUpdate?, RowReport)
