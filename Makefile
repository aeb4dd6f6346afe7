VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
GO_FILES = git ls-files --cached --others --exclude-standard -- '*.go' | grep -Ev '(^|/)vendor/'

.PHONY: run test build vendor-frontend fmt vet

run:
	go run ./cmd/klientela

test:
	./test.sh

build:
	CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X klientela/internal/buildinfo.Version=$(VERSION)" -o bin/klientela ./cmd/klientela

vendor-frontend:
	scripts/vendor-frontend.sh

fmt:
	$(GO_FILES) | xargs -r gofmt -w

vet:
	go vet ./...
