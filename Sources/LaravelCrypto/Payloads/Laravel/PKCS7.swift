/// PKCS#7 padding to 16-byte blocks.
package enum PKCS7 {
    /// Copies `plaintext` into `out` (the next multiple of 16 above its length) and pads it.
    package static func pad(_ plaintext: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) {
        if plaintext.count > 0 {
            UnsafeMutableRawBufferPointer(rebasing: out[0..<plaintext.count]).copyMemory(from: plaintext)
        }
        let padding = UInt8(out.count - plaintext.count)
        for i in plaintext.count..<out.count { out[i] = padding }
    }

    /// The length without padding, or `nil` when the padding is malformed; constant time in the
    /// padding value (every one of the last 16 bytes is read).
    package static func unpaddedCount(_ block: UnsafeRawBufferPointer) -> Int? {
        guard block.count >= 16 else { return nil }
        let padding = block[block.count - 1]
        var bad: UInt8 = (padding &- 1) & 0x80 == 0 && padding <= 16 ? 0 : 1
        for i in 0..<16 {
            let byte = block[block.count - 1 - i]
            // inPad is 0xFF when i < padding, else 0.
            let inPad = UInt8(truncatingIfNeeded: (Int(i) &- Int(padding)) >> 8)
            bad |= inPad & (byte ^ padding)
        }
        return bad == 0 ? block.count - Int(padding) : nil
    }
}
