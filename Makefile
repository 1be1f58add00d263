# swift-mpi. On a fresh Debian machine with the Swift toolchain:
#   make bench   installs what is missing, builds in release, runs the main job
#   make test    installs what is missing, runs the test suite
# Nothing needs to be exported: the settings mpirun needs here are set below.

SWIFT ?= swift
RANKS ?= 2

# What mpirun needs on these machines: root, more ranks than cores, ranks that
# yield when idle (shared/reference/open-mpi-notes.md).
MPIRUN_ENV = OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 \
	OMPI_MCA_rmaps_base_oversubscribe=1 OMPI_MCA_btl_base_warn_component_unused=0 \
	OMPI_MCA_mpi_yield_when_idle=1
MPIRUN = $(MPIRUN_ENV) timeout -k 5 300 mpirun
# Benchmarks run no more ranks than cores, spinning as MPI does by default.
BENCH_MPIRUN = OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 \
	OMPI_MCA_btl_base_warn_component_unused=0 timeout -k 5 600 mpirun

.PHONY: all deps build release test bench clean

all: build

# Open MPI (and pkg-config, through which the package finds it), from apt-get.
deps:
	@if ! pkg-config --exists ompi-c 2>/dev/null || ! command -v mpirun >/dev/null 2>&1; then \
		echo "Installing Open MPI (libopenmpi-dev, openmpi-bin) with apt-get"; \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			pkg-config libopenmpi-dev openmpi-bin; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

bench: release
	$(MPIRUN) -np 4 .build/release/hello
	$(MPIRUN) -np 4 .build/release/ring
	$(BENCH_MPIRUN) -np $(RANKS) .build/release/mpi-bench latency

clean:
	rm -rf .build
