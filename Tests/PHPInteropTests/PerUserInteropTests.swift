import Foundation
import LaravelCrypto
import LaravelCryptoTestSupport
import Testing

/// Per-user encryption against real PHP, both ways (`Fixtures/php/per-user.php`: PHP 8.2's sodium
/// and mbstring functions following laravel-crypto's code, and Laravel's real Encrypter for user
/// values): wrapped keys, tokens, blind indexes, sealed job keys, user values and their JSON.
@Suite("Per-user interop with PHP")
struct PerUserInteropTests {
    static let appKey = "base64:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
    static let script = Repository.root.appendingPathComponent("Fixtures/php/per-user.php").path
    /// The smallest Argon2id cost keeps the many round trips quick; one test uses the interactive cost.
    static let cheap = Argon2Cost(opsLimit: 1, memLimit: 8192)

    /// Sends `items` to the PHP peer; returns PHP's version and one result per item.
    static func php(_ items: [[String: Any]]) throws -> (version: String, results: [Any]) {
        let input = try JSONSerialization.data(withJSONObject: ["items": items])
        let result = try ProcessRunner.run(command: "php", [script], input: input)
        guard result.status == 0,
            let answer = try JSONSerialization.jsonObject(with: result.output) as? [String: Any],
            let version = answer["php"] as? String, let results = answer["results"] as? [Any],
            results.count == items.count
        else {
            throw Peer.PeerError(
                message: "php failed (\(result.status)): \(String(decoding: result.errors, as: UTF8.self))")
        }
        return (version, results)
    }

    static func b64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }
    static func bytes(_ any: Any) throws -> [UInt8] {
        let text = try #require(any as? String, "PHP answered \(any)")
        return [UInt8](try #require(Data(base64Encoded: text)))
    }
    static func raw(_ key: UserKey) -> [UInt8] { key.withUnsafeBytes { Array($0) } }

    @Test("wrapped keys: PHP wraps, Swift unwraps; Swift wraps, PHP unwraps (both modes)")
    func wrappedKeys() throws {
        guard peerIsUsable(.php, requirement: "PHP") else { return }
        let vault = try UserKeyVault(appKey: Self.appKey, cost: Self.cheap)
        let passwords = ["p@ssw0rd!", "", "Zoë 😀 ünïcode", "Zoe\u{308}"]
        let userIDs = ["1", "42", "01", "user@example.com", "ünï"]
        let keys = try (0..<4).map { _ in try UserKey.generate() }
        var items: [[String: Any]] = []
        for (key, password) in zip(keys, passwords) {
            items.append([
                "op": "wrap_password", "key": Self.b64(Self.raw(key)), "password": Self.b64(Array(password.utf8)),
                "ops": 1, "mem": 8192,
            ])
        }
        for (index, id) in userIDs.enumerated() {
            items.append([
                "op": "wrap_server", "key": Self.b64(Self.raw(keys[index % 4])), "userId": id, "appKey": Self.appKey,
            ])
        }
        // The other direction: Swift's blobs for PHP to open.
        for (key, password) in zip(keys, passwords) {
            items.append([
                "op": "unwrap_password", "blob": Self.b64(try vault.wrap(key, password: password)),
                "password": Self.b64(Array(password.utf8)), "ops": 1, "mem": 8192,
            ])
        }
        for (index, id) in userIDs.enumerated() {
            items.append([
                "op": "unwrap_server", "blob": Self.b64(try vault.wrap(keys[index % 4], userID: id)), "userId": id,
                "appKey": Self.appKey,
            ])
        }
        // Hex and short app keys follow the raw-key rule on both sides.
        let hexKey = String(repeating: "ab", count: 32), shortKey = "base64:AAECAwQFBgcICQoLDA0ODw=="
        for appKey in [hexKey, shortKey, String(repeating: "z", count: 90)] {
            items.append(["op": "wrap_server", "key": Self.b64(Self.raw(keys[0])), "userId": "9", "appKey": appKey])
        }
        let results = try Self.php(items).results
        var cursor = 0
        for (key, password) in zip(keys, passwords) {
            let blob = try Self.bytes(results[cursor])
            #expect(blob.count == 89 && blob[0] == 1)
            #expect(try vault.unwrap(blob, password: password) == key, "PHP password blob #\(cursor)")
            cursor += 1
        }
        for (index, id) in userIDs.enumerated() {
            let blob = try Self.bytes(results[cursor])
            #expect(try vault.unwrap(blob, userID: id) == keys[index % 4], "PHP server blob for \(id)")
            #expect(throws: UserKeyError.authenticationFailed) { try vault.unwrap(blob, userID: id + " ") }
            cursor += 1
        }
        for key in keys {
            #expect(try Self.bytes(results[cursor]) == Self.raw(key), "PHP opened Swift's password blob #\(cursor)")
            cursor += 1
        }
        for index in userIDs.indices {
            #expect(
                try Self.bytes(results[cursor]) == Self.raw(keys[index % 4]),
                "PHP opened Swift's server blob #\(cursor)")
            cursor += 1
        }
        for appKey in [hexKey, shortKey, String(repeating: "z", count: 90)] {
            let other = try UserKeyVault(appKey: appKey, cost: Self.cheap)
            #expect(
                try other.unwrap(try Self.bytes(results[cursor]), userID: "9") == keys[0],
                "app key \(appKey.prefix(10))…")
            cursor += 1
        }
    }

    @Test("password wrapping at the interactive cost (64 MiB), both ways")
    func interactiveCost() throws {
        guard peerIsUsable(.php, requirement: "PHP") else { return }
        let vault = try UserKeyVault(appKey: Self.appKey, cost: .interactive)
        let key = try UserKey.generate()
        let password = Array("correct horse".utf8)
        let results = try Self.php([
            [
                "op": "wrap_password", "key": Self.b64(Self.raw(key)), "password": Self.b64(password), "ops": 2,
                "mem": 67_108_864,
            ],
            [
                "op": "unwrap_password", "blob": Self.b64(try vault.wrap(key, password: "correct horse")),
                "password": Self.b64(password),
                "ops": 2, "mem": 67_108_864,
            ],
        ]).results
        #expect(try vault.unwrap(try Self.bytes(results[0]), password: "correct horse") == key)
        #expect(try Self.bytes(results[1]) == Self.raw(key))
    }

    @Test("tokens: the same text accepted or refused as upstream's decodeToken, to the byte")
    func tokens() throws {
        guard peerIsUsable(.php, requirement: "PHP") else { return }
        let key = try UserKey.generate()
        let token = key.token
        let standard = String(token.map { $0 == "-" ? "+" : $0 == "_" ? "/" : $0 })
        var texts = [
            token, token + "=", standard, " \(token)\n", String(token.prefix(21)) + "\t" + String(token.dropFirst(21)),
            String(token.dropLast()) + "B", "", "=", token + "==", token + "!", String(token.prefix(40)),
            token + "AAAA",
            String(repeating: "A", count: 43), String(repeating: "_", count: 43), "é" + token, token + "\0",
        ]
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("ABCxyz019-_+/= \n\t.".unicodeScalars)
        for _ in 0..<150 {
            var scalars = Array(token.unicodeScalars)
            scalars[Int.random(in: 0..<scalars.count, using: &rng)] = alphabet.randomElement(using: &rng) ?? "A"
            if Bool.random(using: &rng) { scalars.append(alphabet.randomElement(using: &rng) ?? "A") }
            var text = ""
            text.unicodeScalars.append(contentsOf: scalars)
            texts.append(text)
        }
        var items: [[String: Any]] = texts.map { ["op": "decode_token", "token": $0] }
        items.append(["op": "token", "key": Self.b64(Self.raw(key))])
        let results = try Self.php(items).results
        for (text, answer) in zip(texts, results) {
            let swift = try? UserKey(token: text)
            if let accepted = answer as? String {
                #expect(
                    swift.map(Self.raw) == [UInt8](Data(base64Encoded: accepted) ?? Data()),
                    "PHP accepted \(text.debugDescription)")
            } else {
                #expect(swift == nil, "PHP refused \(text.debugDescription) (\(answer)), Swift accepted it")
            }
        }
        #expect(results.last as? String == token)
    }

    /// Values whose `mb_strtolower(trim())` PHP 8.2 and 8.3+ agree on.
    static let indexValues = [
        "  ÄBC  ", "  A\u{308}BC  ", "straße", "STRASSE", "STRAẞE", "İstanbul", "👩‍👩‍👧 Family", "\u{00A0}x\u{00A0}",
        " \t\n",
        "", "a|b", "Alice@Example.com", " 123-45-6789 ", "ǅemal Ǉ", "ΆΈΉ ΐ", "ПРИВЕТ Мир", "Ա Բ Գ", "\0x\u{0B}",
    ]

    @Test("blind indexes: PHP's mb_strtolower(trim()) and sodium give the same bytes")
    func blindIndexes() throws {
        guard peerIsUsable(.php, requirement: "PHP") else { return }
        let key = try UserKey.generate()
        let perUser = BlindIndex(userKey: key)
        let global = try BlindIndex(appKey: Self.appKey)
        let hexGlobal = try BlindIndex(appKey: String(repeating: "5a", count: 32))
        var rng = SystemRandomNumberGenerator()
        // Random text from long-stable Unicode blocks (Latin, Greek without Σ, Cyrillic, Armenian, Latin Extended
        // Additional).
        let pools: [ClosedRange<UInt32>] = [
            0x20...0x24F, 0x370...0x3A2, 0x3A4...0x3FF, 0x400...0x52F, 0x531...0x587, 0x1E00...0x1EFF,
        ]
        var values = Self.indexValues
        for _ in 0..<200 {
            var text = ""
            for _ in 0..<Int.random(in: 0...12, using: &rng) {
                let pool = pools.randomElement(using: &rng) ?? pools[0]
                if let scalar = Unicode.Scalar(UInt32.random(in: pool, using: &rng)) {
                    text.unicodeScalars.append(scalar)
                }
            }
            values.append(text)
        }
        struct Case {
            let value: String; let column: String; let normalise: Bool; let context: [String]; let mode: String
        }
        var cases: [Case] = []
        for value in values {
            cases.append(Case(value: value, column: "email", normalise: true, context: [], mode: "user"))
            cases.append(Case(value: value, column: "name", normalise: false, context: [], mode: "user"))
        }
        cases += [
            Case(value: "a", column: "c", normalise: true, context: ["b"], mode: "user"),
            Case(value: "Alice@Example.com", column: "email", normalise: true, context: ["42", "work"], mode: "user"),
            Case(value: "x", column: "", normalise: true, context: ["", "|"], mode: "user"),
            Case(
                value: "x", column: String(repeating: "long_column_", count: 100), normalise: true, context: [],
                mode: "user"),
            Case(value: "Alice@Example.com", column: "email", normalise: true, context: [], mode: "global"),
            Case(value: "Bob", column: "name", normalise: false, context: ["t"], mode: "global-hex"),
        ]
        let items: [[String: Any]] = cases.map { item in
            [
                "op": "blind_index", "key": Self.b64(Self.raw(key)), "value": Self.b64(Array(item.value.utf8)),
                "column": item.column,
                "normalise": item.normalise, "context": item.context,
                "mode": item.mode.hasPrefix("global") ? "global" : "user",
                "appKey": item.mode == "global-hex" ? String(repeating: "5a", count: 32) : Self.appKey,
            ]
        }
        let results = try Self.php(items).results
        for (item, answer) in zip(cases, results) {
            let index = item.mode == "user" ? perUser : item.mode == "global" ? global : hexGlobal
            let swift = try index.compute(
                item.value, column: item.column, normalise: item.normalise, context: item.context)
            #expect(
                swift == (try Self.bytes(answer)),
                "\(item.mode) \(item.value.debugDescription) normalise \(item.normalise)")
        }
    }

    @Test("final sigma: PHP ≥ 8.3's result, checked as PHP's index of the lower-cased text")
    func finalSigma() throws {
        guard peerIsUsable(.php, requirement: "PHP") else { return }
        let key = try UserKey.generate()
        // PHP 8.2 (Debian) lower-cases every Σ to σ; laravel-crypto requires PHP ≥ 8.4, whose
        // mb_strtolower applies Unicode's Final_Sigma rule. We follow 8.4: the index of "ΣΟΦΟΣ"
        // normalised must be PHP's index of "σοφος" taken as it is.
        let expected: [(String, String)] = [
            ("ΣΟΦΟΣ", "σοφος"), (" ΣΑΣ ΣΑΣ. ", "σας σας."), ("Σ", "σ"), ("ΑΣ'Σ", "ασ'ς"),
        ]
        let (version, results) = try Self.php(
            expected.map {
                [
                    "op": "blind_index", "key": Self.b64(Self.raw(key)), "value": Self.b64(Array($0.1.utf8)),
                    "column": "name",
                    "normalise": false, "context": [String](), "mode": "user",
                ]
            }
                + [["op": "lower", "value": Self.b64(Array("ΣΟΦΟΣ".utf8))]])
        for ((value, _), answer) in zip(expected, results) {
            #expect(try BlindIndex(userKey: key).compute(value, column: "name") == (try Self.bytes(answer)), "\(value)")
        }
        let phpLower = String(decoding: try Self.bytes(results[expected.count]), as: UTF8.self)
        if version.hasPrefix("8.2") || version.hasPrefix("7.") || version.hasPrefix("8.0") || version.hasPrefix("8.1") {
            #expect(phpLower == "σοφοσ", "PHP \(version) has no final-sigma rule")
        } else {
            #expect(phpLower == "σοφος", "PHP \(version) applies the final-sigma rule")
        }
    }

    @Test("sealed job keys and their serialized object, both ways")
    func sealedKeys() throws {
        guard peerIsUsable(.php, requirement: "PHP") else { return }
        let key = try UserKey.generate()
        let mine = try SealedJobKey.seal(key, appKey: Self.appKey)
        let textKey = String(repeating: "t", count: 40)
        let results = try Self.php([
            ["op": "seal", "key": Self.b64(Self.raw(key)), "appKey": Self.appKey],
            ["op": "unseal", "sealed": mine, "appKey": Self.appKey],
            ["op": "seal", "key": Self.b64(Self.raw(key)), "appKey": textKey],
            ["op": "serialize_sealed", "sealed": mine],
            ["op": "unserialize_sealed", "text": try SealedJobKey.phpSerializedObject(mine)],
        ]).results
        let theirs = try #require(results[0] as? String)
        #expect(theirs.count == 96)
        #expect(try SealedJobKey.unseal(theirs, appKey: Self.appKey) == key)
        #expect(try Self.bytes(results[1]) == Self.raw(key))
        #expect(try SealedJobKey.unseal(try #require(results[2] as? String), appKey: textKey) == key)
        #expect(results[3] as? String == (try SealedJobKey.phpSerializedObject(mine)))
        #expect(try SealedJobKey.sealedKey(inPHPSerialized: try #require(results[3] as? String)) == mine)
        #expect(results[4] as? String == mine)
    }

    struct Medical: Codable, Equatable {
        let blood_type: String
        let allergies: [String]
        let city: String
        let visits: Int
        let score: Double
    }

    @Test("user values and UserEncryptedJson with Laravel's real Encrypter, both ways")
    func userValues() throws {
        guard peerIsUsable(.php, requirement: "PHP") else { return }
        let key = try UserKey.generate()
        let crypt = try key.makeEncrypter()
        let texts = ["123-45-6789", "", "Zoë 😀 / \"quoted\"", String(repeating: "x", count: 5000)]
        let value = Medical(
            blood_type: "O+", allergies: ["penicillin", "Zürich/ZH"], city: "Zürich/ZH", visits: 3, score: 0.1)
        // Handwritten JSON text, in the struct's key order, with the escapes PHP may meet in the wild.
        let valueJSON =
            #"{"blood_type":"O+","allergies":["penicillin","Z\u00fcrich\/ZH"],"city":"Zürich/ZH","visits":3,"score":0.1}"#
        var items: [[String: Any]] = texts.map {
            ["op": "user_encrypt", "key": Self.b64(Self.raw(key)), "text": Self.b64(Array($0.utf8))]
        }
        items += try texts.map {
            ["op": "user_decrypt", "key": Self.b64(Self.raw(key)), "payload": try crypt.encryptString($0)]
        }
        items.append([
            "op": "user_json_encrypt", "key": Self.b64(Self.raw(key)), "json": Self.b64(Array(valueJSON.utf8)),
        ])
        items.append([
            "op": "user_json_decrypt", "key": Self.b64(Self.raw(key)),
            "payload": try crypt.encryptJSON(value, escapingUnicode: false),
        ])
        let results = try Self.php(items).results
        for (index, text) in texts.enumerated() {
            #expect(try crypt.decryptString(try #require(results[index] as? String)) == text)
            #expect(try Self.bytes(results[texts.count + index]) == Array(text.utf8))
        }
        let phpJSON = try #require(results[2 * texts.count] as? String)
        #expect(try crypt.decryptJSON(phpJSON, as: Medical.self) == value)
        // PHP's own json_encode bytes (JSON_UNESCAPED_UNICODE) are exactly what Swift writes.
        #expect(
            try crypt.decryptString(phpJSON)
                == String(decoding: try PHPJSONEncoder(escapesUnicode: false).encode(value), as: UTF8.self))
        let decoded = try #require((results[2 * texts.count + 1] as? [String: Any])?["value"] as? [String: Any])
        #expect(decoded["city"] as? String == "Zürich/ZH")
        #expect(decoded["allergies"] as? [String] == ["penicillin", "Zürich/ZH"])
        #expect((decoded["visits"] as? NSNumber)?.intValue == 3)
        #expect((decoded["score"] as? NSNumber)?.doubleValue == 0.1)
    }

    @Test("json_encode bytes, with and without JSON_UNESCAPED_UNICODE, and json_decode")
    func jsonBytes() throws {
        guard peerIsUsable(.php, requirement: "PHP") else { return }
        struct Sample: Codable, Equatable {
            let text: String
            let list: [Int]
            let nested: [String: [Double]]
            let flag: Bool
        }
        let samples: [Sample] = [
            Sample(
                text: "a/b \"c\" \\ \u{1}\u{1F}\u{7F} ü 😀 \u{2028}\u{2029} \t\n", list: [],
                nested: ["x": [0.1, 1, -2.5e-7, 1e25, 123456789.125]], flag: true),
            Sample(text: "", list: [1, -1, Int(Int32.max)], nested: [:], flag: false),
        ]
        // PHP decodes Swift's bytes and encodes them again with its own json_encode: any byte we
        // write differently from PHP (escapes, hex case, float text, key order) shows up.
        var items: [[String: Any]] = []
        for sample in samples {
            for unescaped in [true, false] {
                let swift = try PHPJSONEncoder(escapesUnicode: !unescaped).encode(sample)
                items.append(["op": "json_encode", "json": Self.b64(swift), "unescaped": unescaped])
            }
        }
        let results = try Self.php(items).results
        var cursor = 0
        for sample in samples {
            for unescaped in [true, false] {
                let php = try Self.bytes(results[cursor])
                let swift = try PHPJSONEncoder(escapesUnicode: !unescaped).encode(sample)
                #expect(
                    String(decoding: swift, as: UTF8.self) == String(decoding: php, as: UTF8.self),
                    "unescaped \(unescaped)")
                #expect(try PHPJSONDecoder().decode(Sample.self, from: php) == sample)
                cursor += 1
            }
        }
    }
}
