@main struct CryptoBench { static func main() {} }
