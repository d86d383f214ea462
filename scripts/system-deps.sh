#!/bin/sh
# What the tests need that pip cannot install: the `openssl` binary (the differential oracle),
# Debian's Chromium (the browser tests drive it through Playwright; Playwright's own
# browser download is not reachable here) and npm (`make slides` and its test fetch the deck's
# JavaScript with `npm ci`), zip and Java's keytool (test_sources writes real archives and
# keystores with them). Installed only when missing and running as root.
set -eu
missing=""
command -v openssl >/dev/null 2>&1 || missing="$missing openssl"
[ -x /usr/bin/chromium ] || missing="$missing chromium"
command -v zip >/dev/null 2>&1 || missing="$missing zip"  # an Info-ZIP archive in test_sources
command -v keytool >/dev/null 2>&1 || missing="$missing default-jre-headless"  # a real JKS
command -v npm >/dev/null 2>&1 || missing="$missing nodejs npm"  # make slides: npm ci
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq $missing fonts-dejavu-core >/dev/null
else
  echo "Missing system packages:$missing. Install them (e.g. 'sudo apt-get install$missing');" >&2
  echo "the tests that need them will fail and say so." >&2
fi
