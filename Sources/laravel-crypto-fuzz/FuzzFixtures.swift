import Foundation
import LaravelCrypto

/// Encrypters over fixed keys, built once per process, and valid inputs to seed each corpus.
final class FuzzFixtures: Sendable {
    static let shared = FuzzFixtures()

    /// The fixed 32-byte key (bytes 0…31) as Laravel writes it.
    static let appKey = "base64:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="

    let compactEncrypters: [any Encrypter]
    let laravelEncrypters: [any Encrypter]
    let cookieEncrypters: [CookieEncrypter]
    let migration: MigrationEncrypter?
    let vault: UserKeyVault?
    let fileEncrypters: [FileEncrypter]

    private init() {
        func key(_ count: Int) -> EncryptionKey? { try? EncryptionKey(bytes: (0..<count).map { UInt8($0) }) }
        func ring(_ cipher: Cipher) -> KeyRing? { key(cipher.keyByteCount).map { KeyRing(current: $0) } }
        let compact: [Cipher] = [.aegis256, .aegis128L, .aes256GCM, .xChaCha20Poly1305, .secretBox]
        let laravel: [Cipher] = [.laravelAES128CBC, .laravelAES256CBC, .laravelAES128GCM, .laravelAES256GCM]
        // AEGIS needs libsodium ≥ 1.0.19; on an older one those ciphers are left out.
        compactEncrypters = compact.compactMap { cipher in
            ring(cipher).flatMap { try? cipher.makeEncrypter(keyRing: $0) }
        }
        laravelEncrypters = laravel.compactMap { cipher in
            ring(cipher).flatMap { try? cipher.makeEncrypter(keyRing: $0) }
        }
        let configurations = [Cipher.laravelAES256CBC, .xChaCha20Poly1305].compactMap { cipher in
            ring(cipher).map { CipherConfiguration(cipher: cipher, keys: $0) }
        }
        cookieEncrypters = configurations.flatMap { configuration in
            [false, true].compactMap { try? CookieEncrypter(configuration: configuration, serializesValues: $0) }
        }
        migration =
            configurations.count == 2
            ? try? MigrationEncrypter(writing: configurations[1], reading: [configurations[0]]) : nil
        vault = try? UserKeyVault(appKey: Self.appKey, cost: .interactive)
        let drivers: [FileEncrypter.Driver] = [
            .secretStream, .xsalsaHMAC, .native(.laravelAES256CBC), .native(.xChaCha20Poly1305),
        ]
        fileEncrypters = drivers.compactMap { driver in
            key(32).flatMap { try? FileEncrypter(driver: driver, keys: KeyRing(current: $0)) }
        }
    }

    /// Valid inputs for `target` (the selector byte first where the target takes one).
    func seeds(for target: FuzzTarget) -> [[UInt8]] {
        let plaintexts = ["", "x", "hello, world", String(repeating: "é", count: 300)]
        switch target {
        case .base64:
            return [Array("aGVsbG8=".utf8), Array("aGVsbG8".utf8), Array("a-_b".utf8), Array(" aG Vs\nbG8= ".utf8)]
        case .compactPayload:
            return selected(compactEncrypters) { encrypter in plaintexts.compactMap { try? encrypter.encryptString($0) }
            }
        case .laravelEnvelope:
            return selected(laravelEncrypters) { encrypter in plaintexts.compactMap { try? encrypter.encryptString($0) }
            }
        case .cookie:
            let headers = [
                "laravel_session=eyJpdiI6IkFBQUEifQ%3D%3D; XSRF-TOKEN=x; cart[id]=1; cart[]=2",
                " a.b=1;;c d[e.f][]=2;noValue\n__Host-id=3; _.Host-id=4; x[-3]=5; x[]=6; y[a[b=7",
            ]
            return selected(cookieEncrypters) { cookie in
                plaintexts.compactMap { try? cookie.encrypt($0, forCookieNamed: "laravel_session") }
            } + headers.map { [0xC0] + Array($0.utf8) }
        case .phpUnserialize:
            return [
                #"a:2:{s:4:"name";s:3:"Ann";s:4:"tags";a:2:{i:0;s:1:"a";i:1;s:1:"b";}}"#, "i:5;", "d:0.5;", "b:1;",
                "N;",
                #"a:1:{s:6:"nested";a:1:{i:0;a:2:{i:0;i:1;i:1;i:-2;}}}"#, "d:INF;", #"s:3:"é!";"#,
            ].map { Array($0.utf8) }
        case .phpJSON:
            return [
                #"{"name":"Ann","age":3,"score":0.5,"tags":["a","\u00e9"],"scores":{"x":1.5},"nested":[[1,2],[]],"flag":true}"#,
                "[1,2,3]", #""\ud83d\ude00""#, "-1.5e3", "null",
            ].map { Array($0.utf8) }
        case .dotEnv:
            return [
                "APP_KEY=base64:AAAA\nAPP_CIPHER=aes-256-cbc\n",
                "export A=\"q\\\"t\" # c\r\nB='lit'\n# comment\n\nC=bare value # gone",
            ]
            .map { Array($0.utf8) }
        case .keyText:
            return [Self.appKey, "\(Self.appKey),base64:AAAA", String(repeating: "ab", count: 32), "0123456789abcdef"]
                .map { Array($0.utf8) }
        case .migration:
            let old = laravelEncrypters.count > 1 ? laravelEncrypters[1] : nil
            return plaintexts.flatMap { text in
                [old.flatMap { try? $0.encryptString(text) }, try? migration?.encryptString(text)].compactMap { $0 }
            }
            .map { Array($0.utf8) }
        case .userKey:
            guard let key = try? UserKey(bytes: (0..<32).map { UInt8($0) }) else { return [] }
            var seeds: [[UInt8]] = [[0] + Array(key.token.utf8)]
            if let blob = try? vault?.wrap(key, userID: "42") { seeds.append([1] + blob) }
            if let sealed = try? SealedJobKey.seal(key, appKey: Self.appKey) {
                seeds.append([2] + Array(sealed.utf8))
                if let object = try? SealedJobKey.phpSerializedObject(sealed) { seeds.append([3] + Array(object.utf8)) }
            }
            return seeds
        case .fileStream:
            return fileEncrypters.enumerated().flatMap { index, files -> [[UInt8]] in
                [0, 100, 8192, 9000].compactMap { length -> [UInt8]? in
                    guard let stream = try? files.makeEncryptionStream(),
                        let head = try? stream.update([UInt8](repeating: 7, count: length)),
                        let tail = try? stream.finish()
                    else { return nil }
                    return [UInt8(index)] + head + tail
                }
            }
        }
    }

    /// Writes ``seeds(for:)`` into `folder` (created if needed) and returns how many.
    func writeSeeds(for target: FuzzTarget, into folder: String) throws -> Int {
        let url = URL(fileURLWithPath: folder)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        let seeds = seeds(for: target)
        for (index, seed) in seeds.enumerated() {
            try Data(seed).write(to: url.appendingPathComponent("seed-\(index)"))
        }
        return seeds.count
    }

    /// Seeds for the targets whose first byte picks one of `items`.
    private func selected<Item>(_ items: [Item], _ payloads: (Item) -> [String]) -> [[UInt8]] {
        items.enumerated().flatMap { index, item in payloads(item).map { [UInt8(index)] + Array($0.utf8) } }
    }
}
