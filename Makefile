# swift-mpi. On a fresh Debian machine with the Swift toolchain:
#   make bench   installs what is missing, builds in release, runs the main job
#   make test    installs what is missing, runs the test suite
#   make test-multihost   a job across three hosts made as network namespaces (root)
# Nothing needs to be exported: the settings mpirun needs here are set below.

SWIFT ?= swift
RANKS ?= 2

# Which MPI to build against: openmpi (the default) or mpich (`make test MPI=mpich`:
# the package's MPICH trait, in its own build folder).
MPI ?= openmpi
ifeq ($(MPI),mpich)
SWIFT_FLAGS = --traits MPICH --scratch-path .build-mpich
BUILD_DIR = .build-mpich
MPI_PKGCONFIG = mpich
MPI_LAUNCHER = mpiexec.mpich
MPI_PACKAGES = pkg-config libmpich-dev mpich
else ifeq ($(MPI),openmpi)
SWIFT_FLAGS =
BUILD_DIR = .build
MPI_PKGCONFIG = ompi-c
MPI_LAUNCHER = mpirun
MPI_PACKAGES = pkg-config libopenmpi-dev openmpi-bin
else
$(error MPI must be openmpi or mpich, not $(MPI))
endif

# What mpirun needs on these machines: root, more ranks than cores, ranks that
# yield when idle (shared/reference/open-mpi-notes.md).
MPIRUN_ENV = OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 \
	OMPI_MCA_rmaps_base_oversubscribe=1 OMPI_MCA_btl_base_warn_component_unused=0 \
	OMPI_MCA_mpi_yield_when_idle=1
MPIRUN = $(MPIRUN_ENV) timeout -k 5 300 $(MPI_LAUNCHER)

.PHONY: all deps bench-deps build release test test-multihost test-asan test-tsan stress bench mpi4py callgrind clean fuzz

all: build

# The MPI (and pkg-config, through which the package finds it), from apt-get.
deps:
	@if ! pkg-config --exists $(MPI_PKGCONFIG) 2>/dev/null || ! command -v $(MPI_LAUNCHER) >/dev/null 2>&1; then \
		echo "Installing $(MPI_PACKAGES) with apt-get"; \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(MPI_PACKAGES); \
	fi

# What the benchmark report needs besides MPI: gnuplot for the picture,
# valgrind for instruction counts.
bench-deps: deps
	@if ! command -v gnuplot >/dev/null 2>&1 || ! command -v valgrind >/dev/null 2>&1; then \
		echo "Installing gnuplot-nox and valgrind with apt-get"; \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q gnuplot-nox valgrind; \
	fi

build: deps
	$(SWIFT) build $(SWIFT_FLAGS)

# The release products the benchmarks and callgrind run, one by one: building
# every product would also build the macro plugin's swift-syntax in release,
# which only the test programs need (`make stress` builds them itself).
RELEASE_PRODUCTS = hello pi heat2d mpi-bench mpi-bench-c mpi-callcost mpi-callcost-c
release: deps
	for product in $(RELEASE_PRODUCTS); do $(SWIFT) build -c release $(SWIFT_FLAGS) --product $$product || exit 1; done

test: deps
	bash Tests/check-floor.sh
	$(SWIFT) build --build-tests $(SWIFT_FLAGS)
	$(SWIFT) test --skip-build $(SWIFT_FLAGS)

# An SPMD job across three hosts that are Linux network namespaces on this
# machine (Tests/Multihost/run.sh): ranks on all three, checked traffic between
# them, and a host whose link goes down ending the job within 30 s. Needs root
# and iproute2 (installed here if missing); without them it prints SKIPPED and
# succeeds. Uses the debug build (`make test` has made it).
test-multihost: deps
	@if ! command -v ip >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		echo "Installing iproute2 with apt-get"; \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q iproute2 >/dev/null 2>&1 \
		|| { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q iproute2; }; \
	fi
	$(SWIFT) build --product mpi-test-programs
	bash Tests/Multihost/run.sh

# Randomized traffic at 4 ranks, nothing lost, in release (`make test` runs a
# short one). It prints its seed; `make stress SEED=S` replays a run (with
# MESSAGES=N for a run of another length, as printed).
MESSAGES ?= 100000
STRESS_TIMEOUT ?= 1800
stress: deps
	$(SWIFT) build -c release $(SWIFT_FLAGS) --product mpi-test-programs
	$(MPIRUN_ENV) timeout -k 5 $(STRESS_TIMEOUT) $(MPI_LAUNCHER) -np 4 $(BUILD_DIR)/release/mpi-test-programs stress \
		--messages $(MESSAGES) $(if $(SEED),--seed $(SEED))

# The multi-process programs of the test suite at 2 ranks under AddressSanitizer
# (with LeakSanitizer), and the multi-threaded suite under ThreadSanitizer, each
# built into a folder of its own (Tests/Sanitizers/run.sh says what runs). The
# toolchain's lld links them: gold prints a warning for each of hundreds of
# sanitizer symbols ("Cannot export local symbol").
SANITIZE_ADDRESS = -Xswiftc -sanitize=address -Xcc -fsanitize=address -Xswiftc -use-ld=lld
SANITIZE_THREAD = -Xswiftc -sanitize=thread -Xcc -fsanitize=thread -Xswiftc -use-ld=lld

test-asan: deps
	$(SWIFT) build --scratch-path .build-asan $(SANITIZE_ADDRESS)
	Tests/Sanitizers/run.sh address .build-asan/debug

test-tsan: deps
	$(SWIFT) build --scratch-path .build-tsan $(SANITIZE_THREAD) --product mpi-test-programs
	Tests/Sanitizers/run.sh thread .build-tsan/debug

# The main job: examples, then Swift (guarded and unguarded), C (plain and
# with Swift's guard) and mpi4py in alternating runs, medians and ratios, JSON
# and pictures in bench-results/ (Benchmarks/scripts/report.py). `make bench
# MPI=mpich` does the same under MPICH.
MPI4PY_VENV = .venv-mpi4py-$(MPI)
MPI4PY_PYTHON = $(MPI4PY_VENV)/bin/python3
PAIRS ?= 5

bench: release bench-deps mpi4py
	$(MPIRUN) -np 4 $(BUILD_DIR)/release/hello
	$(MPIRUN) -np 4 $(BUILD_DIR)/release/pi
	$(MPIRUN) -np 4 $(BUILD_DIR)/release/heat2d --n 1024 --steps 100 --method persistent
	$(MPIRUN) -np 4 $(BUILD_DIR)/release/heat2d --n 1024 --steps 100 --method neighbor
	python3 Benchmarks/scripts/report.py --swift $(BUILD_DIR)/release/mpi-bench --c $(BUILD_DIR)/release/mpi-bench-c \
		--launcher $(MPI_LAUNCHER) --pairs $(PAIRS) --ranks $(RANKS) --output bench-results/$(MPI) \
		--python $(MPI4PY_PYTHON)

# mpi4py and numpy from PyPI, in a virtual environment of their own per MPI.
# Open MPI: mpi4py's binary wheel, which loads this machine's libmpi.so.40.
# MPICH: built from source with mpicc.mpich (the wheel looks for MPICH's
# libmpi.so.12, which Debian names libmpich.so.12): about 8 minutes, once.
ifeq ($(MPI),mpich)
MPI4PY_INSTALL = MPICC=mpicc.mpich $(MPI4PY_PYTHON) -m pip install --quiet --no-binary=mpi4py mpi4py numpy
else
MPI4PY_INSTALL = $(MPI4PY_PYTHON) -m pip install --quiet mpi4py numpy
endif

mpi4py: deps
	@if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || ! ls /usr/include/python3*/Python.h >/dev/null 2>&1; then \
		echo "Installing python3-venv and python3-dev with apt-get"; \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-venv python3-dev; \
	fi
	@if ! $(MPI4PY_PYTHON) -c 'import mpi4py.MPI, numpy' >/dev/null 2>&1; then \
		echo "Installing mpi4py and numpy from PyPI into $(MPI4PY_VENV)"; \
		rm -rf $(MPI4PY_VENV) && python3 -m venv $(MPI4PY_VENV) \
		&& $(MPI4PY_PYTHON) -m pip install --quiet --upgrade pip && $(MPI4PY_INSTALL); \
	fi

# Instructions the Swift layer adds per call, counted by callgrind (repeatable,
# unlike time on a shared machine).
callgrind: release bench-deps
	MPI_LAUNCHER=$(MPI_LAUNCHER) Benchmarks/scripts/callgrind.sh $(BUILD_DIR)/release

clean:
	rm -rf .build .build-mpich .build-asan .build-tsan .build-fuzz bench-results .venv-mpi4py-openmpi .venv-mpi4py-mpich

# The object decoder under libFuzzer and AddressSanitizer, for FUZZ_SECONDS:
# any bytes must throw DecodingError, never crash, and bytes that decode must
# survive a round trip (Tests/Fuzz/ObjectDecoder/fuzz.swift). The three format
# files build alone, so it needs only the toolchain, no MPI; lld links it, as
# above. It runs on a copy of the committed corpus (so a run leaves git clean)
# and stops at the first failure, whose input it prints; replay one with
# `.build-fuzz/object-decoder-fuzz FILE`. `make fuzz FUZZ_KEEP=1` then merges
# what the run found into the committed corpus (-merge=1 adds only inputs with
# new coverage, which keeps it small).
SWIFTC ?= swiftc
FUZZ_SECONDS ?= 60
FUZZ_DIR = .build-fuzz
FUZZ_BIN = $(FUZZ_DIR)/object-decoder-fuzz
FUZZ_CORPUS = Tests/Fuzz/ObjectDecoder/corpus
FUZZ_SOURCES = Sources/MPI/Objects/ObjectFormat.swift Sources/MPI/Objects/ObjectEncoder.swift \
	Sources/MPI/Objects/ObjectDecoder.swift Tests/Fuzz/ObjectDecoder/fuzz.swift
FUZZ_OPTIONS = -max_len=4096 -rss_limit_mb=2048 -timeout=10

fuzz:
	mkdir -p $(FUZZ_DIR)/corpus
	$(SWIFTC) -sanitize=fuzzer,address -parse-as-library -O -g -use-ld=lld $(FUZZ_SOURCES) -o $(FUZZ_BIN)
	cp $(FUZZ_CORPUS)/* $(FUZZ_DIR)/corpus/
	rm -rf $(FUZZ_DIR)/failures && mkdir -p $(FUZZ_DIR)/failures
	@$(FUZZ_BIN) $(FUZZ_OPTIONS) -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
		-artifact_prefix=$(FUZZ_DIR)/failures/ $(FUZZ_DIR)/corpus \
		|| { echo "fuzz: FAILED; the failing input:" $(FUZZ_DIR)/failures/*; exit 1; }
	@if [ "$(FUZZ_KEEP)" = 1 ]; then \
		echo "Merging new inputs into $(FUZZ_CORPUS)"; \
		$(FUZZ_BIN) $(FUZZ_OPTIONS) -merge=1 $(FUZZ_CORPUS) $(FUZZ_DIR)/corpus; \
	fi
