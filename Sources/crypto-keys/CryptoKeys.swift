@main struct CryptoKeys { static func main() {} }
