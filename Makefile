# liblosses: `make` builds the library, `make test` runs every suite, `make demo` runs the demo.
# Every target installs what it needs first (Debian packages with apt-get, Python packages with
# pip), so a fresh machine needs nothing but these two commands.

PREFIX ?= /usr/local
# Where `make install` puts the library (and its pkg-config and CMake files) and the headers.
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
PYTHON ?= python3
SWIFT ?= swift
CC ?= cc
CXX ?= g++

VERSION := $(shell sed -n 's/^\#define LOSSES_VERSION_STRING "\(.*\)"/\1/p' include/losses.h)
ABI := $(shell sed -n 's/^\#define LOSSES_ABI_VERSION \([0-9]*\)/\1/p' include/losses.h)
SONAME := liblosses.so.$(ABI)

BUILDLIB := .build/lib
LIB := $(BUILDLIB)/liblosses.so
TESTDIR := .build/tests
STAGE := $(CURDIR)/.build/stage
VECTORS := $(wildcard Tests/vectors/*/*.vec)
SWIFT_SOURCES := $(shell find Sources -type f) Package.swift abi/losses.map include/losses.h
C_TEST_SOURCES := Tests/c/calls.c Tests/c/shapes.c Tests/c/jobs.c
C_TEST_HEADERS := Tests/c/calls.h Tests/c/shapes.h Tests/c/jobs.h include/losses.h
CWARN := -Wall -Wextra -Werror -pedantic
# The Swift toolchain's clang carries libFuzzer and the sanitizer runtimes the Swift side uses.
CLANG ?= /opt/swift/usr/bin/clang
SWIFT_LINUX_LIBS := $(abspath $(dir $(CLANG))../lib/swift/linux)
SANITIZE := -g -O1 -fuse-ld=bfd -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_SECONDS ?= 60
FUZZ_RUNS ?= 100000

.PHONY: all lib deps generate wheel uninstall test test-install test-torch test-dask test-swift test-c test-python test-sanitize fuzz stress bench bench-deps bench-gemm test-math demo install vectors docs test-docs docs-swift test-swiftpm clean

all: lib

# ---- Set-up --------------------------------------------------------------------------------

# Debian packages: a C and C++ compiler, pkg-config and CMake (the examples build through them).
# Python packages: numpy for the bindings; pytest and pycparser for the tests.
deps:
	@missing=""; \
	command -v gcc >/dev/null || missing="$$missing gcc"; \
	command -v g++ >/dev/null || missing="$$missing g++"; \
	command -v pkg-config >/dev/null || missing="$$missing pkg-config"; \
	command -v cmake >/dev/null || missing="$$missing cmake"; \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi
	@$(PYTHON) -c "import numpy, pytest, pycparser" 2>/dev/null || \
		$(PYTHON) -m pip install -q numpy pytest pycparser

# ---- The library ---------------------------------------------------------------------------

lib: $(LIB)

# LAPACK (the Fréchet distance) is OpenBLAS from Debian's libopenblas-serial-dev, linked
# statically into liblosses.so: the serial build starts no thread pool. The linker searches
# SwiftPM's build folder before the system's, so -lopenblas (CLossesLapack's) finds the archive
# linked there as libopenblas.a; the Swift tests and any program linking the Swift API take
# libopenblas.so (dynamically) instead. The library's recipe checks that it needs no libopenblas.
OPENBLAS_SERIAL_ARCHIVE := /usr/lib/x86_64-linux-gnu/openblas-serial/libopenblas.a
OPENBLAS_STATIC := .build/x86_64-unknown-linux-gnu/release/libopenblas.a

$(OPENBLAS_SERIAL_ARCHIVE):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libopenblas-serial-dev

$(OPENBLAS_STATIC): $(OPENBLAS_SERIAL_ARCHIVE)
	@mkdir -p $(dir $@)
	ln -sf $(OPENBLAS_SERIAL_ARCHIVE) $@

# SwiftPM names the file liblosses.so; its SONAME is liblosses.so.<ABI>, so the link-time name
# gets that alias beside it.
$(LIB): $(SWIFT_SOURCES) $(OPENBLAS_STATIC)
	@# SwiftPM does not know the version script is a link input: relink when it changes.
	@if [ abi/losses.map -nt .build/release/liblosses.so ]; then rm -f .build/release/liblosses.so; fi
	@test -e $(OPENBLAS_STATIC) || ln -sf $(OPENBLAS_SERIAL_ARCHIVE) $(OPENBLAS_STATIC)
	$(SWIFT) build -c release --product losses
	@if readelf -d .build/release/liblosses.so | grep -q 'NEEDED.*openblas'; then \
		echo "liblosses.so needs libopenblas: the static archive was not linked"; rm -f .build/release/liblosses.so; exit 1; fi
	@mkdir -p $(BUILDLIB)
	cp .build/release/liblosses.so $(LIB)
	ln -sf liblosses.so $(BUILDLIB)/$(SONAME)

# The Python wheel (py3-none-manylinux_<glibc floor>_x86_64) in .build/wheel, through pip and the
# in-tree build backend (bindings/python/backend), exactly as `pip install .` builds it.
wheel: lib
	rm -rf .build/wheel
	$(PYTHON) -m pip wheel --no-deps --no-build-isolation -q -w .build/wheel .
	@ls .build/wheel/*.whl

# ---- Generated files -------------------------------------------------------------------------

# Everything that restates include/losses.h (the @_cdecl twins, abi/symbols.txt, the ctypes
# table, the C test call table) is written from it; Tests/python/test_generated.py fails when a
# committed copy is stale.
generate: deps
	$(PYTHON) abi/generate.py

# ---- Tests ---------------------------------------------------------------------------------

test: deps lib test-swift test-c test-python test-install

test-swift: $(OPENBLAS_SERIAL_ARCHIVE)
	$(SWIFT) test

$(TESTDIR)/harness: Tests/c/harness.c $(C_TEST_SOURCES) $(C_TEST_HEADERS) $(LIB)
	@mkdir -p $(TESTDIR)
	$(CC) -std=c11 $(CWARN) -O1 -Iinclude Tests/c/harness.c $(C_TEST_SOURCES) -L$(BUILDLIB) -llosses -lm -pthread \
		-Wl,-rpath,'$$ORIGIN/../lib' -o $@

$(TESTDIR)/threads: Tests/c/threads.c $(C_TEST_SOURCES) $(C_TEST_HEADERS) $(LIB)
	@mkdir -p $(TESTDIR)
	$(CC) -std=c11 $(CWARN) -O1 -Iinclude Tests/c/threads.c $(C_TEST_SOURCES) -L$(BUILDLIB) -llosses -lm -pthread \
		-Wl,-rpath,'$$ORIGIN/../lib' -o $@

# The block math's accuracy against glibc's long double functions, built from the library's own
# sources with the compiler SwiftPM uses for them (same clones, same flags that matter).
$(TESTDIR)/math_accuracy: Tests/math/accuracy.c Tests/math/ulp.h $(wildcard Sources/CLossesMath/*.c Sources/CLossesMath/*.h Sources/CLossesMath/include/*.h)
	@mkdir -p $(TESTDIR)
	$(CLANG) -std=c11 -O2 -ISources/CLossesMath/include Tests/math/accuracy.c Sources/CLossesMath/vector_math_f32.c \
		Sources/CLossesMath/vector_math_f64.c -lm -pthread -o $@

$(TESTDIR)/row_products: Tests/math/row_products.c Sources/CLossesMath/row_products.c Sources/CLossesMath/include/losses_math.h
	@mkdir -p $(TESTDIR)
	$(CLANG) -std=c11 -O2 -ISources/CLossesMath/include Tests/math/row_products.c Sources/CLossesMath/row_products.c \
		-lm -o $@

$(TESTDIR)/digest: Tests/c/digest.c $(C_TEST_SOURCES) $(C_TEST_HEADERS) $(LIB)
	@mkdir -p $(TESTDIR)
	$(CC) -std=c11 $(CWARN) -O1 -Iinclude Tests/c/digest.c $(C_TEST_SOURCES) -L$(BUILDLIB) -llosses -lm -pthread \
		-Wl,-rpath,'$$ORIGIN/../lib' -o $@

# The C++ interface: every generated overload compiled under C++17 and C++20 (spans), and run
# against the C calls.
$(TESTDIR)/cxx_api: Tests/c/cxx_api.cpp include/losses.hpp include/losses_overloads.hpp include/losses.h $(LIB)
	@mkdir -p $(TESTDIR)
	$(CXX) -std=c++20 $(CWARN) -O1 -Iinclude $< -L$(BUILDLIB) -llosses -Wl,-rpath,'$$ORIGIN/../lib' -o $@

test-c: $(TESTDIR)/harness $(TESTDIR)/threads $(TESTDIR)/math_accuracy $(TESTDIR)/row_products $(TESTDIR)/digest \
	$(TESTDIR)/cxx_api
	$(CXX) -std=c++11 $(CWARN) -Iinclude -fsyntax-only Tests/c/header_cxx.cpp
	$(CXX) -std=c++17 $(CWARN) -Iinclude -fsyntax-only -include losses.hpp Tests/c/header_cxx.cpp
	$(TESTDIR)/cxx_api
	$(TESTDIR)/harness $(VECTORS)
	$(TESTDIR)/threads
	$(TESTDIR)/math_accuracy --quick
	$(TESTDIR)/row_products
	@# Every loss's bits: the same for 1, 2, 3 and 7 threads and for the baseline and AVX2 copies.
	$(TESTDIR)/digest > $(TESTDIR)/digest.txt
	for setting in LOSSES_NUM_THREADS=1 LOSSES_NUM_THREADS=2 LOSSES_NUM_THREADS=3 LOSSES_NUM_THREADS=7 \
			LOSSES_SIMD=baseline; do env $$setting $(TESTDIR)/digest | cmp - $(TESTDIR)/digest.txt || exit 1; done
	@echo "digest: $$(wc -l < $(TESTDIR)/digest.txt) calls, the same bits for every thread count and both copies"

# What a C or C++ user does: `make install` with a LIBDIR of its own (Debian's multiarch folder), the C++ example built from
# the installed tree with CMake (find_package) and with pkg-config, run, then `make uninstall`,
# which must leave nothing behind.
INSTALL_TEST := $(CURDIR)/.build/install-test
test-install: deps lib
	rm -rf $(INSTALL_TEST)
	$(MAKE) --no-print-directory install PREFIX=$(INSTALL_TEST)/prefix LIBDIR=$(INSTALL_TEST)/prefix/lib/x86_64-linux-gnu >/dev/null
	cmake -S examples/cpp -B $(INSTALL_TEST)/cmake -DCMAKE_PREFIX_PATH=$(INSTALL_TEST)/prefix -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build $(INSTALL_TEST)/cmake >/dev/null
	$(INSTALL_TEST)/cmake/logistic_regression
	$(CXX) -std=c++17 $(CWARN) examples/cpp/logistic_regression.cpp \
		$$(PKG_CONFIG_PATH=$(INSTALL_TEST)/prefix/lib/x86_64-linux-gnu/pkgconfig pkg-config --cflags --libs losses) \
		-Wl,-rpath,$(INSTALL_TEST)/prefix/lib/x86_64-linux-gnu -o $(INSTALL_TEST)/logistic_regression_pkgconfig
	$(INSTALL_TEST)/logistic_regression_pkgconfig
	$(MAKE) --no-print-directory uninstall PREFIX=$(INSTALL_TEST)/prefix LIBDIR=$(INSTALL_TEST)/prefix/lib/x86_64-linux-gnu
	@left=$$(find $(INSTALL_TEST)/prefix -type f -o -type l); \
		if [ -n "$$left" ]; then echo "make uninstall left: $$left"; exit 1; fi
	@echo "install: CMake and pkg-config builds of examples/cpp ran; uninstall left no file"

# losses.torch against PyTorch (values, gradients, gradcheck) and the two-process DDP training
# run. PyTorch from PyPI is about 4 GB with its CUDA libraries, so it is installed here, when
# missing, and not by `make test` (whose run of the same files skips them without torch).
test-torch: lib
	@$(PYTHON) -c "import torch" 2>/dev/null || $(PYTHON) -m pip install -q torch
	PYTHONPATH=bindings/python $(PYTHON) -m pytest -q Tests/python/test_torch.py Tests/python/test_torch_ddp.py

# FID statistics of many shards over dask.distributed (examples/fid_dask.py on a LocalCluster,
# Tests/python/test_fid_dask.py): a venv of its own with dask[distributed]; not in CI.
DASK_VENV := .build/dask-venv
test-dask: lib
	@test -x $(DASK_VENV)/bin/python || $(PYTHON) -m venv $(DASK_VENV)
	@$(DASK_VENV)/bin/python -c "import dask.distributed, numpy, pytest" 2>/dev/null || \
		$(DASK_VENV)/bin/python -m pip install -q numpy pytest "dask[distributed]"
	PYTHONPATH=bindings/python $(DASK_VENV)/bin/python -m pytest -q Tests/python/test_fid_dask.py

# Every float32 input of each block function and 10^7 float64 ones (about 10 minutes on 2 cores;
# not in CI): the ulp table of the README.
test-math: $(TESTDIR)/math_accuracy
	$(TESTDIR)/math_accuracy

test-python: lib
	PYTHONPATH=bindings/python $(PYTHON) -m pytest -q Tests/python

# ---- Sanitizers and fuzzing (not in CI: slower; each is one command) -------------------------

# The library built with AddressSanitizer (LOSSES_SANITIZE lifts -z defs: the executable brings
# the runtime), the C harness and thread stress with AddressSanitizer and UndefinedBehavior-
# Sanitizer, and the Swift tests under AddressSanitizer.
test-sanitize: deps $(OPENBLAS_SERIAL_ARCHIVE)
	LOSSES_SANITIZE=1 $(SWIFT) build -c release --product losses --scratch-path .build-asan \
		-Xswiftc -sanitize=address -Xcc -fsanitize=address
	ln -sf liblosses.so .build-asan/release/liblosses.so.1
	$(PYTHON) Tests/sanitize/instrumented.py .build-asan/release __asan_report
	@mkdir -p .build-asan/tests
	for program in harness threads; do \
		$(CLANG) -std=c11 $(SANITIZE) -Iinclude Tests/c/$$program.c $(C_TEST_SOURCES) -L.build-asan/release -llosses \
			-lm -pthread -Wl,-rpath,$(CURDIR)/.build-asan/release -o .build-asan/tests/$$program || exit 1; \
	done
	.build-asan/tests/harness $(VECTORS)
	.build-asan/tests/threads
	# Leak checking stays on for the C programs; XCTest's own weak references in the Swift
	# runtime are reported as leaks at exit, so the Swift tests run without it.
	ASAN_OPTIONS=detect_leaks=0 LOSSES_SANITIZE=1 $(SWIFT) test --sanitize=address --scratch-path .build-asan-tests

# libFuzzer over every entry point, in two phases: FUZZ_RUNS executions with small sizes only
# (microseconds each), then FUZZ_SECONDS with sizes up to a few 2^20 elements allowed (the
# threaded and large-class paths; milliseconds each). make fuzz FUZZ_RUNS=10000000 FUZZ_SECONDS=1800
# is the long run. The corpora persist in .build-fuzz/corpus{,-large}. A finding is written to crash-*: replay it with
# .build-fuzz/tests/fuzz crash-<hash>, and turn it into a case of Tests/c/harness.c.
fuzz: deps $(OPENBLAS_SERIAL_ARCHIVE)
	LOSSES_SANITIZE=1 $(SWIFT) build -c release --product losses --scratch-path .build-fuzz \
		-Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=fuzzer-no-link,address
	ln -sf liblosses.so .build-fuzz/release/liblosses.so.1
	$(PYTHON) Tests/sanitize/instrumented.py .build-fuzz/release __asan_report __sanitizer_cov
	@mkdir -p .build-fuzz/tests .build-fuzz/corpus
	$(CLANG) -std=c11 $(SANITIZE) -fsanitize=fuzzer -Iinclude -ITests/c Tests/fuzz/fuzz_losses.c $(C_TEST_SOURCES) \
		-L.build-fuzz/release -llosses -lm -Wl,-rpath,$(CURDIR)/.build-fuzz/release -o .build-fuzz/tests/fuzz
	@mkdir -p .build-fuzz/corpus-large
	LOSSES_FUZZ_LARGE=0 .build-fuzz/tests/fuzz -runs=$(FUZZ_RUNS) -print_final_stats=1 -rss_limit_mb=4096 .build-fuzz/corpus
	.build-fuzz/tests/fuzz -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 -rss_limit_mb=4096 .build-fuzz/corpus-large

# Minutes of 8 threads making large calls of every loss while others call setenv, change the
# thread count and (under AddressSanitizer) flip class labels mid-call: under ThreadSanitizer,
# then AddressSanitizer. Any sanitizer report fails it. make stress STRESS_SECONDS=300
STRESS_SECONDS ?= 120
stress: deps $(OPENBLAS_SERIAL_ARCHIVE)
	LOSSES_SANITIZE=1 $(SWIFT) build -c release --product losses --scratch-path .build-tsan \
		-Xswiftc -sanitize=thread -Xcc -fsanitize=thread
	ln -sf liblosses.so .build-tsan/release/liblosses.so.1
	$(PYTHON) Tests/sanitize/instrumented.py .build-tsan/release __tsan_
	@mkdir -p .build-tsan/tests
	@# The toolchain's ThreadSanitizer runtime carries libdispatch interceptors: it links against
	@# the toolchain's libdispatch and blocks runtime (liblosses itself uses neither).
	$(CLANG) -std=c11 -g -O1 -fsanitize=thread -Iinclude Tests/c/stress.c $(C_TEST_SOURCES) -L.build-tsan/release \
		-llosses -lm -pthread -Wl,-rpath,$(CURDIR)/.build-tsan/release \
		-L$(SWIFT_LINUX_LIBS) -ldispatch -lBlocksRuntime -Wl,-rpath,$(SWIFT_LINUX_LIBS) -o .build-tsan/tests/stress
	TSAN_OPTIONS=halt_on_error=1 STRESS_SECONDS=$(STRESS_SECONDS) .build-tsan/tests/stress
	LOSSES_SANITIZE=1 $(SWIFT) build -c release --product losses --scratch-path .build-asan \
		-Xswiftc -sanitize=address -Xcc -fsanitize=address
	ln -sf liblosses.so .build-asan/release/liblosses.so.1
	@mkdir -p .build-asan/tests
	$(CLANG) -std=c11 $(SANITIZE) -Iinclude Tests/c/stress.c $(C_TEST_SOURCES) -L.build-asan/release -llosses \
		-lm -pthread -Wl,-rpath,$(CURDIR)/.build-asan/release -o .build-asan/tests/stress
	STRESS_SECONDS=$(STRESS_SECONDS) .build-asan/tests/stress --flip-labels

# ---- Benchmarks (never in tests) -------------------------------------------------------------

# Against NumPy and, where it is installed for $(PYTHON), PyTorch CPU: make bench PYTHON=...
# raw_call builds in the library's block math (its math floors) from the same sources and clones.
$(TESTDIR)/raw_call: bench/raw_call.c include/losses.h $(LIB)
	@mkdir -p $(TESTDIR)
	$(CLANG) -std=c11 -O2 -Iinclude -ISources/CLossesMath/include $< Sources/CLossesMath/vector_math_f32.c \
		Sources/CLossesMath/vector_math_f64.c -L$(BUILDLIB) -llosses -lm -pthread -Wl,-rpath,'$$ORIGIN/../lib' -o $@

# The block math against SLEEF (Debian's libsleef-dev, which issue 10 names: the benchmark
# only; liblosses.so never links it).
$(TESTDIR)/sleef_compare: bench/sleef_compare.c Tests/math/ulp.h $(wildcard Sources/CLossesMath/*.c Sources/CLossesMath/include/*.h)
	@mkdir -p $(TESTDIR)
	$(CLANG) -std=c11 -O2 -Iinclude -ISources/CLossesMath/include $< Sources/CLossesMath/vector_math_f32.c \
		Sources/CLossesMath/vector_math_f64.c $$(pkg-config --libs sleef) -lm -o $@

# The matrix products of the metric-learning losses against OpenBLAS (Debian's
# libopenblas-pthread-dev, which issue 12 names, linked statically: the benchmark only;
# liblosses.so never links it): bench/gemm.c times them, bench/gemm_shim.c built twice shows what
# linking it would add to the library. `make bench-gemm` prints the section `make bench` adds to
# bench/RESULTS.md.
OPENBLAS_INCLUDE := /usr/include/x86_64-linux-gnu/openblas-pthread
OPENBLAS_ARCHIVE := /usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.a
GEMM_ROUNDS ?= 31

$(OPENBLAS_ARCHIVE):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libopenblas-pthread-dev

# The kernel and the library's worker pool from their sources, with the compiler SwiftPM uses.
$(TESTDIR)/gemm: bench/gemm.c Sources/CLossesMath/row_products.c Sources/CLossesSupport/threads.c \
		Sources/CLossesMath/include/losses_math.h $(OPENBLAS_ARCHIVE)
	@mkdir -p $(TESTDIR)
	$(CLANG) -std=c11 -O2 -Iinclude -ISources/CLossesMath/include -ISources/CLossesSupport/include \
		-I$(OPENBLAS_INCLUDE) $< Sources/CLossesMath/row_products.c Sources/CLossesSupport/threads.c \
		$(OPENBLAS_ARCHIVE) -lm -pthread -o $@

$(TESTDIR)/gemm_shim_openblas.so: bench/gemm_shim.c $(OPENBLAS_ARCHIVE)
	@mkdir -p $(TESTDIR)
	$(CLANG) -std=c11 -O2 -fPIC -shared -DWITH_OPENBLAS -I$(OPENBLAS_INCLUDE) $< $(OPENBLAS_ARCHIVE) -lm -pthread \
		-Wl,-z,defs -o $@

$(TESTDIR)/gemm_shim_own.so: bench/gemm_shim.c Sources/CLossesMath/row_products.c Sources/CLossesMath/include/losses_math.h
	@mkdir -p $(TESTDIR)
	$(CLANG) -std=c11 -O2 -fPIC -shared -ISources/CLossesMath/include $< Sources/CLossesMath/row_products.c -lm \
		-Wl,-z,defs -o $@

GEMM_PROGRAMS := $(TESTDIR)/gemm $(TESTDIR)/gemm_shim_openblas.so $(TESTDIR)/gemm_shim_own.so

bench-deps: deps
	@pkg-config --exists sleef || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libsleef-dev)
	@test -f $(OPENBLAS_ARCHIVE) || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libopenblas-pthread-dev)
	@# The FID section's peer (bench/fid.py), where PyTorch is installed for $(PYTHON).
	@! $(PYTHON) -c "import torch" 2>/dev/null || $(PYTHON) -c "import pytorch_fid" 2>/dev/null || \
		$(PYTHON) -m pip install -q pytorch-fid

bench-gemm: bench-deps $(GEMM_PROGRAMS)
	$(PYTHON) bench/gemm.py $(GEMM_ROUNDS)

bench: bench-deps lib $(TESTDIR)/raw_call $(TESTDIR)/sleef_compare $(GEMM_PROGRAMS)
	$(PYTHON) bench/run.py --out bench/RESULTS.md

# ---- Demo, install -------------------------------------------------------------------------

# The classification demo trains on scikit-learn's digits, which ship inside scikit-learn; the
# restoration demo on scikit-image's sample photographs.
demo: deps lib
	@$(PYTHON) -c "import sklearn" 2>/dev/null || $(PYTHON) -m pip install -q scikit-learn
	@# The restoration demo's photographs ship inside scikit-image; it writes PNGs with Pillow.
	@$(PYTHON) -c "import skimage, PIL" 2>/dev/null || $(PYTHON) -m pip install -q scikit-image pillow
	PYTHONPATH=bindings/python $(PYTHON) examples/robust_regression.py
	@echo
	PYTHONPATH=bindings/python $(PYTHON) examples/digits_classification.py
	@echo
	PYTHONPATH=bindings/python $(PYTHON) examples/digits_embedding.py
	@echo
	PYTHONPATH=bindings/python $(PYTHON) examples/image_restoration.py
	@echo
	PYTHONPATH=bindings/python $(PYTHON) examples/fid_digits.py
	@echo
	$(MAKE) --no-print-directory install PREFIX=$(STAGE) >/dev/null
	@mkdir -p $(TESTDIR)
	$(CC) -std=c11 $(CWARN) examples/huber.c \
		$$(PKG_CONFIG_PATH=$(STAGE)/lib/pkgconfig pkg-config --cflags --libs losses) \
		-Wl,-rpath,$(STAGE)/lib -o $(TESTDIR)/huber_example
	$(TESTDIR)/huber_example

# The library (liblosses.so.<version>, its SONAME and link-time names), the C and C++ headers,
# losses.pc and the CMake package (find_package(losses CONFIG) -> losses::losses), which finds
# the headers relative to itself: the installed tree may move as a whole.
INSTALLED_HEADERS := losses.h losses.hpp losses_overloads.hpp
install: lib
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(LIBDIR)/cmake/losses $(DESTDIR)$(INCLUDEDIR)
	install -m 755 $(LIB) $(DESTDIR)$(LIBDIR)/liblosses.so.$(VERSION)
	ln -sf liblosses.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/liblosses.so
	for header in $(INSTALLED_HEADERS); do install -m 644 include/$$header $(DESTDIR)$(INCLUDEDIR)/$$header || exit 1; done
	sed -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' abi/losses.pc.in \
		> $(DESTDIR)$(LIBDIR)/pkgconfig/losses.pc
	sed -e "s|@INCLUDEDIR_FROM_PACKAGE@|$$(realpath -m --relative-to=$(LIBDIR)/cmake/losses $(INCLUDEDIR))|" \
		-e 's|@VERSION@|$(VERSION)|' -e 's|@SONAME@|$(SONAME)|' abi/lossesConfig.cmake.in \
		> $(DESTDIR)$(LIBDIR)/cmake/losses/lossesConfig.cmake
	sed -e 's|@VERSION@|$(VERSION)|' abi/lossesConfigVersion.cmake.in > $(DESTDIR)$(LIBDIR)/cmake/losses/lossesConfigVersion.cmake

# Removes exactly what `make install` wrote (same PREFIX, LIBDIR, INCLUDEDIR, DESTDIR), and the
# folders it made when they are left empty.
uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/liblosses.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME) $(DESTDIR)$(LIBDIR)/liblosses.so \
		$(DESTDIR)$(LIBDIR)/pkgconfig/losses.pc $(DESTDIR)$(LIBDIR)/cmake/losses/lossesConfig.cmake \
		$(DESTDIR)$(LIBDIR)/cmake/losses/lossesConfigVersion.cmake \
		$(addprefix $(DESTDIR)$(INCLUDEDIR)/,$(INSTALLED_HEADERS))
	-rmdir $(DESTDIR)$(LIBDIR)/cmake/losses $(DESTDIR)$(LIBDIR)/cmake $(DESTDIR)$(LIBDIR)/pkgconfig 2>/dev/null

# Regenerates Tests/vectors from PyTorch, scikit-learn and mpmath (not needed by CI):
#   make vectors PYTHON=/path/to/python-with-torch
vectors:
	$(PYTHON) Tests/vectors/generate.py

# ---- Documentation ---------------------------------------------------------------------------

# Static HTML in .build/docs/html from docs/*.md (docs/site/build.py): a page per Markdown file,
# and below each loss's heading a plot of the loss and its gradient, computed by liblosses through
# the Python bindings (matplotlib only draws them; the docs build alone needs it). Fails when a
# loss of include/losses.h has no section in docs/*.md or no plot recipe (docs/site/recipes.py).
# The Swift API's DocC catalogue comes from docs-swift (.build/docs/swift); the pages link it.
DOCS_HTML := .build/docs/html
docs: deps lib docs-swift
	@$(PYTHON) -c "import markdown, latex2mathml, matplotlib" 2>/dev/null || \
		$(PYTHON) -m pip install -q markdown latex2mathml matplotlib
	$(PYTHON) docs/site/build.py --out $(DOCS_HTML)

# Every page of `make docs` opened in headless Chromium (Debian's chromium, installed when
# missing): each page and each of its images loads, every internal link resolves, and every
# loss of the header has its section and plot.
test-docs: docs
	@command -v chromium >/dev/null || (apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)
	$(PYTHON) Tests/docs/check_pages.py $(DOCS_HTML)

# ---- The Swift package: its DocC reference, a package that depends on it ----------------------

# The Swift API's reference as static HTML in .build/docs/swift: the catalogue
# Sources/Losses/Losses.docc and every doc comment, through swift-docc-plugin. Warnings (a broken
# symbol link) fail it. Its own scratch path, so it never waits for another build's lock on .build.
DOCS_SWIFT := .build/docs/swift
docs-swift: $(OPENBLAS_SERIAL_ARCHIVE)
	@mkdir -p $(DOCS_SWIFT)
	$(SWIFT) package --scratch-path .build-docs --allow-writing-to-directory $(DOCS_SWIFT) \
		generate-documentation --target Losses --disable-indexing --transform-for-static-hosting \
		--output-path $(DOCS_SWIFT) --warnings-as-errors

# Tests/swiftpm/Consumer, a package that depends on the product Losses by path as the README tells,
# built and run. When the version tag exists ($(VERSION), the header's), the same program also
# builds against `.package(url: "file://<this clone>", from: "$(VERSION)")`: the README's git form.
SWIFTPM_URL := .build-swiftpm-url
test-swiftpm: $(OPENBLAS_SERIAL_ARCHIVE)
	$(SWIFT) build --package-path Tests/swiftpm/Consumer --scratch-path $(CURDIR)/.build-swiftpm
	$(CURDIR)/.build-swiftpm/debug/Consumer
	@if git rev-parse -q --verify "refs/tags/$(VERSION)" >/dev/null; then \
		rm -rf $(SWIFTPM_URL)/Sources && mkdir -p $(SWIFTPM_URL)/Sources/Consumer && \
		cp Tests/swiftpm/Consumer/Sources/Consumer/main.swift $(SWIFTPM_URL)/Sources/Consumer/ && \
		printf '%s\n' '// swift-tools-version:6.0' 'import PackageDescription' 'let package = Package(' \
			'    name: "ConsumerByURL",' \
			'    dependencies: [.package(url: "file://$(CURDIR)", from: "$(VERSION)")],' \
			'    targets: [.executableTarget(name: "Consumer", dependencies: [.product(name: "Losses", package: "$(notdir $(CURDIR))")])]' \
			')' > $(SWIFTPM_URL)/Package.swift && \
		rm -f $(SWIFTPM_URL)/Package.resolved && \
		echo "$(SWIFT) build --package-path $(SWIFTPM_URL)  # .package(url: \"file://$(CURDIR)\", from: \"$(VERSION)\")" && \
		$(SWIFT) build --package-path $(SWIFTPM_URL) --scratch-path $(CURDIR)/$(SWIFTPM_URL)/.build && \
		$(SWIFTPM_URL)/.build/debug/Consumer; \
	else \
		echo "test-swiftpm: no git tag $(VERSION) in this clone: the url/from: form is not checked"; \
	fi

clean:
	rm -rf .build/lib .build/tests .build/stage
	$(SWIFT) package clean
