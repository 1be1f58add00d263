#if canImport(Glibc)
import Glibc
#endif

// The setting that turns the collectives' agreement check on and off (see
// Machinery/CollectiveAgreement.swift for what it checks and what it costs).

extension MPI {
    /// Whether collectives first check, in one extra MPI_Allreduce of seven
    /// integers that allocates nothing, that all ranks call the same
    /// collective with the same element size, counts and root, and that no
    /// rank's arguments were rejected; so that a mismatch is a thrown error on
    /// every rank instead of a hang, an overrun or data left for the next
    /// collective.
    ///
    /// On in debug builds of this package, off in release builds (it costs
    /// about as much as a small collective: see the README); the environment
    /// variable `SWIFT_MPI_VERIFY_COLLECTIVES=1` or `=0`, read at
    /// initialization, overrides both. Set it the same on every rank.
    @exclusivity(unchecked)
    nonisolated(unsafe) public static var verifiesCollectiveArguments: Bool = verifiesCollectiveArgumentsByDefault

    #if DEBUG
    internal static let verifiesCollectiveArgumentsByDefault = true
    #else
    internal static let verifiesCollectiveArgumentsByDefault = false
    #endif

    /// Applies `SWIFT_MPI_VERIFY_COLLECTIVES`, if set; called at initialization.
    internal static func readCollectiveVerificationSetting() {
        if let setting = getenv("SWIFT_MPI_VERIFY_COLLECTIVES") {
            verifiesCollectiveArguments = String(cString: setting) != "0"
        }
    }
}
