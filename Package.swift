// swift-tools-version:6.1
import CompilerPluginSupport
import PackageDescription

// The system's MPI: Open MPI by default, MPICH with `--traits MPICH`. Each is
// a system library found through pkg-config; both export the C module CMPI.
let cmpi: [Target.Dependency] = [
    .target(name: "CMPIOpenMPI", condition: .when(traits: ["OpenMPI"])),
    .target(name: "CMPIMPICH", condition: .when(traits: ["MPICH"])),
]

let package = Package(
    name: "swift-mpi",
    products: [
        .library(name: "MPI", targets: ["MPI"]),
        // @MPIDatatype, in its own product so that MPI itself does not depend on swift-syntax.
        .library(name: "MPIMacros", targets: ["MPIMacros"]),
    ],
    traits: [
        .trait(name: "OpenMPI", description: "Build against Open MPI (pkg-config ompi-c, launcher mpirun.openmpi)."),
        .trait(name: "MPICH", description: "Build against MPICH (pkg-config mpich, launcher mpiexec.mpich) instead of Open MPI."),
        .default(enabledTraits: ["OpenMPI"]),
    ],
    dependencies: [
        // Only the benchmarks use it; the MPI library depends on nothing but MPI.
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // Only the macros use it.
        .package(url: "https://github.com/swiftlang/swift-syntax", from: "603.0.1"),
    ],
    targets: [
        // The system's MPI. Compile and link flags come from pkg-config only.
        .systemLibrary(
            name: "CMPIOpenMPI",
            path: "Sources/CMPI/OpenMPI",
            pkgConfig: "ompi-c",
            providers: [.apt(["libopenmpi-dev", "openmpi-bin"])]
        ),
        .systemLibrary(
            name: "CMPIMPICH",
            path: "Sources/CMPI/MPICH",
            pkgConfig: "mpich",
            providers: [.apt(["libmpich-dev", "mpich"])]
        ),
        // The fault handlers, in C so that they are async-signal-safe.
        .target(name: "CFaultHandler", dependencies: cmpi, path: "Sources/CFaultHandler"),
        .target(name: "MPI", dependencies: cmpi + ["CFaultHandler"]),

        // Examples: SPMD programs that check their own results; the tests run them.
        .executableTarget(name: "hello", dependencies: ["MPI"], path: "Examples/hello"),
        .executableTarget(name: "ring", dependencies: ["MPI"], path: "Examples/ring"),
        .executableTarget(name: "deadlock", dependencies: ["MPI"], path: "Examples/deadlock"),
        .executableTarget(name: "parallel-sum", dependencies: ["MPI"], path: "Examples/parallel-sum"),
        .executableTarget(name: "pi", dependencies: ["MPI"], path: "Examples/pi"),
        .executableTarget(name: "monte-carlo-pi", dependencies: ["MPI"], path: "Examples/monte-carlo-pi"),
        .executableTarget(name: "master-worker", dependencies: ["MPI"], path: "Examples/master-worker"),
        .executableTarget(name: "prefix-sum", dependencies: ["MPI"], path: "Examples/prefix-sum"),
        .executableTarget(name: "async-ring", dependencies: ["MPI"], path: "Examples/async-ring"),
        .executableTarget(name: "deadlock-async", dependencies: ["MPI"], path: "Examples/deadlock-async"),
        .executableTarget(name: "pool-map", dependencies: ["MPI"], path: "Examples/pool-map"),
        .executableTarget(name: "pipeline", dependencies: ["MPI"], path: "Examples/pipeline"),
        .executableTarget(name: "heat2d", dependencies: ["MPI"], path: "Examples/heat2d"),
        .executableTarget(name: "counter", dependencies: ["MPI"], path: "Examples/counter"),

        // OSU-method benchmarks against the public API (Benchmarks/README.md).
        .target(
            name: "BenchmarkLoops",
            dependencies: ["MPI"],
            path: "Benchmarks/BenchmarkLoops"
        ),
        .executableTarget(
            name: "mpi-bench",
            dependencies: [
                "MPI", "BenchmarkLoops",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/mpi-bench"
        ),
        // Its baseline in C against MPI directly (same loops, same options and output).
        .executableTarget(name: "mpi-bench-c", dependencies: cmpi, path: "Benchmarks/mpi-bench-c"),

        // Per-call instruction counts under callgrind (Benchmarks/scripts/callgrind.sh).
        .executableTarget(name: "mpi-callcost", dependencies: ["MPI"] + cmpi, path: "Benchmarks/callcost"),
        .executableTarget(name: "mpi-callcost-c", dependencies: cmpi, path: "Benchmarks/callcost-c"),

        // SPMD test programs launched under mpirun by the test suite.
        .target(name: "AllocationCounter", path: "Tests/AllocationCounter"),
        .target(name: "FaultInjection", path: "Tests/FaultInjection"),
        // The suites and their one registry, read by the programs, the tests and the sanitizer script.
        .target(
            name: "MPITestSuites",
            dependencies: ["MPI", "MPIMacros", "AllocationCounter", "FaultInjection", "BenchmarkLoops"],
            path: "Tests/MPITestSuites"
        ),
        .executableTarget(name: "mpi-test-programs", dependencies: ["MPITestSuites"], path: "Tests/Programs"),
        // What MPI itself writes past a short receive buffer, without a binding (Tests/GuardBytesC/table.sh).
        .executableTarget(name: "mpi-guard-bytes-c", dependencies: cmpi, path: "Tests/GuardBytesC"),
        // The programs issues ask to compile unchanged, each run by the tests.
        .executableTarget(name: "acceptance-foundation", dependencies: ["MPI"], path: "Tests/Acceptance/Foundation"),
        .executableTarget(name: "acceptance-collectives", dependencies: ["MPI"], path: "Tests/Acceptance/Collectives"),
        .executableTarget(name: "acceptance-concurrency", dependencies: ["MPI"], path: "Tests/Acceptance/Concurrency"),
        .testTarget(
            name: "MPITests",
            dependencies: ["MPITestSuites", "mpi-test-programs", "acceptance-foundation", "acceptance-collectives", "acceptance-objects",
                           "acceptance-concurrency", "hello", "ring", "deadlock", "async-ring", "deadlock-async",
                           "pool-map", "pipeline", "heat2d", "counter",
                           "parallel-sum", "pi", "monte-carlo-pi", "master-worker", "prefix-sum"],
            path: "Tests/MPITests"
        ),
        // In-process tests of logic that needs no second rank (and no MPI_Init).
        .testTarget(name: "MPIUnitTests", dependencies: ["MPI"], path: "Tests/MPIUnitTests"),
    ]
)

// @MPIDatatype: the macro's implementation (swift-syntax) and the module that declares it.
package.targets += [
    .macro(
        name: "MPIMacrosPlugin",
        dependencies: [
            .product(name: "SwiftSyntaxMacros", package: "swift-syntax"),
            .product(name: "SwiftCompilerPlugin", package: "swift-syntax"),
        ],
        path: "Sources/MPIMacrosPlugin"
    ),
    .target(name: "MPIMacros", dependencies: ["MPI", "MPIMacrosPlugin"]),
    // Issue 13's program: struct datatypes and object messages.
    .executableTarget(name: "acceptance-objects", dependencies: ["MPI", "MPIMacros"], path: "Tests/Acceptance/Objects"),
]
