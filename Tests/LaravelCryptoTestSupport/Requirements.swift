import Foundation

/// Whether a test that needs `name` must run (CI sets `REQUIRE_<name>=1`) rather than skip.
public func isRequired(_ name: String) -> Bool {
    ProcessInfo.processInfo.environment["REQUIRE_\(name)"] == "1"
}

/// Interop tests skip with a loud notice when the peer is missing, unless CI requires it (then
/// they run, and fail).
public func peerIsUsable(_ peer: Peer, requirement: String) -> Bool {
    if peer.isAvailable { return true }
    if isRequired(requirement) { return true }
    print("⚠️  SKIPPING interop with \(peer.executable): not installed here (CI sets REQUIRE_\(requirement)=1).")
    return false
}
