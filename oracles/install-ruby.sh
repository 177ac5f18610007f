#!/bin/sh
# The Rails oracle (tests/test_rails_loader.py): a Ruby, and Ruby's dotenv gem 3.x, both from
# Debian's package registry through apt.  Debian 12 ships ruby-dotenv 2.4 (a different,
# line-based parser), so the gem comes from Debian unstable: apt downloads that one package
# (verified against the archive's signed index) without adding unstable to the system's
# sources, and only its lib/ is kept, in oracles/ruby-dotenv/ (git-ignored).
# Runs as root or with password-less sudo; elsewhere it says so and the oracle tests skip
# (CI sets ENVCHECK_REQUIRE_ORACLES, so there they fail instead).
set -eu
cd "$(dirname "$0")"
DEST=ruby-dotenv
PINNED=3.2.0-2
warn() { echo "install-ruby: $*: the Rails oracle tests will skip" >&2; exit 0; }

command -v apt-get >/dev/null 2>&1 || warn "apt-get is not available"
if [ "$(id -u)" = 0 ]; then as_root=""
elif sudo -n true 2>/dev/null; then as_root="sudo -n"
else warn "not root (apt-get needs it)"; fi

if ! command -v ruby >/dev/null 2>&1; then
    $as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq --no-install-recommends ruby >/dev/null
fi

# The archive the system already uses, with unstable as the only suite, in a scratch apt state.
uri=$(sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\/debian\)$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1)
[ -n "$uri" ] || uri=$(sed -n 's/^deb[[:space:]]\{1,\}\([^[:space:]]*\/debian\)[[:space:]].*/\1/p' /etc/apt/sources.list 2>/dev/null | head -n 1)
[ -n "$uri" ] || warn "no Debian archive in the apt sources"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/parts" "$tmp/lists/partial" "$tmp/cache/archives/partial"
cat > "$tmp/parts/unstable.sources" <<SOURCES
Types: deb
URIs: $uri
Suites: unstable
Components: main
Architectures: all
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
apt_tmp() {
    apt-get -qq -o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts="$tmp/parts" \
        -o Dir::State::Lists="$tmp/lists" -o Dir::Cache="$tmp/cache" \
        -o Dir::State::Status=/var/lib/dpkg/status -o Acquire::Languages=none "$@"
}
$as_root chmod 777 "$tmp" 2>/dev/null || true
apt_tmp update
(cd "$tmp" && { apt_tmp download "ruby-dotenv=$PINNED" 2>/dev/null || apt_tmp download ruby-dotenv/unstable; })
deb=$(ls "$tmp"/ruby-dotenv_*_all.deb)
version=$(dpkg-deb -f "$deb" Version)
case "$version" in 3.*) ;; *) warn "Debian unstable has ruby-dotenv $version, not 3.x" ;; esac
dpkg-deb -x "$deb" "$tmp/root"
rm -rf "$DEST"
mkdir -p "$DEST"
cp -R "$tmp"/root/usr/share/rubygems-integration/all/gems/dotenv-*/lib "$DEST/lib"
echo "$version" > "$DEST/VERSION"
echo "install-ruby: ruby-dotenv $version in oracles/$DEST/ ($(ruby --version | cut -d' ' -f1-2))"
