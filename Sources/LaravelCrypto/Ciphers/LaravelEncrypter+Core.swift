extension LaravelEncrypter {
    /// The cipher, the prepared keys' handles and the options one call reads: all trivial, so the
    /// closures that capture it never retain anything. Valid while the encrypter is alive.
    struct Core {
        let cipher: Cipher
        let isAEAD: Bool
        /// The current key, then the previous keys.
        let keys: HandleTable<PreparedKey>.Entries
        let options: EncrypterOptions

        private var ivByteCount: Int { isAEAD ? 12 : 16 }

        func decryptBytes(_ payload: String) throws -> (plaintext: [UInt8], openedByCurrentKey: Bool) {
            var keyIndex = 0
            let plaintext = try open(payload, keyIndex: &keyIndex) { capacity, fill in
                try [UInt8](unsafeUninitializedCapacity: capacity) { out, count in
                    count = try fill(UnsafeMutableRawBufferPointer(out))
                }
            }
            return (plaintext, keyIndex == 0)
        }

        func decryptString(_ payload: String) throws -> String {
            var keyIndex = 0
            return try open(payload, keyIndex: &keyIndex) { capacity, fill in
                try String(unsafeUninitializedCapacity: capacity) { out in
                    let count = try fill(UnsafeMutableRawBufferPointer(out))
                    let plaintext = UnsafeMutableRawBufferPointer(
                        rebasing: UnsafeMutableRawBufferPointer(out)[0..<count])
                    guard UTF8Validation.isValid(UnsafeRawBufferPointer(plaintext)) else {
                        SodiumMemory.zero(plaintext)
                        throw DecryptionError.invalidUTF8
                    }
                    return count
                }
            }
        }

        /// Encrypts with a random IV, or `fixedIV` (known-answer tests only).
        func seal(_ plaintext: UnsafeRawBufferPointer, iv fixedIV: [UInt8]?) throws -> String {
            let ivCount = ivByteCount
            if let fixedIV, fixedIV.count != ivCount {
                throw EncryptionError.cipherFailed(
                    reason: "a \(cipher.rawValue) IV has \(ivCount) bytes, not \(fixedIV.count)")
            }
            let cipherCount = isAEAD ? plaintext.count : (plaintext.count / 16 + 1) * 16
            let layout = EnvelopeLayout(ivCount: ivCount, cipherCount: cipherCount, isAEAD: isAEAD)
            // Public bytes only in ``ThreadScratch``: CBC pads the plaintext into `body` and encrypts it
            // in place, and a failure wipes it.
            return try ThreadScratch.withBuffer(byteCount: ivCount + cipherCount + 16 + layout.count) { scratch in
                let iv = UnsafeMutableRawBufferPointer(rebasing: scratch[0..<ivCount])
                let body = UnsafeMutableRawBufferPointer(rebasing: scratch[ivCount..<(ivCount + cipherCount)])
                let tag = UnsafeMutableRawBufferPointer(
                    rebasing: scratch[(ivCount + cipherCount)..<(ivCount + cipherCount + 16)])
                let json = UnsafeMutableRawBufferPointer(rebasing: scratch[(ivCount + cipherCount + 16)...])
                if let fixedIV {
                    iv.copyBytes(from: fixedIV)
                } else {
                    NoncePool.shared.fill(iv)
                }
                do {
                    if isAEAD {
                        try keys[0].aes.gcmSeal(plaintext, iv: UnsafeRawBufferPointer(iv), ciphertext: body, tag: tag)
                    } else {
                        PKCS7.pad(plaintext, into: body)
                        try keys[0].aes.cbc(
                            encrypt: true, UnsafeRawBufferPointer(body), iv: UnsafeRawBufferPointer(iv), into: body)
                    }
                } catch {
                    SodiumMemory.zero(body)
                    throw EncryptionError.cipherFailed(reason: "\(error)")
                }
                layout.write(
                    iv: UnsafeRawBufferPointer(iv), body: UnsafeRawBufferPointer(body),
                    tag: UnsafeRawBufferPointer(tag),
                    into: json)
                if !isAEAD, let mac = keys[0].mac {
                    layout.writeMAC(key: mac, into: json)
                }
                let payload = UnsafeRawBufferPointer(json)
                return options.usesLaravelCryptoWrapping
                    ? LaravelCryptoWrapping.wrap(payload, randomPrefixCount: ivCount)
                    : Base64.encode(payload, alphabet: .standard, padded: true)
            }
        }

        // MARK: Reading

        /// Decodes, authenticates and decrypts `payload`; `keyIndex` receives the position in the
        /// ring of the key that opened it.
        private func open<R>(
            _ payload: String, keyIndex: inout Int,
            makeResult: (_ capacity: Int, _ fill: (UnsafeMutableRawBufferPointer) throws -> Int) throws -> R
        ) throws -> R {
            try options.checkPayloadSize(payload)
            return try LaravelCryptoWrapping.withLaravelPayload(
                payload, wrapped: options.usesLaravelCryptoWrapping, prefixCount: ivByteCount
            ) {
                text in
                // One buffer for both decodes (public bytes only, so ``ThreadScratch``): the JSON, then
                // the ciphertext decoded from inside it (never longer than the JSON, so the second half
                // always has room).
                let half = Base64.decodingCapacity(for: text.count)
                return try ThreadScratch.withBuffer(byteCount: 2 * half) { scratch in
                    let count: Int
                    do throws(Base64.DecodingFailure) {
                        count = try Base64.decode(
                            text, mode: .phpForgiving, into: UnsafeMutableRawBufferPointer(rebasing: scratch[0..<half]))
                    } catch {
                        throw DecryptionError.invalidEncoding(reason: error.reason)
                    }
                    let envelope = try LaravelEnvelopeJSON.parse(UnsafeRawBufferPointer(rebasing: scratch[0..<count]))
                    return try open(
                        envelope, scratch: UnsafeMutableRawBufferPointer(rebasing: scratch[half...]),
                        keyIndex: &keyIndex,
                        makeResult: makeResult)
                }
            }
        }

        private func open<R>(
            _ envelope: LaravelEnvelopeJSON, scratch: UnsafeMutableRawBufferPointer, keyIndex: inout Int,
            makeResult: (_ capacity: Int, _ fill: (UnsafeMutableRawBufferPointer) throws -> Int) throws -> R
        ) throws -> R {
            guard case .string(let ivText) = envelope.iv, case .string(let valueText) = envelope.value,
                case .string(let macText) = envelope.mac
            else { throw DecryptionError.invalidPayload(reason: "iv, value and mac must be present and strings") }
            let tagText: LaravelEnvelopeJSON.FieldText?
            switch envelope.tag {
            case nil, .null: tagText = nil
            case .string(let text):
                let isEmpty = envelope.withBytes(text) { $0.isEmpty || ($0.count == 1 && $0[0] == UInt8(ascii: "0")) }
                tagText = isEmpty ? nil : text
            case .other: throw DecryptionError.invalidPayload(reason: "tag must be a string")
            }
            let iv = envelope.withBytes(ivText) { InlineBytes.decode($0, mode: .phpStrict) } ?? InlineBytes()
            guard iv.count == ivByteCount else {
                throw DecryptionError.invalidPayload(
                    reason: "the IV must be \(ivByteCount) bytes for \(cipher.rawValue), not \(iv.count)")
            }
            var tag = InlineBytes()
            if let tagText {
                guard isAEAD else {
                    throw DecryptionError.invalidPayload(
                        reason: "a tag was given but \(cipher.rawValue) is not an AEAD cipher")
                }
                guard let decoded = envelope.withBytes(tagText, { InlineBytes.decode($0, mode: .phpForgiving) }) else {
                    throw DecryptionError.invalidPayload(reason: "tag is not base64")
                }
                tag = decoded
            }
            if isAEAD && tag.count != 16 { throw DecryptionError.authenticationFailed }

            let macKeyIndex =
                isAEAD ? nil : try matchingMACKeyIndex(envelope, iv: ivText, value: valueText, mac: macText)
            if let macKeyIndex { keyIndex = macKeyIndex }
            return try envelope.withBytes(valueText) { valueBytes in
                try Self.withScratch(scratch, byteCount: Base64.decodingCapacity(for: valueBytes.count)) { scratch in
                    let count: Int
                    do throws(Base64.DecodingFailure) {
                        count = try Base64.decode(valueBytes, mode: .phpForgiving, into: scratch)
                    } catch {
                        throw DecryptionError.invalidPayload(reason: "value is not base64 (\(error.reason))")
                    }
                    let body = UnsafeRawBufferPointer(rebasing: scratch[0..<count])
                    return try iv.withUnsafeBytes { iv in
                        try makeResult(count) { out in
                            if let macKeyIndex {
                                return try decryptCBC(body, key: keys[macKeyIndex].aes, iv: iv, into: out)
                            }
                            return try tag.withUnsafeBytes { tag in
                                try decryptGCM(body, tag: tag, iv: iv, into: out, keyIndex: &keyIndex)
                            }
                        }
                    }
                }
            }
        }

        /// `scratch` when it is large enough (always, unless `value` held escapes that made it longer
        /// than its JSON), else a fresh temporary buffer.
        private static func withScratch<R>(
            _ scratch: UnsafeMutableRawBufferPointer, byteCount: Int,
            _ body: (UnsafeMutableRawBufferPointer) throws -> R
        ) throws -> R {
            if scratch.count >= byteCount { return try body(scratch) }
            return try withUnsafeTemporaryAllocation(byteCount: byteCount, alignment: 16, body)
        }

        /// The position of the first key (current, then previous) whose HMAC matches `mac`, compared
        /// in constant time.
        private func matchingMACKeyIndex(
            _ envelope: LaravelEnvelopeJSON, iv: LaravelEnvelopeJSON.FieldText, value: LaravelEnvelopeJSON.FieldText,
            mac: LaravelEnvelopeJSON.FieldText
        ) throws -> Int {
            try envelope.withBytes(iv) { iv in
                try envelope.withBytes(value) { value in
                    try envelope.withBytes(mac) { mac in
                        guard
                            let index = keys.firstIndex(where: { key in
                                key.mac.map { EnvelopeLayout.macMatches(key: $0, iv: iv, value: value, mac: mac) }
                                    ?? false
                            })
                        else { throw DecryptionError.authenticationFailed }
                        return index
                    }
                }
            }
        }

        private func decryptCBC(
            _ body: UnsafeRawBufferPointer, key: PreparedAESKey.Handle, iv: UnsafeRawBufferPointer,
            into out: UnsafeMutableRawBufferPointer
        ) throws -> Int {
            guard body.count > 0, body.count % 16 == 0 else { throw DecryptionError.authenticationFailed }
            do {
                try key.cbc(encrypt: false, body, iv: iv, into: out)
            } catch {
                throw DecryptionError.authenticationFailed
            }
            guard let count = PKCS7.unpaddedCount(UnsafeRawBufferPointer(out)) else {
                SodiumMemory.zero(out)
                throw DecryptionError.authenticationFailed
            }
            return count
        }

        private func decryptGCM(
            _ body: UnsafeRawBufferPointer, tag: UnsafeRawBufferPointer, iv: UnsafeRawBufferPointer,
            into out: UnsafeMutableRawBufferPointer, keyIndex: inout Int
        ) throws -> Int {
            guard
                let index = keys.firstIndex(where: { (try? $0.aes.gcmOpen(body, tag: tag, iv: iv, into: out)) != nil })
            else {
                throw DecryptionError.authenticationFailed
            }
            keyIndex = index
            return body.count
        }
    }
}
