#!/usr/bin/env python3
"""Where one call's instructions go: the inclusive instructions of each
function per extra iteration, between a run at FEW and one at MANY iterations
(the callgrind.sh output folders), demangled.

  Benchmarks/scripts/callgrind_per_call.py bench-results/callgrind mpi-callcost isend-wait [FEW MANY [DIVISOR]]
"""
import re
import subprocess
import sys

def inclusive(path):
    text = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", path],
                          capture_output=True, text=True).stdout
    costs = {}
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if "file:function" in line) + 2
    for line in lines[start:]:
        if line.startswith("-----") or not line.strip():
            break
        match = re.match(r"\s*([\d,]+)\s+\([\s\d.]+%\)\s+(.*)$", line)
        if not match or "PROGRAM TOTALS" in line:
            continue
        name = match.group(2)
        name = re.sub(r"\s+\[[^\]]*\]$", "", name)          # the object file
        name = name.split(":", 1)[1] if ":" in name else name  # the source file
        # A function listed under two source files (its own and
        # <compiler-generated>) is the same cost twice.
        costs[name] = max(costs.get(name, 0), int(match.group(1).replace(",", "")))
    return costs

out, program, mode = sys.argv[1:4]
few, many = (int(sys.argv[4]), int(sys.argv[5])) if len(sys.argv) > 5 else (2000, 4000)
divisor = int(sys.argv[6]) if len(sys.argv) > 6 else 1
a = inclusive(f"{out}/{program}-{mode}-{few}/cg.0.out")
b = inclusive(f"{out}/{program}-{mode}-{many}/cg.0.out")
rows = sorted(((b.get(name, 0) - a.get(name, 0)) / (many - few) / divisor, name) for name in b)
rows = [row for row in reversed(rows) if row[0] >= 1]
names = [name for _, name in rows]
try:
    demangled = subprocess.run(["swift-demangle", "--simplified"], input="\n".join(names),
                               capture_output=True, text=True).stdout.splitlines()
except OSError:
    demangled = names
if len(demangled) != len(names):
    demangled = names
for (cost, _), name in zip(rows, demangled):
    print(f"{cost:10.1f}  {name[:200]}")
