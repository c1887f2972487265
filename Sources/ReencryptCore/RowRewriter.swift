package import LaravelCrypto

/// What a run found in one value.
package enum ValueState: Sendable, Equatable {
    /// SQL NULL: stays NULL.
    case null
    /// Already under the current key and cipher (or, for an index, already the current index).
    case current
    /// Under a previous key or cipher: rewritten (or, in a dry run, would be).
    case stale
    /// No configured key opens it; left untouched.
    case unreadable(reason: String)
    /// It opens, but the plaintext is not what `--column NAME:KIND` declares; left untouched.
    case wrongKind(reason: String)
}

/// One row's findings, in plan order.
package struct RowReport: Sendable {
    /// The row.
    package let key: PrimaryKeyValue
    /// Per encrypted column.
    package let columns: [ValueState]
    /// Per index column.
    package let indexes: [ValueState]

    /// A report.
    package init(key: PrimaryKeyValue, columns: [ValueState], indexes: [ValueState]) {
        self.key = key
        self.columns = columns
        self.indexes = indexes
    }
}

/// Decides, for one row, what to rewrite: a pure function of the row and the keys, run inside the
/// database transaction. Plaintext lives only for the duration of one value and is wiped.
package struct RowRewriter: Sendable {
    /// The plan.
    package let plan: ReencryptionPlan
    private let migration: MigrationEncrypter
    private let blindIndex: BlindIndex?
    /// For each index, the position of its source in the encrypted columns, or `nil` for a plain source.
    private let indexSources: [Int?]

    /// A rewriter that writes with `migration`'s writer and reads with all its readers, and
    /// computes global blind indexes with `blindIndex` (the current `APP_KEY`'s).
    /// - Throws: ``ReencryptError/configuration(_:)`` when the plan has indexes and no `blindIndex`.
    package init(plan: ReencryptionPlan, migration: MigrationEncrypter, blindIndex: BlindIndex?) throws(ReencryptError)
    {
        if !plan.indexes.isEmpty && blindIndex == nil {
            throw .configuration("--index needs an APP_KEY of 32 bytes (global blind indexes are keyed by it)")
        }
        self.plan = plan
        self.migration = migration
        self.blindIndex = blindIndex
        indexSources = plan.indexes.map { index in plan.columns.firstIndex { $0.name == index.source } }
    }

    /// The update for `row` (or `nil` when nothing changes) and what was found.
    /// - Parameter checkingCurrent: also check the kind of values that are already current (the
    ///   pre-flight sample does, so a wrong `--column` is caught before anything is written).
    package func rewrite(_ row: TableRow, checkingCurrent: Bool = false) -> (RowUpdate?, RowReport) {
        var new = [Cell?](repeating: nil, count: plan.selectedColumns.count)
        var columnStates: [ValueState] = []
        columnStates.reserveCapacity(plan.columns.count)
        var sourcePlaintexts = [String?](repeating: nil, count: plan.columns.count)
        for (position, column) in plan.columns.enumerated() {
            let needsPlaintext = indexSources.contains(position)
            let (state, replacement, plaintext) = rewriteValue(
                row.cells[position], column, needsPlaintext: needsPlaintext, checkingCurrent: checkingCurrent)
            columnStates.append(state)
            new[position] = replacement
            sourcePlaintexts[position] = plaintext
        }
        var indexStates: [ValueState] = []
        for (offset, index) in plan.indexes.enumerated() {
            let position = plan.columns.count + offset
            let source: String?
            if let sourcePosition = indexSources[offset] {
                source = sourcePlaintexts[sourcePosition]
            } else if let plainPosition = plan.selectedColumns.firstIndex(of: index.source) {
                switch row.cells[plainPosition] {
                case .text(let text): source = text
                case .integer, .real: source = row.cells[plainPosition].numberText
                case .textBytes:
                    indexStates.append(.unreadable(reason: "the source holds a NUL byte or is not UTF-8"))
                    continue
                case .null, .bytes: source = nil
                }
            } else {
                source = nil
            }
            guard let source, let blindIndex else {
                indexStates.append(.null)
                continue
            }
            guard let expected = try? blindIndex.compute(source, column: index.source) else {
                indexStates.append(.unreadable(reason: "the index could not be computed"))
                continue
            }
            if case .bytes(let stored) = row.cells[position], stored == expected {
                indexStates.append(.current)
            } else {
                indexStates.append(.stale)
                new[position] = .bytes(expected)
            }
        }
        let report = RowReport(key: row.key, columns: columnStates, indexes: indexStates)
        guard new.contains(where: { $0 != nil }) else { return (nil, report) }
        return (RowUpdate(key: row.key, old: row.cells, new: new), report)
    }

    /// One encrypted value: its state, its replacement cell, and its plaintext as text when an index needs it.
    private func rewriteValue(
        _ cell: Cell, _ column: EncryptedColumn, needsPlaintext: Bool, checkingCurrent: Bool
    ) -> (ValueState, Cell?, String?) {
        let payload: String
        switch cell {
        case .null: return (.null, nil, nil)
        case .text(let text): payload = text
        case .bytes(let bytes):
            guard let text = String(validating: bytes, as: UTF8.self) else {
                return (.unreadable(reason: "the stored bytes are not a text payload"), nil, nil)
            }
            payload = text
        case .textBytes:
            return (.unreadable(reason: "the stored text holds a NUL byte or is not UTF-8"), nil, nil)
        case .integer, .real:
            return (.unreadable(reason: "the stored value is a number, not a payload"), nil, nil)
        }
        // One pass: decrypting tells whether the current key opened it (each key is tried once).
        var plaintext: [UInt8]
        let stale: Bool
        do {
            (plaintext, stale) = try migration.decryptBytesNotingStaleness(payload)
        } catch {
            return (.unreadable(reason: "\(error)"), nil, nil)
        }
        defer { SecureMemory.wipe(&plaintext) }
        guard stale || needsPlaintext || checkingCurrent else { return (.current, nil, nil) }
        if let problem = kindProblem(plaintext, column.kind) {
            return (.wrongKind(reason: problem), nil, nil)
        }
        let text = needsPlaintext ? String(decoding: plaintext, as: UTF8.self) : nil
        guard stale else { return (.current, nil, text) }
        do {
            let fresh = try migration.encryptBytes(plaintext)
            if case .bytes = cell { return (.stale, .bytes(Array(fresh.utf8)), text) }
            return (.stale, .text(fresh), text)
        } catch {
            return (.unreadable(reason: "re-encryption failed: \(error)"), nil, nil)
        }
    }

    /// Why `plaintext` is not a `kind` value, or `nil` when it is.
    private func kindProblem(_ plaintext: [UInt8], _ kind: ColumnKind) -> String? {
        switch kind {
        case .string:
            return nil
        case .json:
            do {
                try PHPJSONDecoder().validate(plaintext)
                return nil
            } catch {
                return "not JSON: \(error)"
            }
        case .serialized:
            do {
                try PHPUnserializer().validate(plaintext)
                return nil
            } catch {
                return "not PHP-serialized: \(error)"
            }
        }
    }
}
