import Foundation
import LaravelCrypto
import LaravelCryptoTestSupport
import Testing

/// `PercentEncoding` against PHP's own `rawurlencode`/`rawurldecode` (what Symfony writes into
/// `Set-Cookie` and what PHP applies to an incoming `Cookie` header) on the same random texts:
/// dense in `%`, hex digits of both cases, malformed escapes and multi-byte characters.
@Suite("Percent-encoding against PHP")
struct PercentEncodingInteropTests {
    static let program = """
        $texts = json_decode(stream_get_contents(STDIN), true);
        $out = [];
        foreach ($texts as $text) { $out[] = [rawurlencode($text), base64_encode(rawurldecode($text))]; }
        echo json_encode($out);
        """

    static func randomTexts() -> [String] {
        let alphabet = Array("%%%%0123456789abcdefABCDEFgzZ+ /=.~-_é😀")
        func text(length: Int) -> String {
            String((0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count)] })
        }
        // Short texts hit the edges (an escape cut off at the end); long ones the runs between escapes.
        return (0..<3000).map { _ in text(length: Int.random(in: 0...12)) }
            + (0..<50).map { _ in text(length: Int.random(in: 100...5000)) } + ["", "%", "%4", "%41", "%%41"]
    }

    @Test func randomTextsEncodeAndDecodeAsPHPDoes() throws {
        guard peerIsUsable(.php, requirement: "PHP") else { return }
        let texts = Self.randomTexts()
        let result = try ProcessRunner.run(
            command: "php", ["-r", Self.program], input: try JSONSerialization.data(withJSONObject: texts))
        let answers = try #require(
            try JSONSerialization.jsonObject(with: result.output) as? [[String]],
            "php failed: \(String(decoding: result.errors, as: UTF8.self))")
        try #require(answers.count == texts.count)
        var undecodable = 0
        for (text, answer) in zip(texts, answers) {
            #expect(PercentEncoding.encode(text) == answer[0], "rawurlencode(\(text.debugDescription))")
            let phpBytes = try #require(Data(base64Encoded: answer[1]))
            // PHP returns any bytes; ours returns a String, so text that decodes to invalid UTF-8 is nil.
            if let expected = String(validating: Array(phpBytes), as: UTF8.self) {
                #expect(PercentEncoding.decode(text) == expected, "rawurldecode(\(text.debugDescription))")
            } else {
                undecodable += 1
                #expect(PercentEncoding.decode(text) == nil, "rawurldecode(\(text.debugDescription)) is not UTF-8")
            }
        }
        // The texts exercise both outcomes.
        #expect(undecodable > 0 && undecodable < texts.count)
    }
}
