extension UserKeyError {
    /// Runs `body` and turns what the layers below throw into a ``UserKeyError``: a failed tag
    /// becomes ``authenticationFailed``, any other primitive failure ``primitiveFailed(reason:)``.
    static func mapping<R>(_ body: () throws -> R) throws(UserKeyError) -> R {
        do {
            return try body()
        } catch let error as UserKeyError {
            throw error
        } catch PrimitiveError.authenticationFailed {
            throw .authenticationFailed
        } catch {
            throw .primitiveFailed(reason: "\(error)")
        }
    }
}
