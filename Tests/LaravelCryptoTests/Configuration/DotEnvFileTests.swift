import Foundation
import LaravelCrypto
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("Reading a .env file")
struct DotEnvFileTests {
    func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dotenv-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    func refusal(_ path: String) -> ConfigurationError? {
        do {
            _ = try AppConfiguration.fromDotEnvFile(atPath: path, environmentWins: false)
            return nil
        } catch let error as ConfigurationError {
            return error
        } catch {
            return nil
        }
    }

    @Test func aRegularFileAndALinkToOneAreRead() throws {
        let directory = try folder()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data("APP_CIPHER=aes-256-cbc\n".utf8).write(to: URL(fileURLWithPath: "\(directory)/real.env"))
        try FileManager.default.createSymbolicLink(atPath: "\(directory)/.env", withDestinationPath: "real.env")
        #expect(
            try AppConfiguration.fromDotEnvFile(atPath: "\(directory)/.env", environmentWins: false)["APP_CIPHER"]
                == "aes-256-cbc")
        // Exactly at the limit is fine (a 1 MiB comment block), one byte more is not.
        let limit = 1 << 20
        try Data(("#" + String(repeating: "x", count: limit - 25) + "\nAPP_CIPHER=aes-128-cbc\n").utf8).write(
            to: URL(fileURLWithPath: "\(directory)/big.env"))
        #expect(try FileManager.default.attributesOfItem(atPath: "\(directory)/big.env")[.size] as? Int == limit)
        #expect(
            try AppConfiguration.fromDotEnvFile(atPath: "\(directory)/big.env", environmentWins: false)["APP_CIPHER"]
                == "aes-128-cbc")
        try Data(repeating: 0x23, count: limit + 1).write(to: URL(fileURLWithPath: "\(directory)/huge.env"))
        #expect(
            refusal("\(directory)/huge.env")
                == .refusedFile(
                    path: "\(directory)/huge.env", reason: "it holds more than the limit of 1048576 bytes for this file"
                ))
    }

    @Test func fifosDevicesFoldersAndMissingFilesAreRefusedAtOnce() throws {
        let directory = try folder()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(mkfifo("\(directory)/fifo.env", 0o600) == 0)
        #expect(
            refusal("\(directory)/fifo.env")
                == .refusedFile(path: "\(directory)/fifo.env", reason: "it is a FIFO, not a regular file"))
        try FileManager.default.createSymbolicLink(atPath: "\(directory)/zero.env", withDestinationPath: "/dev/zero")
        #expect(
            refusal("\(directory)/zero.env")
                == .refusedFile(path: "\(directory)/zero.env", reason: "it is a character device, not a regular file"))
        #expect(refusal(directory) == .refusedFile(path: directory, reason: "it is a folder, not a regular file"))
        #expect(refusal("\(directory)/missing.env") == .unreadableFile(path: "\(directory)/missing.env"))
        #expect(
            ConfigurationError.refusedFile(path: "/x/.env", reason: "it is a FIFO, not a regular file").description
                == "The environment file /x/.env was not read: it is a FIFO, not a regular file.")
    }

    @Test func theGrammarIsLinearAndByteBased() {
        // A two-million-mark line is one grapheme cluster; the byte scan does not care.
        let marks = String(repeating: "\u{301}", count: 2_000_000)
        let values = DotEnv.parse(
            "A=x\(marks)\nB=\"q\\\"t\" # note\r\nexport  C = 'lit # not a comment'\n\tD=bare value\t# gone\nÉ=1\n")
        #expect(values["A"]?.unicodeScalars.count == 2_000_001)
        #expect(values["B"] == "q\"t")
        #expect(values["C"] == "lit # not a comment")
        #expect(values["D"] == "bare value")
        #expect(values["É"] == nil, "phpdotenv names are A-Z a-z 0-9 _ .")
        #expect(DotEnv.parse("K=\"a\\nb\"")["K"] == "a\nb")
    }
}
