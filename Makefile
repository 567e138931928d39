# liblosses: `make` builds the library, `make test` runs every suite, `make demo` runs the demo.
# Every target installs what it needs first (Debian packages with apt-get, Python packages with
# pip), so a fresh machine needs nothing but these two commands.

PREFIX ?= /usr/local
PYTHON ?= python3
SWIFT ?= swift
CC ?= cc
CXX ?= g++

VERSION := $(shell sed -n 's/^\#define LOSSES_VERSION_STRING "\(.*\)"/\1/p' include/losses.h)
ABI := $(shell sed -n 's/^\#define LOSSES_ABI_VERSION \([0-9]*\)/\1/p' include/losses.h)
SONAME := liblosses.so.$(ABI)

LIBDIR := .build/lib
LIB := $(LIBDIR)/liblosses.so
TESTDIR := .build/tests
STAGE := $(CURDIR)/.build/stage
VECTORS := $(wildcard Tests/vectors/*.vec)
SWIFT_SOURCES := $(shell find Sources -type f) Package.swift abi/losses.map include/losses.h
CWARN := -Wall -Wextra -Werror -pedantic

.PHONY: all lib deps test test-swift test-c test-python demo install vectors clean

all: lib

# ---- Set-up --------------------------------------------------------------------------------

# Debian packages: a C and C++ compiler and pkg-config (the C example links through it).
# Python packages: numpy for the bindings; pytest and pycparser for the tests.
deps:
	@missing=""; \
	command -v gcc >/dev/null || missing="$$missing gcc"; \
	command -v g++ >/dev/null || missing="$$missing g++"; \
	command -v pkg-config >/dev/null || missing="$$missing pkg-config"; \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi
	@$(PYTHON) -c "import numpy, pytest, pycparser" 2>/dev/null || \
		$(PYTHON) -m pip install -q numpy pytest pycparser

# ---- The library ---------------------------------------------------------------------------

lib: $(LIB)

# SwiftPM names the file liblosses.so; its SONAME is liblosses.so.<ABI>, so the link-time name
# gets that alias beside it.
$(LIB): $(SWIFT_SOURCES)
	$(SWIFT) build -c release --product losses
	@mkdir -p $(LIBDIR)
	cp .build/release/liblosses.so $(LIB)
	ln -sf liblosses.so $(LIBDIR)/$(SONAME)

# ---- Tests ---------------------------------------------------------------------------------

test: deps lib test-swift test-c test-python

test-swift:
	$(SWIFT) test

$(TESTDIR)/harness: Tests/c/harness.c include/losses.h $(LIB)
	@mkdir -p $(TESTDIR)
	$(CC) -std=c11 $(CWARN) -O1 -Iinclude $< -L$(LIBDIR) -llosses -lm -pthread \
		-Wl,-rpath,'$$ORIGIN/../lib' -o $@

test-c: $(TESTDIR)/harness
	$(CXX) -std=c++11 $(CWARN) -Iinclude -fsyntax-only Tests/c/header_cxx.cpp
	$(TESTDIR)/harness $(VECTORS)

test-python: lib
	PYTHONPATH=bindings/python $(PYTHON) -m pytest -q Tests/python

# ---- Demo, install -------------------------------------------------------------------------

# The classification demo trains on scikit-learn's digits, which ship inside scikit-learn.
demo: deps lib
	@$(PYTHON) -c "import sklearn" 2>/dev/null || $(PYTHON) -m pip install -q scikit-learn
	PYTHONPATH=bindings/python $(PYTHON) examples/robust_regression.py
	@echo
	PYTHONPATH=bindings/python $(PYTHON) examples/digits_classification.py
	@echo
	$(MAKE) --no-print-directory install PREFIX=$(STAGE) >/dev/null
	$(CC) -std=c11 $(CWARN) examples/huber.c \
		$$(PKG_CONFIG_PATH=$(STAGE)/lib/pkgconfig pkg-config --cflags --libs losses) \
		-Wl,-rpath,$(STAGE)/lib -o $(TESTDIR)/huber_example
	$(TESTDIR)/huber_example

install: lib
	install -d $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 755 $(LIB) $(DESTDIR)$(PREFIX)/lib/liblosses.so.$(VERSION)
	ln -sf liblosses.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(PREFIX)/lib/liblosses.so
	install -m 644 include/losses.h $(DESTDIR)$(PREFIX)/include/losses.h
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' abi/losses.pc.in \
		> $(DESTDIR)$(PREFIX)/lib/pkgconfig/losses.pc

# Regenerates Tests/vectors from PyTorch, scikit-learn and mpmath (not needed by CI):
#   make vectors PYTHON=/path/to/python-with-torch
vectors:
	$(PYTHON) Tests/vectors/generate.py

clean:
	rm -rf .build/lib .build/tests .build/stage
	$(SWIFT) package clean
