import Foundation

/// An external implementation (real PHP, or Python's libaegis binding) driven through one JSON
/// request on stdin and one JSON answer on stdout; see `Fixtures/php/interop.php`.
public struct Peer: Sendable {
    public let executable: String
    public let script: String

    /// A peer running `script` with `executable`.
    public init(executable: String, script: String) {
        self.executable = executable
        self.script = script
    }

    /// `Fixtures/php/interop.php`.
    public static let php = Peer(
        executable: "php", script: Repository.root.appendingPathComponent("Fixtures/php/interop.php").path)
    /// `Fixtures/aegis_interop.py`.
    public static let aegis = Peer(
        executable: "python3", script: Repository.root.appendingPathComponent("Fixtures/aegis_interop.py").path)

    /// Whether the peer runs here: PHP with sodium and Laravel's Encrypter, or Python with `aeg`.
    public var isAvailable: Bool {
        let probe =
            executable == "php"
            ? [
                "-r",
                "require '/usr/share/php/Illuminate/Encryption/autoload.php'; "
                    + "exit(function_exists('sodium_crypto_secretbox') && class_exists('Illuminate\\\\Encryption\\\\Encrypter') ? 0 : 1);",
            ]
            : ["-c", "import aeg.aegis256"]
        return (try? ProcessRunner.run(command: executable, probe))?.status == 0
    }

    /// Sends `items` for `cipher` and `key` (raw bytes) and returns the answers in order.
    public func call(cipher: String, key: [UInt8], items: [[String: Any]]) throws -> [Any] {
        let request: [String: Any] = ["cipher": cipher, "key": Data(key).base64EncodedString(), "items": items]
        let result = try ProcessRunner.run(
            command: executable, [script], input: try JSONSerialization.data(withJSONObject: request))
        guard result.status == 0,
            let answer = try JSONSerialization.jsonObject(with: result.output, options: [.fragmentsAllowed])
                as? [String: Any],
            let results = answer["results"] as? [Any]
        else {
            throw PeerError(
                message: "\(executable) failed (\(result.status)): \(String(decoding: result.errors, as: UTF8.self))")
        }
        return results
    }

    /// A peer that failed or answered nonsense.
    public struct PeerError: Error, CustomStringConvertible {
        /// What went wrong.
        public let message: String
        /// A peer error with `message`.
        public init(message: String) { self.message = message }
        /// The message.
        public var description: String { message }
    }
}
