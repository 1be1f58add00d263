extension TestSuite {
    /// The runs of Tests/Sanitizers/run.sh, printed by `mpi-test-programs
    /// --list`: one line per run or skip, at 2 ranks, six fields separated by
    /// tabs (bash reads them with `IFS=$'\t' read`, which merges empty fields,
    /// so an empty one is `-`):
    ///
    ///     SANITIZER  RUN  EXPECT  TIMEOUT  OPTIONS  ARGUMENTS
    ///
    /// SANITIZER is `address` or `thread`. EXPECT is `pass` (exit 0 and the
    /// passed line), `fail:TEXT` (non-zero exit, TEXT in the output),
    /// `report:PATTERN` (non-zero exit and the sanitizer's report) or
    /// `skip:WHY` (not run; the other fields are `-`). OPTIONS are `tcp` (TCP
    /// only between ranks) and `env:NAME=VALUE`, separated by spaces.
    /// ARGUMENTS are the program's: the suite's name.
    public static var sanitizerList: String {
        var lines: [String] = []
        for suite in all {
            for (sanitizer, run) in [("address", suite.address), ("thread", suite.thread)] {
                lines += suite.sanitizerLines(sanitizer, run)
            }
        }
        return lines.joined(separator: "\n")
    }

    func sanitizerLines(_ sanitizer: String, _ run: SanitizerRun) -> [String] {
        func line(_ name: String, _ expect: String, _ timeout: String, _ environment: [String: String],
                  tcpOnly: Bool = false) -> String {
            let options = (tcpOnly ? ["tcp"] : []) + environment.sorted { $0.key < $1.key }.map { "env:\($0)=\($1)" }
            return [sanitizer, name, expect, timeout, options.isEmpty ? "-" : options.joined(separator: " "), self.name]
                .joined(separator: "\t")
        }
        switch run {
        case .notRun:
            return []
        case .skipped(let why):
            return [line(name, "skip:\(why)", "-", [:])]
        case .reports(let pattern, let timeout):
            return [line(name, "report:\(pattern)", "\(timeout)", environment)]
        case .judged(let timeout):
            let expect: String
            switch outcome {
            case .passes: expect = "pass"
            case .endsJob(let reason, let afterRank, _, _): expect = "fail:" + (afterRank ? "rank 1 of 2 " : "") + reason
            case .killed: expect = "fail:"
            }
            return [line(name, expect, "\(timeout)", environment)]
                + variants.filter { sanitizer == "address" && $0.underAddressSanitizer }.map {
                    line("\(name)-\($0.name)", expect, "\(timeout)", environment.merging($0.environment) { $1 },
                         tcpOnly: $0.tcpOnly)
                }
        }
    }
}
