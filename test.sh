#!/usr/bin/env bash
# test.sh — THE one command that runs every test of klientela.
#
#   ./test.sh                         # everything: go test ./...
#   ./test.sh -run TestFoo            # extra flags are passed to go test
#   ./test.sh -run TestFoo ./internal/store/   # a package path replaces ./...
#
# What it does, in order:
#   1. installs missing system packages (chromium, poppler-utils, postgresql,
#      ca-certificates) with apt-get on Debian/Ubuntu;
#   2. starts the local PostgreSQL cluster and makes sure a role and a database
#      "klientela_test" exist, then exports KLIENTELA_TEST_POSTGRES;
#   3. exports KLIENTELA_TEST_CHROMIUM (path of a Chromium/Chrome binary);
#   4. gofmt + go vet;
#   5. go test.
#
# Environment it honours:
#   CI=true                     a missing dependency is an error, not a warning
#   KLIENTELA_TEST_POSTGRES     if set, used as is (no local PostgreSQL setup)
#   KLIENTELA_TEST_CHROMIUM     if set, must point at an executable browser
#
# Locally (CI unset) anything that cannot be installed or started only prints a
# warning; the Go tests then skip the parts that need it.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

PG_ROLE=klientela_test
PG_PASSWORD=klientela_test
PG_DB=klientela_test

step() { printf '==> %s\n' "$*"; }
info() { printf '    %s\n' "$*"; }

is_ci() {
	case "${CI:-}" in
	true | TRUE | True | 1 | yes) return 0 ;;
	*) return 1 ;;
	esac
}

# problem MESSAGE: fatal under CI, a warning otherwise.
problem() {
	if is_ci; then
		printf 'test.sh: ERROR: %s\n' "$*" >&2
		printf 'test.sh: (CI=true: every test dependency must be available)\n' >&2
		exit 1
	fi
	printf 'test.sh: WARNING: %s\n' "$*" >&2
	printf 'test.sh: continuing; tests that need it will be skipped\n' >&2
}

# ---------------------------------------------------------------------------
# Privileges
# ---------------------------------------------------------------------------

# PRIV is one of: root, sudo (passwordless), sudo-ask (may prompt), none.
PRIV=none
if [[ ${EUID} -eq 0 ]]; then
	PRIV=root
elif command -v sudo >/dev/null 2>&1; then
	if sudo -n true >/dev/null 2>&1; then
		PRIV=sudo
	elif ! is_ci && [[ -t 0 ]]; then
		PRIV=sudo-ask
	fi
fi

# as_root CMD...: run CMD as root (directly, or through sudo).
as_root() {
	case "${PRIV}" in
	root) "$@" ;;
	sudo) sudo -n "$@" ;;
	sudo-ask) sudo "$@" ;;
	*) return 1 ;;
	esac
}

# as_user USER CMD...: run CMD as the OS user USER, from / so that the target
# user never trips over an unreadable current directory.
as_user() {
	local user=$1
	shift
	if [[ "$(id -un)" == "${user}" ]]; then
		(cd / && "$@")
		return
	fi
	case "${PRIV}" in
	root) (cd / && runuser -u "${user}" -- "$@") ;;
	sudo) (cd / && sudo -n -u "${user}" -- "$@") ;;
	sudo-ask) (cd / && sudo -u "${user}" -- "$@") ;;
	*) return 1 ;;
	esac
}

find_chromium() {
	local c
	for c in chromium chromium-browser google-chrome google-chrome-stable; do
		if command -v "${c}" >/dev/null 2>&1; then
			command -v "${c}"
			return 0
		fi
	done
	return 1
}

have_pg_server() {
	command -v pg_ctlcluster >/dev/null 2>&1 &&
		compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null
}

# ---------------------------------------------------------------------------
# 1. System packages
# ---------------------------------------------------------------------------
step "system packages"

missing=()
if [[ -z "${KLIENTELA_TEST_CHROMIUM:-}" ]] && ! find_chromium >/dev/null; then
	# fonts-liberation is only a Recommends of chromium; screenshots need it.
	missing+=(chromium fonts-liberation)
fi
if ! command -v pdftotext >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1; then
	missing+=(poppler-utils)
fi
if [[ -z "${KLIENTELA_TEST_POSTGRES:-}" ]] &&
	{ ! have_pg_server || ! command -v psql >/dev/null 2>&1 || ! command -v pg_isready >/dev/null 2>&1; }; then
	missing+=(postgresql)
fi
if command -v dpkg >/dev/null 2>&1 && ! dpkg -s ca-certificates >/dev/null 2>&1; then
	missing+=(ca-certificates)
fi

if [[ ${#missing[@]} -eq 0 ]]; then
	info "all present"
elif ! command -v apt-get >/dev/null 2>&1; then
	problem "missing packages (${missing[*]}) and no apt-get to install them; install them by hand"
elif [[ "${PRIV}" == none ]]; then
	problem "missing packages (${missing[*]}) and neither root nor sudo to install them; run: sudo apt-get install ${missing[*]}"
else
	info "installing: ${missing[*]} (apt-get; this can take a few minutes)"
	apt_log=$(mktemp)
	if as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >"${apt_log}" 2>&1 &&
		as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			"${missing[@]}" >>"${apt_log}" 2>&1; then
		info "installed"
	else
		sed 's/^/    apt: /' "${apt_log}" | tail -n 40 >&2
		problem "apt-get install ${missing[*]} failed"
	fi
	rm -f "${apt_log}"
fi

# ---------------------------------------------------------------------------
# 2. PostgreSQL
# ---------------------------------------------------------------------------
step "postgresql"

# setup_postgres: start the local cluster, create role + database, export the
# URL. Returns non-zero (with a message on stderr) on any failure. It runs in
# an `if` condition, where `set -e` is off, so every step checks itself.
setup_postgres() {
	local ver name port status owner rest line admin_failed=''
	local best_ver='' best_name='' best_port='' best_status='' best_owner=''

	if ! have_pg_server; then
		echo "no PostgreSQL server installed (pg_ctlcluster / postgres binary not found)" >&2
		return 1
	fi

	# Choose a cluster: an online one if any, otherwise the newest version.
	while read -r ver name port status owner rest; do
		[[ -n "${ver}" ]] || continue
		if [[ -z "${best_ver}" ]] ||
			{ [[ "${status}" == online* && "${best_status}" != online* ]]; } ||
			{ [[ "${status}" == online* || "${best_status}" != online* ]] &&
				[[ "${ver%%.*}" -gt "${best_ver%%.*}" ]]; }; then
			best_ver=${ver} best_name=${name} best_port=${port} best_status=${status} best_owner=${owner}
		fi
	done < <(pg_lsclusters -h 2>/dev/null)

	if [[ -z "${best_ver}" ]]; then
		# No cluster at all: create one with the newest installed server.
		ver=$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort -n | tail -n 1)
		info "no cluster found; creating ${ver}/main"
		as_root pg_createcluster --locale C.UTF-8 "${ver}" main >/dev/null || {
			echo "pg_createcluster ${ver} main failed" >&2
			return 1
		}
		line=$(pg_lsclusters -h 2>/dev/null | awk -v v="${ver}" '$1 == v && $2 == "main"')
		read -r best_ver best_name best_port best_status best_owner rest <<<"${line}"
		if [[ -z "${best_ver}" ]]; then
			echo "cluster ${ver}/main not listed after pg_createcluster" >&2
			return 1
		fi
	fi

	ver=${best_ver} name=${best_name} port=${best_port} status=${best_status} owner=${best_owner:-postgres}
	info "cluster ${ver}/${name} on port ${port}: ${status}"

	if [[ "${status}" != online* ]]; then
		info "starting ${ver}/${name}"
		as_root pg_ctlcluster "${ver}" "${name}" start || {
			echo "pg_ctlcluster ${ver} ${name} start failed (see /var/log/postgresql/postgresql-${ver}-${name}.log)" >&2
			return 1
		}
	fi

	local i
	for ((i = 0; i < 30; i++)); do
		pg_isready -q -h 127.0.0.1 -p "${port}" && break
		sleep 1
	done
	if ! pg_isready -q -h 127.0.0.1 -p "${port}"; then
		echo "PostgreSQL on 127.0.0.1:${port} not ready after 30 s" >&2
		return 1
	fi

	# Role and database, idempotently. ALTER keeps the password/attributes
	# right even if the role was created differently before.
	as_user "${owner}" psql -X -q -v ON_ERROR_STOP=1 -p "${port}" -d postgres >/dev/null <<SQL || {
DO \$\$
BEGIN
	IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '${PG_ROLE}') THEN
		CREATE ROLE ${PG_ROLE} LOGIN CREATEDB PASSWORD '${PG_PASSWORD}';
	ELSE
		ALTER ROLE ${PG_ROLE} LOGIN CREATEDB PASSWORD '${PG_PASSWORD}';
	END IF;
END
\$\$;
SELECT 'CREATE DATABASE ${PG_DB} OWNER ${PG_ROLE}'
WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_database WHERE datname = '${PG_DB}')
\gexec
ALTER DATABASE ${PG_DB} OWNER TO ${PG_ROLE};
SQL
		admin_failed=1
	}

	# The client search's trigram index needs pg_trgm in the public schema.
	# The role owns the database and may create this trusted extension
	# itself (the migration does); creating it here as the superuser covers
	# databases it does not own. Tests then never race to create it.
	if [[ -z "${admin_failed}" ]]; then
		as_user "${owner}" psql -X -q -p "${port}" -d "${PG_DB}" \
			-c 'CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public' >/dev/null 2>&1 ||
			info "could not create pg_trgm as ${owner}; the migration will try as ${PG_ROLE}"
	fi

	local url="postgres://${PG_ROLE}:${PG_PASSWORD}@127.0.0.1:${port}/${PG_DB}?sslmode=disable"
	if [[ -n "${admin_failed}" ]]; then
		# Without root/sudo the role cannot be managed; an existing, working
		# role + database (set up earlier) is still fine.
		if psql "${url}" -X -q -tA -c 'select 1' >/dev/null 2>&1; then
			info "could not run psql as ${owner} (privileges: ${PRIV}); existing role/database work"
		else
			echo "could not create role/database ${PG_ROLE} as OS user ${owner} (privileges: ${PRIV}; needs root or sudo)" >&2
			return 1
		fi
	fi
	if ! psql "${url}" -X -q -tA -c 'select 1' >/dev/null; then
		echo "cannot connect with ${url}" >&2
		return 1
	fi
	export KLIENTELA_TEST_POSTGRES="${url}"
}

if [[ -n "${KLIENTELA_TEST_POSTGRES:-}" ]]; then
	info "KLIENTELA_TEST_POSTGRES given by caller; using it as is"
elif setup_postgres; then
	info "KLIENTELA_TEST_POSTGRES=${KLIENTELA_TEST_POSTGRES}"
else
	unset KLIENTELA_TEST_POSTGRES
	problem "PostgreSQL is not available for tests"
fi

# ---------------------------------------------------------------------------
# 3. Chromium
# ---------------------------------------------------------------------------
step "chromium"

if [[ -n "${KLIENTELA_TEST_CHROMIUM:-}" ]]; then
	if [[ -x "${KLIENTELA_TEST_CHROMIUM}" ]]; then
		info "KLIENTELA_TEST_CHROMIUM given by caller: ${KLIENTELA_TEST_CHROMIUM}"
		export KLIENTELA_TEST_CHROMIUM
	else
		bad=${KLIENTELA_TEST_CHROMIUM}
		unset KLIENTELA_TEST_CHROMIUM
		problem "KLIENTELA_TEST_CHROMIUM=${bad} is not an executable file"
	fi
elif chromium_path=$(find_chromium); then
	export KLIENTELA_TEST_CHROMIUM="${chromium_path}"
	info "KLIENTELA_TEST_CHROMIUM=${KLIENTELA_TEST_CHROMIUM}"
else
	unset KLIENTELA_TEST_CHROMIUM
	problem "no chromium / chromium-browser / google-chrome found"
fi

if ! command -v pdftotext >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1; then
	problem "pdftotext/pdftoppm (poppler-utils) not found"
fi

# ---------------------------------------------------------------------------
# 4. Static checks
# ---------------------------------------------------------------------------
if ! command -v go >/dev/null 2>&1 && [[ -x /usr/local/go/bin/go ]]; then
	PATH="/usr/local/go/bin:${PATH}"
	export PATH
fi
if ! command -v go >/dev/null 2>&1; then
	echo "test.sh: ERROR: go toolchain not found in PATH" >&2
	exit 1
fi

step "gofmt"
go_files=()
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	while IFS= read -r f; do
		[[ -f "${f}" ]] && go_files+=("${f}")
	done < <(git ls-files --cached --others --exclude-standard -- '*.go' | grep -Ev '(^|/)vendor/' | sort -u)
else
	while IFS= read -r f; do
		go_files+=("${f}")
	done < <(find . -name '*.go' -type f -not -path '*/vendor/*' -not -path './.git/*' | sort)
fi
if [[ ${#go_files[@]} -gt 0 ]]; then
	if ! unformatted=$(gofmt -l "${go_files[@]}"); then
		echo "test.sh: gofmt failed (syntax error?)" >&2
		exit 1
	fi
	if [[ -n "${unformatted}" ]]; then
		echo "test.sh: these files are not gofmt-formatted (run: make fmt):" >&2
		sed 's/^/    /' <<<"${unformatted}" >&2
		exit 1
	fi
	info "${#go_files[@]} files ok"
else
	info "no Go files"
fi

step "go vet"
go vet ./...

# ---------------------------------------------------------------------------
# 5. Tests
# ---------------------------------------------------------------------------
# A package path among the arguments replaces ./...; any other argument is a
# go test flag. Flags may follow the package list (go test accepts that).
packages=(./...)
for arg in "$@"; do
	case "${arg}" in
	. | ./* | ../* | klientela | klientela/*)
		packages=()
		break
		;;
	esac
done

cmd=(go test -count=1 -timeout 20m "${packages[@]}" "$@")
step "${cmd[*]}"
exec "${cmd[@]}"
