VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
GO_FILES = git ls-files --cached --others --exclude-standard -- '*.go' | grep -Ev '(^|/)vendor/'

.PHONY: run test build bench vendor-frontend fmt vet

run:
	go run ./cmd/klientela

test:
	./test.sh

build:
	CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X klientela/internal/buildinfo.Version=$(VERSION)" -o bin/klientela ./cmd/klientela

# The load benchmark of issue 7 (minutes): seeds 100 000 clients on SQLite and,
# with KLIENTELA_TEST_POSTGRES set, PostgreSQL (one and two instances), and
# writes its table into docs/performance.md. BENCH_FLAGS passes flags, e.g.
# BENCH_FLAGS='--clients 10000 --duration 3s'.
bench:
	go run ./cmd/loadbench $(BENCH_FLAGS)

vendor-frontend:
	scripts/vendor-frontend.sh

fmt:
	$(GO_FILES) | xargs -r gofmt -w

vet:
	go vet ./...
