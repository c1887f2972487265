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
