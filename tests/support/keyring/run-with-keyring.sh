#!/bin/sh
# run-with-keyring.sh COMMAND [ARGS...]
#
# Runs COMMAND with a private, unlocked Secret Service so QtKeychain works on
# a headless machine (DESIGN.md §4): its own D-Bus session bus
# (dbus-run-session) and gnome-keyring-daemon's secrets component, with a
# throwaway HOME and XDG directories so no real keyring is touched. The
# password must be non-empty: an empty one leaves no `login` collection and
# every write fails. The daemon leaves with the bus when COMMAND ends.
set -eu

if ! command -v dbus-run-session >/dev/null 2>&1 \
    || ! command -v gnome-keyring-daemon >/dev/null 2>&1; then
    echo "run-with-keyring.sh: needs dbus-run-session and gnome-keyring-daemon" >&2
    exit 1
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/parlance-keyring.XXXXXX")
cleanup() { rm -rf "$scratch"; }
trap cleanup EXIT INT TERM

mkdir -p "$scratch/home" "$scratch/data" "$scratch/config" "$scratch/cache" "$scratch/run"
chmod 700 "$scratch/run"
export HOME="$scratch/home"
export XDG_DATA_HOME="$scratch/data"
export XDG_CONFIG_HOME="$scratch/config"
export XDG_CACHE_HOME="$scratch/cache"
export XDG_RUNTIME_DIR="$scratch/run"
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS

# Not exec: the trap must run after the bus went away. gnome-keyring-daemon
# exits when its session bus does, so nothing outlives this script.
status=0
dbus-run-session -- sh -c '
    printf "parlance-test-keyring" \
        | gnome-keyring-daemon --daemonize --unlock --components=secrets >/dev/null
    exec "$@"
' run-with-keyring "$@" || status=$?
exit $status
