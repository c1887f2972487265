import Foundation
import LaravelCryptoTestSupport
import Testing

@testable import LaravelCrypto

/// File formats: the spec §9.2 vectors, the chunking formula, damage of every kind per driver, key
/// rotation, atomic output and streams.
@Suite("File encryption")
struct FileEncrypterTests {
    static let appKey = "base64:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
    static let n24 = (0..<24).map { UInt8(0x40 + $0) }
    static let hello = Array("hello".utf8)

    static var drivers: [FileEncrypter.Driver] {
        var drivers: [FileEncrypter.Driver] = [.secretStream, .xsalsaHMAC]
        for cipher in Cipher.allCases where cipher.unavailabilityReason == nil { drivers.append(.native(cipher)) }
        return drivers
    }

    static func key(for driver: FileEncrypter.Driver) -> String {
        if case .native(let cipher) = driver, cipher.keyByteCount == 16 { return "base64:AAECAwQFBgcICQoLDA0ODw==" }
        return appKey
    }

    func encrypt(_ plaintext: [UInt8], _ files: FileEncrypter, header: [UInt8]? = nil) throws -> [UInt8] {
        let stream = try files.makeEncryptionStream(fixedHeader: header)
        return try stream.update(plaintext) + stream.finish()
    }

    func decrypt(_ ciphertext: [UInt8], _ files: FileEncrypter, pieceSize: Int = 1000) throws -> [UInt8] {
        let stream = try files.makeDecryptionStream()
        var out: [UInt8] = []
        var offset = 0
        while offset < ciphertext.count {
            let end = min(ciphertext.count, offset + pieceSize)
            out += try stream.update(Array(ciphertext[offset..<end]))
            offset = end
        }
        return out + (try stream.finish())
    }

    @Test("§9.2 file vectors: XSalsa20 + HMAC, Native XChaCha, SecretStream decrypt")
    func vectors() throws {
        let xsalsa = try FileEncrypter(driver: .xsalsaHMAC, key: Self.appKey)
        #expect(
            Hex.encode(try encrypt(Self.hello, xsalsa, header: Self.n24))
                == "404142434445464748494a4b4c4d4e4f5051525354555657b2ef426297834fff678b1c3b00c8547afc76857596a2a98dc912ba9e7874b5a00389a600ee"
        )
        #expect(
            Hex.encode(try encrypt([], xsalsa, header: Self.n24))
                == "404142434445464748494a4b4c4d4e4f5051525354555657fbd76530aa8e62f31e31a978823d66e46ea7758430275513661ed530d94bb91b"
        )
        let native = try FileEncrypter(driver: .native(.xChaCha20Poly1305), key: Self.appKey)
        #expect(
            Hex.encode(try encrypt(Self.hello, native, header: Self.n24))
                == "404142434445464748494a4b4c4d4e4f5051525354555657bc5c691cbff91495f3fd6ccaad09f2295a78274947")
        let secretStream = try FileEncrypter(driver: .secretStream, key: Self.appKey)
        let vector = [UInt8](
            hex: "143be4068087cc222f2fcefbc348857150f18d191a06e599799db012664cd0640f99759d61c007d3c06e4f74a4b0")
        #expect(try decrypt(vector, secretStream) == Self.hello)
    }

    @Test(
        "sizes follow upstream's chunking rule, and every driver round-trips",
        arguments: [0, 1, 5, 8191, 8192, 8193, 16384, 24576, 102_400])
    func sizes(count: Int) throws {
        var rng = SplitMix64(seed: UInt64(count))
        let plaintext = (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        for driver in Self.drivers {
            let files = try FileEncrypter(driver: driver, key: Self.key(for: driver))
            let layout = files.layout
            let ciphertext = try encrypt(plaintext, files)
            let full = count / 8192, rest = count % 8192
            var expected =
                FileChunkCipher.headerByteCount(layout) + full * FileChunkCipher.sealedCount(layout, plaintext: 8192)
            if FileChunkCipher.hasFinalMarker(layout) || rest > 0 {
                expected += FileChunkCipher.sealedCount(layout, plaintext: rest)
            }
            #expect(ciphertext.count == expected, "\(driver) \(count)")
            for piece in [1, 4096, 8209, 65536] {
                #expect(
                    try decrypt(ciphertext, files, pieceSize: piece) == plaintext,
                    "\(driver) \(count) in pieces of \(piece)")
            }
        }
        if count == 8192 {
            let sizes = [(FileEncrypter.Driver.secretStream, 8250), (.xsalsaHMAC, 24 + 8224 + 32)]
            for (driver, size) in sizes {
                #expect(try encrypt(plaintext, FileEncrypter(driver: driver, key: Self.appKey)).count == size)
            }
        }
    }

    @Test("damage per driver: every cut, flips, appended bytes, swapped and deleted chunks, wrong key")
    func damage() throws {
        var rng = SplitMix64(seed: 77)
        // A multiple of the chunk size: the final chunk is empty.
        let plaintext = (0..<(3 * 8192)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        for driver in Self.drivers {
            let files = try FileEncrypter(driver: driver, key: Self.key(for: driver))
            let ciphertext = try encrypt(plaintext, files)
            let layout = files.layout
            let header = FileChunkCipher.headerByteCount(layout),
                chunk = FileChunkCipher.sealedCount(layout, plaintext: 8192)
            let marked = FileChunkCipher.hasFinalMarker(layout)
            // Cuts: inside the header → invalidHeader; anywhere else → an error, except, for Native, a cut
            // exactly at a chunk boundary (no final marker: documented, as upstream).
            for length in stride(from: 0, to: ciphertext.count, by: 1 + ciphertext.count / 97) + [
                header, ciphertext.count - 1,
            ] {
                let cut = Array(ciphertext.prefix(length))
                let atBoundary = length >= header && (length - header) % chunk == 0
                if !marked && atBoundary {
                    #expect(
                        try decrypt(cut, files) == Array(plaintext.prefix((length - header) / chunk * 8192)),
                        "\(driver) native prefix \(length)")
                } else {
                    #expect(throws: FileEncryptionError.self, "\(driver) cut to \(length)") { try decrypt(cut, files) }
                }
            }
            if marked {
                #expect(throws: FileEncryptionError.truncated) { try decrypt(Array(ciphertext.prefix(header)), files) }
                #expect(throws: FileEncryptionError.truncated) {
                    try decrypt(Array(ciphertext.prefix(header + 3 * chunk)), files)
                }
                #expect(throws: FileEncryptionError.self) { try decrypt(ciphertext + [0], files) }
            }
            #expect(throws: FileEncryptionError.invalidHeader) {
                try decrypt(Array(ciphertext.prefix(header - 1)), files)
            }
            let isCBC: Bool
            if case .native(let cipher) = driver {
                isCBC = cipher == .laravelAES128CBC || cipher == .laravelAES256CBC
            } else {
                isCBC = false
            }
            for position in [0, header - 1, header, header + chunk + 100, ciphertext.count - 1] {
                var flipped = ciphertext
                flipped[position] ^= 0x01
                if isCBC && position < header {
                    // Spec §13.1: the CBC chunk MAC does not cover the nonce (the IV); a flipped header
                    // changes the first block silently, as upstream.
                    #expect(try decrypt(flipped, files) != plaintext)
                } else {
                    #expect(throws: FileEncryptionError.self, "\(driver) flip at \(position)") {
                        try decrypt(flipped, files)
                    }
                }
            }
            // Swapped and deleted chunks.
            let first = Array(ciphertext[header..<(header + chunk)]),
                second = Array(ciphertext[(header + chunk)..<(header + 2 * chunk)])
            let swapped = Array(ciphertext[..<header]) + second + first + Array(ciphertext[(header + 2 * chunk)...])
            let deleted = Array(ciphertext[..<header]) + second + Array(ciphertext[(header + 2 * chunk)...])
            if case .native(let cipher) = driver, cipher == .laravelAES128CBC || cipher == .laravelAES256CBC {
                // Spec §13.1: the CBC chunk MAC does not cover the nonce, so these go through (as upstream).
                #expect(try decrypt(swapped, files) != plaintext)
                #expect(try decrypt(deleted, files).count == 2 * 8192)
            } else {
                #expect(throws: FileEncryptionError.self, "\(driver) swapped") { try decrypt(swapped, files) }
                #expect(throws: FileEncryptionError.self, "\(driver) deleted") { try decrypt(deleted, files) }
            }
            let other = try FileEncrypter(
                driver: driver,
                key: "base64:"
                    + Data(repeating: 9, count: Self.key(for: driver) == Self.appKey ? 32 : 16).base64EncodedString())
            #expect(throws: FileEncryptionError.authenticationFailed, "\(driver) wrong key") {
                try decrypt(ciphertext, other)
            }
        }
    }

    @Test("previous keys decrypt; keys of the wrong size are refused")
    func rotation() throws {
        let old = "base64:" + Data(repeating: 1, count: 32).base64EncodedString()
        let new = "base64:" + Data(repeating: 2, count: 32).base64EncodedString()
        for driver in [FileEncrypter.Driver.secretStream, .xsalsaHMAC, .native(.xChaCha20Poly1305)] {
            let ciphertext = try encrypt(Self.hello, FileEncrypter(driver: driver, key: old))
            #expect(try decrypt(ciphertext, FileEncrypter(driver: driver, key: new, previousKeys: [old])) == Self.hello)
            #expect(throws: FileEncryptionError.authenticationFailed) {
                try decrypt(ciphertext, FileEncrypter(driver: driver, key: new))
            }
        }
        #expect(throws: KeyError.self) {
            try FileEncrypter(driver: .secretStream, key: "base64:AAECAwQFBgcICQoLDA0ODw==")
        }
        #expect(throws: KeyError.self) { try FileEncrypter(driver: .native(.aegis128L), key: Self.appKey) }
        #expect(throws: KeyError.self) {
            try FileEncrypter(driver: .xsalsaHMAC, key: Self.appKey, previousKeys: ["0011"])
        }
    }

    @Test("files: atomic output, nothing left behind on failure, existing destination untouched")
    func atomicFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lc-files-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
        var rng = SplitMix64(seed: 5)
        let plaintext = Data((0..<300_000).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
        #expect(FileManager.default.createFile(atPath: path("plain"), contents: plaintext))
        let files = try FileEncrypter(key: Self.appKey)
        try files.encryptFile(atPath: path("plain"), toPath: path("enc"))
        try files.decryptFile(atPath: path("enc"), toPath: path("out"))
        #expect(FileManager.default.contents(atPath: path("out")) == plaintext)
        // A damaged file: no output, the old destination untouched, no temporary file left.
        var damaged = try #require(FileManager.default.contents(atPath: path("enc")))
        damaged[damaged.count - 5] ^= 1
        #expect(FileManager.default.createFile(atPath: path("damaged"), contents: damaged))
        #expect(throws: FileEncryptionError.self) {
            try files.decryptFile(atPath: path("damaged"), toPath: path("fresh"))
        }
        #expect(!FileManager.default.fileExists(atPath: path("fresh")))
        #expect(FileManager.default.createFile(atPath: path("existing"), contents: Data("keep me".utf8)))
        #expect(throws: FileEncryptionError.self) {
            try files.decryptFile(atPath: path("damaged"), toPath: path("existing"))
        }
        #expect(FileManager.default.contents(atPath: path("existing")) == Data("keep me".utf8))
        #expect(throws: FileEncryptionError.self) { try files.encryptFile(atPath: path("missing"), toPath: path("x")) }
        #expect(throws: FileEncryptionError.self) {
            try files.encryptFile(atPath: path("plain"), toPath: path("no/such/folder/x"))
        }
        // A destination that is a symbolic link is written through; a dangling one is refused.
        try FileManager.default.createDirectory(atPath: path("shared"), withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: path("shared/out"), contents: Data("old".utf8)))
        try FileManager.default.createSymbolicLink(atPath: path("link"), withDestinationPath: "shared/out")
        try files.decryptFile(atPath: path("enc"), toPath: path("link"))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: path("link")) == "shared/out")
        #expect(FileManager.default.contents(atPath: path("shared/out")) == plaintext)
        try FileManager.default.createSymbolicLink(atPath: path("dangling"), withDestinationPath: "shared/missing")
        #expect(throws: FileEncryptionError.self) {
            try files.decryptFile(atPath: path("enc"), toPath: path("dangling"))
        }
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: path("dangling")) == "shared/missing")
        let leftovers =
            try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(".") }
            + FileManager.default.contentsOfDirectory(atPath: path("shared")).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    /// A FIFO (or a device) is refused at once, not read: opening a FIFO would otherwise wait for
    /// a writer for ever. Each call gets its own FIFO and a writer that opens it two seconds
    /// later, so a regression fails the test (the refusal came after the writer) instead of
    /// hanging it.
    @Test("files: a FIFO as input is refused without waiting for a writer")
    func fifoInputIsRefused() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lc-fifo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = try FileEncrypter(key: Self.appKey)
        let output = folder.appendingPathComponent("out").path
        let calls: [(String, (String) throws -> Void)] = [
            ("encryptFile", { try files.encryptFile(atPath: $0, toPath: output) }),
            ("decryptFile", { try files.decryptFile(atPath: $0, toPath: output) }),
            ("SHA-512 hashFile", { _ = try SHA512Hasher().hashFile(atPath: $0) }),
        ]
        for (index, (name, call)) in calls.enumerated() {
            let fifo = folder.appendingPathComponent("fifo\(index)").path
            #expect(mkfifo(fifo, 0o600) == 0)
            let writerOpened = LockedFlag()
            let writer = Thread {
                Thread.sleep(forTimeInterval: 2)
                writerOpened.set()
                let handle = FileHandle(forWritingAtPath: fifo)
                try? handle?.write(contentsOf: Data("unblocked".utf8))
                try? handle?.close()
            }
            writer.start()
            #expect(throws: FileEncryptionError.self, "\(name)") { try call(fifo) }
            #expect(!writerOpened.isSet, "\(name) refused the FIFO only once a writer had opened it")
            // Let the writer finish: its open waits for a reader.
            let reader = open(fifo, O_RDONLY | O_NONBLOCK)
            while !writerOpened.isSet { Thread.sleep(forTimeInterval: 0.05) }
            Thread.sleep(forTimeInterval: 0.2)
            if reader >= 0 { close(reader) }
        }
        #expect(throws: FileEncryptionError.self) { try files.encryptFile(atPath: "/dev/zero", toPath: output) }
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test("async sequences in and out")
    func asyncStreams() async throws {
        let files = try FileEncrypter(driver: .xsalsaHMAC, key: Self.appKey)
        let pieces: [[UInt8]] = [
            Array(repeating: 1, count: 5000), Array(repeating: 2, count: 12000), [], Array(repeating: 3, count: 1),
        ]
        var ciphertext: [UInt8] = []
        for try await piece in files.encrypt(AsyncStreamOf(pieces)) { ciphertext += piece }
        var plaintext: [UInt8] = []
        for try await piece in files.decrypt(AsyncStreamOf([ciphertext])) { plaintext += piece }
        #expect(plaintext == pieces.flatMap { $0 })
        var thrown = false
        do {
            for try await _ in files.decrypt(AsyncStreamOf([Array(ciphertext.dropLast())])) {}
        } catch { thrown = true }
        #expect(thrown)
    }
}

/// A finite async sequence of byte pieces.
struct AsyncStreamOf: AsyncSequence, Sendable {
    let pieces: [[UInt8]]
    init(_ pieces: [[UInt8]]) { self.pieces = pieces }
    struct AsyncIterator: AsyncIteratorProtocol {
        var rest: [[UInt8]]
        mutating func next() async -> [UInt8]? { rest.isEmpty ? nil : rest.removeFirst() }
    }
    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(rest: pieces) }
}

/// A flag one thread sets and another reads.
private final class LockedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}
