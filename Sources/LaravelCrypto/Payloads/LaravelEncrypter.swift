struct LaravelEncrypter: Encrypter {
    let cipher: Cipher
    init(cipher: Cipher, keys: KeyRing, options: EncrypterOptions) throws {
        throw CipherError.unavailable(cipher: cipher.rawValue, reason: "not yet supported")
    }
    func encryptBytes(_ plaintext: [UInt8]) throws -> String { "" }
    func decryptBytes(_ payload: String) throws -> [UInt8] { [] }
    func encryptString(_ text: String) throws -> String { "" }
    func decryptString(_ payload: String) throws -> String { "" }
}
