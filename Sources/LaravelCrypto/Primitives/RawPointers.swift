/// Pointer helpers for the C calls, so every primitive hands libsodium and OpenSSL buffers the
/// same way.

/// The bytes of a buffer as the pointer type libsodium and OpenSSL take; `nil` for an empty
/// buffer (for parameters documented to accept `NULL`, such as absent associated data or keys).
@inline(__always)
func pointer(_ buffer: UnsafeRawBufferPointer) -> UnsafePointer<UInt8>? {
    buffer.baseAddress?.assumingMemoryBound(to: UInt8.self)
}

/// The bytes of a buffer, never `nil`: an empty buffer (whose base address may be `nil`) gets the
/// address of a shared byte instead. For message and output parameters, where some C functions
/// reject or misbehave on `NULL` even when the length is 0; nothing is ever read from or written
/// to that byte, because the length passed beside it is 0.
@inline(__always)
func nonNullPointer(_ buffer: UnsafeRawBufferPointer) -> UnsafePointer<UInt8> {
    pointer(buffer) ?? UnsafePointer(emptyBufferAddress)
}

/// ``nonNullPointer(_:)`` for an output buffer.
@inline(__always)
func nonNullPointer(_ buffer: UnsafeMutableRawBufferPointer) -> UnsafeMutablePointer<UInt8> {
    buffer.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? emptyBufferAddress
}

/// ``nonNullPointer(_:)`` for a `char *` parameter (a password, for example).
@inline(__always)
func nonNullCharPointer(_ buffer: UnsafeRawBufferPointer) -> UnsafePointer<CChar> {
    UnsafeRawPointer(nonNullPointer(buffer)).assumingMemoryBound(to: CChar.self)
}

/// The stand-in address for empty buffers: one byte, allocated once and never freed, never read or
/// written through (every call that receives it also receives a length of 0).
private nonisolated(unsafe) let emptyBufferAddress: UnsafeMutablePointer<UInt8> = {
    let byte = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
    byte.initialize(to: 0)
    return byte
}()
