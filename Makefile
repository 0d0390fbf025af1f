# sluice — build and test entry points. `make test` is the full suite (what
# CI runs via .ci/run); integration tests run against the private MariaDB
# and PostgreSQL that scripts/dbs.sh starts (see internal/testdb).

# A fresh shell may not have Go on PATH.
export PATH := /usr/local/go/bin:$(PATH)

GO ?= go

.PHONY: deps dbs build lint unit integration integration-private test demo bench bench-cdc bench-verify bench-server clean-dbs

# Install MariaDB, PostgreSQL 15 and PostGIS if any is missing.
deps:
	scripts/deps.sh

# Start the test servers (a no-op when they are up).
dbs: deps
	scripts/dbs.sh start

build:
	$(GO) build -o bin/sluice ./cmd/sluice

# gofmt must have nothing to say (the servers' state in .dbs/ is not
# walked); vet sees the integration tests too.
lint:
	@files="$$(find . -path ./.dbs -prune -o -path ./.dbs-private -prune -o -path ./.git -prune -o -name '*.go' -print | xargs gofmt -l)" || exit 1; \
	if [ -n "$$files" ]; then echo "gofmt -l: these files need gofmt -w:"; echo "$$files"; exit 1; fi
	$(GO) vet ./...
	$(GO) vet -tags integration ./...

unit:
	$(GO) test ./...

# scripts/dbs.sh env exports the servers' URLs, so non-default ports
# (SLUICE_MYSQL_PORT, SLUICE_PG_PORT) reach the tests.
integration: dbs
	eval "$$(scripts/dbs.sh env)" && \
	$(GO) test -tags integration -count=1 -timeout 20m ./...

# Tests that purge or reset a binlog or change global settings run against
# a MariaDB of their own (never the shared one the other tests use).
PRIVATE := SLUICE_DBS_DIR=$(CURDIR)/.dbs-private SLUICE_MYSQL_PORT=33071 SLUICE_PG_PORT=54331
integration-private: deps
	$(PRIVATE) scripts/dbs.sh start
	eval "$$($(PRIVATE) scripts/dbs.sh env)" && SLUICE_TEST_DESTRUCTIVE=1 \
	$(GO) test -tags integration -count=1 -timeout 10m -run 'Binlog' ./internal/source/; \
	rc=$$?; $(PRIVATE) scripts/dbs.sh clean; exit $$rc

test: lint unit integration integration-private

demo: dbs build
	./scripts/demo.sh

bench: dbs build
	./bench/run.sh

bench-cdc: dbs build
	./bench/cdc.sh

bench-verify: dbs build
	./bench/verify.sh

# sluice server under load: 20 tasks syncing small databases at once, the
# API called at 50 requests/s meanwhile; report in bench/out/server-*.md.
bench-server: dbs build
	eval "$$(scripts/dbs.sh env)" && $(GO) run ./bench/serverload --sluice bin/sluice

# Stop the test servers and remove their state directory.
clean-dbs:
	scripts/dbs.sh clean
