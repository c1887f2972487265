/// Why `crypto-reencrypt` stopped. Messages name the table, column or setting, never a key or a value.
package enum ReencryptError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A command-line value is malformed.
    case invalidArgument(String)
    /// The `--database` URL is malformed or names an unsupported database.
    case invalidDatabaseURL(String)
    /// This build has no driver for the database (a trait was off).
    case driverUnavailable(String)
    /// The table or a column does not exist, or has a type the tool cannot rewrite.
    case schema(String)
    /// Keys or ciphers from the environment cannot be used.
    case configuration(String)
    /// A column's plaintext is not what `--column NAME:KIND` says (checked before anything is written).
    case wrongColumnKind(column: String, kind: ColumnKind, reason: String)
    /// No value of the column in the first batch opens: wrong keys, or not an encrypted column.
    case nothingOpens(column: String, sample: Int)
    /// `--strict`: rows no key opens were found.
    case unreadableRows(count: Int)
    /// The database reported an error.
    case database(String)
    /// The database gave up a transaction that may succeed if run again (deadlock, serialization
    /// failure, lock timeout, SQLite busy); the run retries the batch a few times first.
    case transient(String)

    /// A sentence for people.
    package var description: String {
        switch self {
        case .invalidArgument(let message): message
        case .invalidDatabaseURL(let message): "--database: \(message)"
        case .driverUnavailable(let message): message
        case .schema(let message): message
        case .configuration(let message): message
        case .wrongColumnKind(let column, let kind, let reason):
            "column \"\(column)\" was declared \(kind.rawValue) but holds something else (\(reason)); nothing was "
                + "changed — check --column \(column):KIND"
        case .nothingOpens(let column, let sample):
            "none of the first \(sample) value(s) of column \"\(column)\" opens with APP_KEY, APP_PREVIOUS_KEYS (and "
                + "--from-cipher): wrong keys, or not an encrypted column; nothing was changed"
        case .unreadableRows(let count):
            "--strict: \(count) value(s) no configured key opens (listed above); they were left untouched"
        case .database(let message): "database error: \(message)"
        case .transient(let message): "database error (still failing after retries): \(message)"
        }
    }

    /// The process exit status: 64 for usage, 65 for data the run refused, 69 for a missing driver, 1 otherwise.
    package var exitCode: Int32 {
        switch self {
        case .invalidArgument, .invalidDatabaseURL: 64
        case .wrongColumnKind, .nothingOpens, .unreadableRows: 65
        case .driverUnavailable: 69
        case .schema, .configuration, .database, .transient: 1
        }
    }
}
