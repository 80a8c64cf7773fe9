# Tsunagu: the front door. `make run` and `make test` are all a newcomer needs.
#
# Without DATABASE_URL / REDIS_URL, deploy/local-services.sh starts (and if
# needed installs) a project-local PostgreSQL and Redis under .local/.

SHELL := /bin/bash
# Go 1.26.11: the later 1.26 point release fixes standard-library
# vulnerabilities reachable here (multipart headers, Range, html/template).
# The go command fetches it through the Go module proxy on first use.
export GOTOOLCHAIN ?= go1.26.11
GO ?= go
BIN := .local/bin/tsunagu
# Start (or find) the services and export their URLs; stop if that fails.
# `make run` gets a durable cluster; `make test` its own fast, throwaway one.
SERVICES := services="$$(deploy/local-services.sh env)" && eval "$$services"
TEST_SERVICES := services="$$(deploy/local-services.sh test-env)" && eval "$$services"
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
GOVULNCHECK := golang.org/x/vuln/cmd/govulncheck@v1.9.0

.PHONY: run build test test-short stop status lint bench eval clean generate

## run: start local services, migrate, load demo data, serve on http://localhost:8080
run: build
	@$(SERVICES) && export TSUNAGU_DEV=$${TSUNAGU_DEV:-1} && \
		$(BIN) migrate && $(BIN) seed && exec $(BIN) serve

## build: compile the tsunagu binary into .local/bin
build:
	@mkdir -p .local/bin
	$(GO) build -o $(BIN) ./cmd/tsunagu

## test: start local services (own databases), then run every test with the race detector
test:
	@deploy/local-services.sh cc
	@deploy/local-services.sh chromium
	@$(TEST_SERVICES) && $(GO) test -race -count=1 -timeout 30m ./...

## generate: rewrite internal/apiclient/openapi.json from the API's document and regenerate the typed client (oapi-codegen)
generate:
	$(GO) generate ./internal/apiclient/

## stop: stop the local PostgreSQL and Redis
stop:
	@deploy/local-services.sh stop

status:
	@deploy/local-services.sh status

## lint: go vet, gofmt check, staticcheck
lint:
	$(GO) vet ./...
	@out="$$(gofmt -l cmd internal web migrations)"; if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	@# SA4023 is off: staticcheck v0.8.2 panics in its nilness facts on this code base (Go 1.26).
	$(GO) run $(STATICCHECK) -checks 'inherit,-SA4023' ./...
	@# govulncheck needs its vulnerability database (vuln.go.dev, or a local copy
	@# named by GOVULNDB=file:///path); where neither is reachable it says so and the
	@# lint goes on.
	@if out="$$($(GO) run $(GOVULNCHECK) ./... 2>&1)"; then echo "$$out" | tail -n 3; \
	elif echo "$$out" | grep -qiE 'dial|lookup|connection|no such host|timeout|fetching vulnerabilities'; then \
		echo "govulncheck skipped: vulnerability database unreachable (set GOVULNDB=file:///path to a local copy)"; \
	else echo "$$out"; exit 1; fi

## bench: generate candidates and roles, measure search and HTTP figures.
## SIZE=100k (default: 100,000 / 5,000), 300k (300,000 / 5,000) or 1m
## (1,000,000 / 10,000: the platform and import benchmarks only). PG_QUERIES caps the
## ts_rank queries (default 100), QUERIES the Bleve ones (default 1000);
## HEAP=file writes a heap profile after load (go tool pprof -top file).
SIZE ?= 100k
bench_cands_100k := 100000
bench_roles_100k := 5000
bench_only_100k := .
bench_cands_300k := 300000
bench_roles_300k := 5000
bench_only_300k := .
bench_cands_1m := 1000000
bench_roles_1m := 10000
bench_only_1m := Platform|Import
bench: build
	@test -n "$(bench_cands_$(SIZE))" || { echo "SIZE must be 100k, 300k or 1m"; exit 2; }
	@$(SERVICES) && export TSUNAGU_DEV=1 TSUNAGU_BENCH_CANDIDATES=$(bench_cands_$(SIZE)) \
		TSUNAGU_BENCH_ROLES=$(bench_roles_$(SIZE)) TSUNAGU_BENCH_PG_QUERIES=$${PG_QUERIES:-100} \
		TSUNAGU_BENCH_QUERIES=$${QUERIES:-1000} TSUNAGU_BENCH_HEAP=$${HEAP:-} && \
		$(GO) test -run '^$$' -bench '$(bench_only_$(SIZE))' -benchtime 1x -timeout 120m ./internal/bench/...

## eval: matching and normalisation figures on ../shared/eval
eval: build
	@$(SERVICES) && export TSUNAGU_DEV=1 && $(BIN) eval $${EVAL_DIR:-../shared/eval}

clean:
	rm -rf .local/bin data
