import CryptoKeysCore
import LaravelCrypto

/// One decoder under fuzzing. Each input must end in a value or a typed error — never a crash,
/// a hang or a sanitizer report — and the properties checked here must hold for every input.
enum FuzzTarget: String, CaseIterable, Sendable {
    case base64
    case compactPayload = "compact-payload"
    case laravelEnvelope = "laravel-envelope"
    case cookie
    case phpUnserialize = "php-unserialize"
    case phpJSON = "php-json"
    case dotEnv = "dotenv"
    case keyText = "key-text"
    case migration
    case userKey = "user-key"
    case fileStream = "file-stream"

    /// Runs the target over one input.
    func run(_ data: [UInt8]) {
        switch self {
        case .base64: Self.fuzzBase64(data)
        case .compactPayload:
            guard let selector = data.first else { return }
            let encrypters = FuzzFixtures.shared.compactEncrypters
            guard !encrypters.isEmpty else { return }
            _ = try? encrypters[Int(selector) % encrypters.count].decryptBytes(
                String(decoding: data.dropFirst(), as: UTF8.self))
        case .laravelEnvelope:
            guard let selector = data.first else { return }
            let encrypters = FuzzFixtures.shared.laravelEncrypters
            let payload = String(decoding: data.dropFirst(), as: UTF8.self)
            _ = try? encrypters[Int(selector) % encrypters.count].decryptString(payload)
        case .cookie:
            guard let selector = data.first else { return }
            if selector >= 0xC0 { return Self.fuzzCookieHeader(data.dropFirst()) }
            let cookies = FuzzFixtures.shared.cookieEncrypters
            _ = try? cookies[Int(selector) % cookies.count].decrypt(
                String(decoding: data.dropFirst(), as: UTF8.self), forCookieNamed: "laravel_session")
        case .phpUnserialize:
            let unserializer = PHPUnserializer()
            try? unserializer.validate(data)
            _ = try? unserializer.unserialize(FuzzProfile.self, from: data)
            _ = try? unserializer.unserialize([String: [Int]].self, from: data)
        case .phpJSON:
            let decoder = PHPJSONDecoder()
            try? decoder.validate(data)
            _ = try? decoder.decode(FuzzProfile.self, from: data)
        case .dotEnv:
            _ = DotEnv.parse(String(decoding: data, as: UTF8.self))
            var document = EnvDocument(bytes: data)
            precondition(document.bytes == data, "the .env editor must keep every byte")
            document.set("APP_KEY", to: "base64:AAAA")
            _ = document.value(of: "APP_KEY")
        case .keyText: Self.fuzzKeyText(data)
        case .migration:
            _ = try? FuzzFixtures.shared.migration?.decryptBytes(String(decoding: data, as: UTF8.self))
        case .userKey: Self.fuzzUserKey(data)
        case .fileStream: Self.fuzzFileStream(data)
        }
    }

    /// `Cookie` header lines (split at line feeds) read as PHP reads them.
    private static func fuzzCookieHeader(_ data: ArraySlice<UInt8>) {
        let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        let cookies = CookieHeader.cookies(in: lines)
        precondition(cookies.count <= CookieHeader.maximumCookieCount, "at most max_input_vars cookies")
        for cookie in cookies {
            precondition(!cookie.baseName.isEmpty && cookie.name.hasPrefix(cookie.baseName), "a named cookie")
            precondition(
                cookie.name == cookie.baseName || cookie.name.utf8.dropFirst(cookie.baseName.utf8.count).first == 0x5B,
                "an array element is named base[key]")
        }
    }

    private static func fuzzBase64(_ data: [UInt8]) {
        let text = String(decoding: data, as: UTF8.self)
        for mode in [Base64.DecodingMode.phpStrict, .phpStrictEitherAlphabet, .phpForgiving, .sodiumURLNoPadding] {
            _ = try? Base64.decode(text, mode: mode)
        }
        // Every byte string survives an encode and a strict decode, in both alphabets.
        data.withUnsafeBytes { raw in
            let standard = Base64.encode(raw, alphabet: .standard, padded: true)
            precondition((try? Base64.decode(standard, mode: .phpStrict)) == data, "standard base64 round trip")
            let url = Base64.encode(raw, alphabet: .url, padded: false)
            precondition((try? Base64.decode(url, mode: .sodiumURLNoPadding)) == data, "url base64 round trip")
        }
    }

    /// Key text through the decoder every key string goes through (both formats, every input),
    /// and through the public `parse`/`parseList`. Storing a key costs guarded memory
    /// (`sodium_malloc`: system calls whose cost does not depend on the bytes), so the public
    /// entry points run for one format per input (by the input's length) and for lists of at most
    /// two entries; a stored key must exist exactly when its text decodes.
    private static func fuzzKeyText(_ data: [UInt8]) {
        let text = String(decoding: data, as: UTF8.self)
        let stored: KeyTextFormat = data.count % 2 == 0 ? .laravel : .laravelCrypto
        for format in [KeyTextFormat.laravel, .laravelCrypto] {
            let decodes = (try? format.withDecodedBytes(of: text, variable: "APP_KEY") { _ throws(KeyError) in }) != nil
            let entries = format.listEntries(text)
            var allDecode = true
            for entry in entries {
                let length = try? format.withDecodedBytes(of: entry, variable: "APP_PREVIOUS_KEYS") {
                    bytes throws(KeyError) in bytes.count
                }
                if length == nil { allDecode = false }
            }
            guard format == stored else { continue }
            precondition((try? format.parse(text)) != nil || !decodes, "a key whose text decodes must be stored")
            if entries.count <= 2 {
                let keys = try? format.parseList(text)
                precondition(
                    (keys?.count == entries.count) == allDecode, "a list parses exactly when every entry decodes")
            }
        }
    }

    private static func fuzzUserKey(_ data: [UInt8]) {
        guard let selector = data.first else { return }
        let rest = Array(data.dropFirst())
        let fixtures = FuzzFixtures.shared
        switch selector % 4 {
        case 0: _ = try? UserKey(token: String(decoding: rest, as: UTF8.self))
        case 1: _ = try? fixtures.vault?.unwrap(rest, userID: "42")
        case 2: _ = try? SealedJobKey.unseal(String(decoding: rest, as: UTF8.self), appKey: FuzzFixtures.appKey)
        default: _ = try? SealedJobKey.sealedKey(inPHPSerialized: String(decoding: rest, as: UTF8.self))
        }
    }

    private static func fuzzFileStream(_ data: [UInt8]) {
        guard let selector = data.first else { return }
        let files = FuzzFixtures.shared.fileEncrypters
        guard let stream = try? files[Int(selector) % files.count].makeDecryptionStream() else { return }
        // Fed in uneven pieces, as a reader would.
        var rest = data.dropFirst()
        var piece = 1
        while !rest.isEmpty {
            guard (try? stream.update(Array(rest.prefix(piece)))) != nil else { return }
            rest = rest.dropFirst(piece)
            piece = piece * 3 + 1
        }
        _ = try? stream.finish()
    }
}

/// A Codable shape with optional, nested and keyed members, for the typed decoders.
struct FuzzProfile: Codable {
    var name: String?
    var age: Int?
    var score: Double?
    var tags: [String]?
    var scores: [String: Double]?
    var nested: [[Int]]?
    var flag: Bool?
}
