#!/usr/bin/env bash
# vendor-frontend.sh — fetch pinned front-end libraries from the npm registry
# and copy their built files into internal/web/static/vendor/<dir>/, so that
# the Go binary embeds them and neither `go run` nor the tests need Node.
#
# Run it only to add or upgrade a library (`make vendor-frontend`); the
# results are committed. Needs npm (for `npm pack`), tar, and openssl or
# sha512sum+perl+base64.
#
# To add or upgrade a library: look up the version and its integrity with
#   npm view NAME versions --json
#   npm view NAME@VERSION dist.integrity
# then add/edit ONE line in LIBS below and run the script again.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# One line per library, fields separated by '|':
#   npm name | version | dist.integrity (sha512) | dir under vendor/ | files
# "files" are paths inside the package (relative to its root), separated by
# spaces; each is copied flat into vendor/<dir>/. The package's license file
# must be one of them.
LIBS=(
	"htmx.org|2.0.11|sha512-Thx/WtpeOQqSrqBCw/A1cwGJGg4UrVa3+sW0GmrM3p4gJgO89ecH4qtbnyzDDWFvBTqjnIMCgELTNt636dtamA==|htmx|dist/htmx.min.js LICENSE"
	# FullCalendar 6 standard bundle (day grid, time grid, list, multi-month,
	# interaction); it injects its CSS through the CSSOM (insertRule), which
	# the Content-Security-Policy allows. Its locales live in @fullcalendar/core.
	"fullcalendar|6.1.21|sha512-yGZhflQmfCJKmmOlwJcQ0MPNAYABieaiJp9AaRgHBMRIUxNA+VFa6mkIbVNpjdSZIy9AY2HwteTt58tJ+3ktuQ==|fullcalendar|index.global.min.js LICENSE.md"
	"@fullcalendar/core|6.1.21|sha512-t3u/+sqh3Iq7TWtUnVLcGDUE6OWZh0UD3c04bI/l7lSLAgAKr3kngBmhHiQD1QXpwC8ZN5iNqG7a7gOVixhSKQ==|fullcalendar-locales|locales/pl.global.min.js LICENSE.md"
	"quill|2.0.3|sha512-xEYQBqfYx/sfb33VJiKnSJp8ehloavImQ2A6564GAbqG55PGw1dAWUn1MUbQB62t0azawUS2CZZhWCjO8gRvTw==|quill|dist/quill.js dist/quill.js.LICENSE.txt dist/quill.snow.css LICENSE"
)

VENDOR_DIR=internal/web/static/vendor

die() {
	printf 'vendor-frontend: ERROR: %s\n' "$*" >&2
	exit 1
}

# sri_sha512 FILE: the npm/SRI form "sha512-<base64 of the raw digest>".
sri_sha512() {
	local digest
	if command -v openssl >/dev/null 2>&1; then
		digest=$(openssl dgst -sha512 -binary "$1" | base64 | tr -d '\n')
	else
		digest=$(sha512sum "$1" | cut -d' ' -f1 | perl -ne 'chomp; print pack("H*", $_)' | base64 | tr -d '\n')
	fi
	printf 'sha512-%s' "${digest}"
}

command -v npm >/dev/null 2>&1 || die "npm not found (apt-get install npm, or any Node.js install)"
command -v tar >/dev/null 2>&1 || die "tar not found"

work=$(mktemp -d)
trap 'rm -rf "${work}"' EXIT

mkdir -p "${VENDOR_DIR}"
staging="${work}/vendor"
mkdir -p "${staging}"

versions="${work}/VERSIONS.txt"
{
	echo "# Front-end libraries vendored by scripts/vendor-frontend.sh (do not edit by hand)."
	echo "# name	version	integrity	license	dir"
} >"${versions}"

for entry in "${LIBS[@]}"; do
	IFS='|' read -r name version integrity dir files <<<"${entry}"
	[[ -n "${name}" && -n "${version}" && -n "${integrity}" && -n "${dir}" && -n "${files}" ]] ||
		die "malformed LIBS entry: ${entry}"
	[[ "${integrity}" == sha512-* ]] || die "${name}: integrity must be a sha512- value, got ${integrity}"
	[[ "${dir}" =~ ^[A-Za-z0-9._-]+$ ]] || die "${name}: bad vendor dir '${dir}'"

	echo "==> ${name}@${version}"
	pkgdir="${work}/pkg/${dir}"
	mkdir -p "${pkgdir}"

	# npm pack downloads the registry tarball without installing or running
	# any package script.
	(cd "${pkgdir}" && npm pack --silent --ignore-scripts "${name}@${version}" >/dev/null) ||
		die "npm pack ${name}@${version} failed"
	shopt -s nullglob
	tarballs=("${pkgdir}"/*.tgz)
	shopt -u nullglob
	[[ ${#tarballs[@]} -eq 1 ]] || die "${name}: expected one tarball from npm pack, got ${#tarballs[@]}"
	tarball=${tarballs[0]}

	actual=$(sri_sha512 "${tarball}")
	if [[ "${actual}" != "${integrity}" ]]; then
		printf 'vendor-frontend: INTEGRITY MISMATCH for %s@%s\n  expected %s\n  got      %s\n' \
			"${name}" "${version}" "${integrity}" "${actual}" >&2
		die "refusing to vendor ${name}@${version}"
	fi
	echo "    integrity ok: ${actual}"

	tar -xzf "${tarball}" -C "${pkgdir}"
	# npm tarballs keep everything under package/ (a few old ones differ).
	root="${pkgdir}/package"
	[[ -d "${root}" ]] || root=$(find "${pkgdir}" -mindepth 1 -maxdepth 1 -type d | head -n 1)
	[[ -d "${root}" ]] || die "${name}: no package directory in tarball"

	got_version=$(sed -n 's/^[[:space:]]*"version"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "${root}/package.json" | head -n 1)
	[[ "${got_version}" == "${version}" ]] || die "${name}: tarball says version ${got_version}, pinned ${version}"
	license=$(sed -n 's/^[[:space:]]*"license"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "${root}/package.json" | head -n 1)
	[[ -n "${license}" ]] || license=UNKNOWN

	out="${staging}/${dir}"
	mkdir -p "${out}"
	have_license=''
	read -r -a file_list <<<"${files}"
	for f in "${file_list[@]}"; do
		[[ "${f}" != *..* ]] || die "${name}: bad file path ${f}"
		[[ -f "${root}/${f}" ]] || die "${name}@${version}: file ${f} not in package"
		base=$(basename "${f}")
		[[ ! -e "${out}/${base}" ]] || die "${name}: two files named ${base}"
		cp "${root}/${f}" "${out}/${base}"
		case "${base}" in
		LICENSE* | LICENCE* | license* | COPYING*) have_license=1 ;;
		esac
		echo "    ${f} -> ${VENDOR_DIR}/${dir}/${base}"
	done
	[[ -n "${have_license}" ]] || die "${name}: the files list must include the package's LICENSE file"

	printf '%s\t%s\t%s\t%s\t%s\n' "${name}" "${version}" "${integrity}" "${license}" "${dir}" >>"${versions}"
done

# Replace each library's directory as a whole, so files dropped from the list
# (or from a new version) do not linger. Other entries of vendor/ are kept.
for entry in "${LIBS[@]}"; do
	IFS='|' read -r _ _ _ dir _ <<<"${entry}"
	rm -rf "${VENDOR_DIR:?}/${dir}"
	cp -R "${staging}/${dir}" "${VENDOR_DIR}/${dir}"
done
cp "${versions}" "${VENDOR_DIR}/VERSIONS.txt"

echo "==> wrote ${VENDOR_DIR}/VERSIONS.txt"
cat "${VENDOR_DIR}/VERSIONS.txt"
