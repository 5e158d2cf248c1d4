#!/usr/bin/env bash
# Install the Debian packages listed in tools/system-packages.txt that are missing, when
# this user may (root, or sudo without a password); otherwise name exactly what to install
# and fail, so `make test` never runs with parts of the suite silently skipped.
set -euo pipefail
list="$(dirname "$0")/system-packages.txt"

missing=()
while read -r package probe _; do
  [[ -z "$package" || "$package" == \#* ]] && continue
  if [[ "$probe" == "-" ]]; then
    status="$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)"
    [[ "$status" == "install ok installed" ]] && continue
  else
    command -v "$probe" >/dev/null 2>&1 && continue
  fi
  missing+=("$package")
done <"$list"
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  as_root=(none)
fi
if [ "${as_root[0]:-}" = none ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "The tests need these Debian packages, which are missing: ${missing[*]}" >&2
  echo "Install them, then run make test again:" >&2
  echo "  sudo apt-get install --no-install-recommends ${missing[*]}" >&2
  exit 1
fi

echo "Installing the Debian packages the tests need: ${missing[*]}"
install() {
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
}
"${as_root[@]}" apt-get update -qq
# Once more after a pause: another apt run (unattended upgrades) may hold the dpkg lock.
install || { sleep 10; install; }
