extension ReencryptionPlan {
    /// Throws unless the table exists (it has columns) and has the key and every selected column:
    /// the check both drivers run on the column names their database reports.
    func requireColumns(_ names: Set<String>, in displayName: String) throws(ReencryptError) {
        guard !names.isEmpty else { throw .schema("table \"\(table)\" does not exist in \(displayName)") }
        for name in [key] + selectedColumns where !names.contains(name) {
            throw .schema(
                "table \"\(table)\" has no column \"\(name)\" (it has: \(names.sorted().joined(separator: ", ")))")
        }
    }
}

extension ReencryptionPlan {
    /// Throws when `count` rows have a NULL key. Each row is found by its key, so such rows can be
    /// neither scanned nor written, and a run that passed over them would look complete.
    func requireNoNullKeys(_ count: Int, in displayName: String) throws(ReencryptError) {
        guard count > 0 else { return }
        throw .schema(
            "\(count) row(s) of table \"\(table)\" in \(displayName) have a NULL \"\(key)\": crypto-reencrypt finds "
                + "each row by its key and could not rewrite them; nothing was changed. Choose a --key column without "
                + "NULLs (on SQLite, rowid)")
    }
}
