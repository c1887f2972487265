import Testing

@testable import LaravelCrypto

/// ``CookieHeader``'s rules on fixed cases; PHPInteropTests compares it with PHP's own parser on
/// thousands of random headers.
@Suite("Cookie header")
struct CookieHeaderTests {
    func read(_ lines: String...) -> [String] {
        CookieHeader.cookies(in: lines).map { "\($0.name)=\($0.rawValue)" }
    }

    @Test func pairsAreSplitAsPHPSplitsThem() {
        #expect(read("a=1; b=2", "c=3") == ["a=1", "b=2", "c=3"])
        #expect(read(" \t a=1;;=v; ;noValue") == ["a=1", "noValue="])
        #expect(read("a=1,b=2; q=\" x \"") == ["a=1,b=2", "q=\" x \""])
        #expect(read("a=1; a=2") == ["a=1"])
        #expect(read("a=b=c") == ["a=b=c"])
        #expect(read("a=1\u{0}; b=2", "c=3") == ["a=1", "c=3"])
    }

    @Test func namesAreNotPercentDecodedAndDotsAndSpacesBecomeUnderscores() {
        #expect(read("%5F_Host-id=1; a.b=2; c d=3") == ["%5F_Host-id=1", "a_b=2", "c_d=3"])
        let cookie = CookieHeader.cookies(in: ["x=a+b%2Bc%zz"])[0]
        #expect(cookie.rawValue == "a+b%2Bc%zz")
        #expect(cookie.value == "a+b+c%zz")
    }

    @Test func namesThatOnlyManglingMakesHostOrSecureAreDropped() {
        #expect(read("..Host-id=1; _.Host-id=2; _[Host-id=3; _ Secure-id=4; __Host-id=5") == ["__Host-id=5"])
        #expect(read("__Host-id[a]=1; _.Host-id[b]=2; __Secure-x=3") == ["__Host-id[a]=1", "__Secure-x=3"])
    }

    @Test func arrayCookiesAreFlattenedUnderLaravelsNames() {
        let cookies = CookieHeader.cookies(in: ["cart[id]=5; cart[q ty]=2; a.b[c.d][e]=1"])
        #expect(cookies.map(\.name) == ["cart[id]", "cart[q ty]", "a_b[c.d][e]"])
        #expect(cookies.map(\.baseName) == ["cart", "cart", "a_b"])
        #expect(read("x[]=1; x[]=2; x[7]=3; x[]=4") == ["x[0]=1", "x[1]=2", "x[7]=3", "x[8]=4"])
        #expect(read("x[-3]=1; x[]=2; x[01]=3; x[-0]=4") == ["x[-3]=1", "x[-2]=2", "x[01]=3", "x[-0]=4"])
        #expect(read("x[9223372036854775807]=1; x[]=2") == ["x[9223372036854775807]=1"])
    }

    @Test func collisionsResolveAsInPHP() {
        #expect(read("a=1; a[x]=2; a=3") == ["a[x]=2"])
        #expect(read("a[x]=1; a=2; a[x]=3") == ["a[x]=3"])
        #expect(read("a[b]=1; a[b][c]=2") == ["a[b][c]=2"])
        #expect(read("a[b][c]=1; a[b]=2; z=0") == ["a[b]=2", "z=0"])
    }

    @Test func unterminatedBracketsAndTrailingText() {
        #expect(read("a[b.c d=1; e[f][g=2; h[][i=3; j[k]l[m]=4") == ["a_b_c_d=1", "e[f]=2", "h[0]=3", "j[k]=4"])
        #expect(read("[a]=1; ]=2") == ["]=2"])
    }

    @Test func nestingDeeperThanPHPsLimitRemovesTheCookie() {
        let limit = CookieHeader.maximumNestingLevel
        let deep = { (levels: Int) in "d" + String(repeating: "[x]", count: levels) + "=1" }
        #expect(CookieHeader.cookies(in: [deep(limit)]).count == 1)
        #expect(read("d=0; z=1; " + deep(limit + 1) + "; y=2") == ["z=1", "y=2"])
    }

    @Test func atMostPHPsCountOfPairsIsRead() {
        let pairs = (1...(CookieHeader.maximumCookieCount + 10)).map { "c\($0)=\($0)" }
        let cookies = CookieHeader.cookies(in: [pairs.joined(separator: "; ")])
        #expect(cookies.count == CookieHeader.maximumCookieCount)
        #expect(cookies.last?.name == "c\(CookieHeader.maximumCookieCount)")
    }

    /// Hostile headers cost time in proportion to their length: 100 000-deep nesting, a megabyte of
    /// `[` with no `]`, a megabyte of `;`, 1000 cookies of 1 KiB names each appended to one array.
    @Test func hostileHeadersAreLinear() {
        let million = 1 << 20
        #expect(CookieHeader.cookies(in: ["d" + String(repeating: "[x]", count: 100_000) + "=1"]).isEmpty)
        #expect(CookieHeader.cookies(in: ["a" + String(repeating: "[", count: million) + "=1"]).count == 1)
        #expect(CookieHeader.cookies(in: [String(repeating: ";", count: million)]).isEmpty)
        let wide = (0..<1000).map { _ in "a[]" + String(repeating: "k", count: 1024) + "=v" }.joined(separator: ";")
        #expect(CookieHeader.cookies(in: [wide]).count == 1000)
    }
}
