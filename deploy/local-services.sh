#!/usr/bin/env bash
# Local PostgreSQL and Redis for `make run` and `make test`.
#
#   deploy/local-services.sh env       start what is not configured; print `export` lines
#   deploy/local-services.sh test-env  the same for `make test`: a separate, fast, non-durable cluster
#   deploy/local-services.sh stop      stop the project's local services
#   deploy/local-services.sh status    say what runs
#   deploy/local-services.sh chromium  install Debian's chromium when missing (browser tests)
#   deploy/local-services.sh cc        install gcc and the C library headers when missing (go test -race)
#
# When DATABASE_URL (or REDIS_URL) is already set, that service is used as it
# is and nothing is started for it. Otherwise a project-local cluster is
# started: data under .local/ (git-ignored), loopback only, on ports 25432 and
# 26379 so as not to clash with a system PostgreSQL or Redis (and below the
# kernel's ephemeral port range, so no outgoing connection can hold them). Missing packages
# are installed with apt-get. PostgreSQL refuses to run as root, so as root it
# runs as the unprivileged system user "tsunagu".
#
# Durability: `make run` is how a newcomer first runs the platform and people
# may keep its data, so its cluster (.local/pg, port 25432) runs with
# PostgreSQL's durable defaults. `make test` gets its own cluster
# (.local/pg-test, port 25433) with fsync, synchronous_commit and
# full_page_writes off: throwaway databases, traded for speed. The settings are
# given on the server's command line at start, so an older cluster created with
# other settings is started the right way too.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="${TSUNAGU_LOCAL:-$ROOT/.local}"
PG_PORT="${TSUNAGU_PG_PORT:-25432}"
PG_DIR=pg
PG_SETTINGS="-c fsync=on -c synchronous_commit=on -c full_page_writes=on"
if [ "${1:-}" = test-env ]; then
	PG_PORT="${TSUNAGU_TEST_PG_PORT:-25433}"
	PG_DIR=pg-test
	PG_SETTINGS="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
fi
REDIS_PORT="${TSUNAGU_REDIS_PORT:-26379}"
PG_USER=tsunagu

say() { echo "local-services: $*" >&2; }
die() { say "error: $*"; exit 1; }

as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root or sudo to run: $*"; fi
}

apt_updated=
apt_update() {
	if [ -z "$apt_updated" ]; then
		say "apt-get update"
		as_root apt-get update -qq >&2
		apt_updated=1
	fi
}

apt_install() {
	command -v apt-get >/dev/null || die "apt-get not found: install $* by hand, or set DATABASE_URL/REDIS_URL"
	apt_update
	say "installing $* (apt-get)"
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
}

pg_bindir() {
	local d
	d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)"
	if [ -n "$d" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return; fi
	if command -v pg_ctl >/dev/null && command -v initdb >/dev/null; then dirname "$(command -v pg_ctl)"; return; fi
	echo ""
}

# run_pg runs a PostgreSQL binary as the unprivileged user when we are root.
run_pg() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u "$PG_USER" -- "$@"
	else
		"$@"
	fi
}

pg_data_dir() {
	# As root the data must live where the unprivileged user can reach it;
	# fall back to /var/tmp when the checkout's parents are not traversable.
	if [ "$(id -u)" -eq 0 ] && ! runuser -u "$PG_USER" -- test -x "$LOCAL" 2>/dev/null; then
		echo "/var/tmp/tsunagu-$(echo -n "$ROOT" | sha256sum | cut -c1-12)/$PG_DIR"
	else
		echo "$LOCAL/$PG_DIR"
	fi
}

start_pg() {
	if "$1/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" 2>/dev/null; then return; fi
	local bindir="$1" data
	if [ "$(id -u)" -eq 0 ] && ! id "$PG_USER" >/dev/null 2>&1; then
		say "creating system user $PG_USER to run PostgreSQL"
		useradd --system --no-create-home --shell /usr/sbin/nologin "$PG_USER"
	fi
	mkdir -p "$LOCAL"
	data="$(pg_data_dir)"
	if [ ! -f "$data/PG_VERSION" ]; then
		say "initialising PostgreSQL cluster in $data"
		mkdir -p "$data"
		if [ "$(id -u)" -eq 0 ]; then chown "$PG_USER" "$data"; fi
		chmod 700 "$data"
		run_pg "$bindir/initdb" -D "$data" -U "$PG_USER" --auth=trust -E UTF8 --locale=C.UTF-8 >"$LOCAL/initdb.log" 2>&1 \
			|| { cat "$LOCAL/initdb.log" >&2; die "initdb failed"; }
		cat >>"$data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
max_connections = 300
shared_buffers = 256MB
CONF
	fi
	say "starting PostgreSQL on 127.0.0.1:$PG_PORT"
	run_pg "$bindir/pg_ctl" -D "$data" -l "$data/server.log" -o "-p $PG_PORT $PG_SETTINGS" -w -t 60 start >/dev/null \
		|| { tail -n 20 "$data/server.log" >&2 || true; die "PostgreSQL did not start"; }
}

redis_dir() { echo "$LOCAL/redis"; }

start_redis() {
	if redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; then return; fi
	local dir; dir="$(redis_dir)"
	mkdir -p "$dir"
	say "starting Redis on 127.0.0.1:$REDIS_PORT"
	redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes --dir "$dir" \
		--pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --databases 64 \
		--save "" --appendonly no >"$dir/start.log" 2>&1 || true
	for _ in $(seq 50); do
		redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1 && return
		sleep 0.1
	done
	tail -n 20 "$dir/redis.log" >&2 || true
	die "Redis did not start"
}

cmd_env() {
	if [ -z "${DATABASE_URL:-}" ]; then
		local bindir; bindir="$(pg_bindir)"
		if [ -z "$bindir" ]; then apt_install postgresql; bindir="$(pg_bindir)"; fi
		[ -n "$bindir" ] || die "PostgreSQL binaries not found after install"
		start_pg "$bindir"
		"$bindir/psql" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='tsunagu'" | grep -q 1 \
			|| "$bindir/createdb" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" tsunagu
		echo "export DATABASE_URL='postgres://$PG_USER@127.0.0.1:$PG_PORT/tsunagu?sslmode=disable'"
		echo "export TSUNAGU_TEST_DATABASE_URL='${TSUNAGU_TEST_DATABASE_URL:-postgres://$PG_USER@127.0.0.1:$PG_PORT/postgres?sslmode=disable}'"
	else
		echo "export TSUNAGU_TEST_DATABASE_URL='${TSUNAGU_TEST_DATABASE_URL:-$DATABASE_URL}'"
	fi
	if [ -z "${REDIS_URL:-}" ]; then
		command -v redis-server >/dev/null || apt_install redis-server
		# Debian starts a system Redis on 6379 after install; ours is separate.
		start_redis
		echo "export REDIS_URL='redis://127.0.0.1:$REDIS_PORT/0'"
		echo "export TSUNAGU_TEST_REDIS_URL='${TSUNAGU_TEST_REDIS_URL:-redis://127.0.0.1:$REDIS_PORT}'"
	else
		echo "export TSUNAGU_TEST_REDIS_URL='${TSUNAGU_TEST_REDIS_URL:-$REDIS_URL}'"
	fi
}

cmd_stop() {
	local bindir data; bindir="$(pg_bindir)"
	for PG_DIR in pg pg-test; do
		data="$(pg_data_dir 2>/dev/null || echo "$LOCAL/$PG_DIR")"
		if [ -n "$bindir" ] && [ -f "$data/postmaster.pid" ]; then
			say "stopping PostgreSQL ($PG_DIR)"
			run_pg "$bindir/pg_ctl" -D "$data" -m fast -w stop >/dev/null || true
		fi
	done
	if redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; then
		say "stopping Redis"
		redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
	fi
}

cmd_status() {
	local bindir; bindir="$(pg_bindir)"
	local port
	for port in "$PG_PORT" "${TSUNAGU_TEST_PG_PORT:-25433}"; do
		if [ -n "$bindir" ] && "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port"; then echo "PostgreSQL: running on 127.0.0.1:$port"; else echo "PostgreSQL on $port: stopped"; fi
	done
	if redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; then echo "Redis: running on 127.0.0.1:$REDIS_PORT"; else echo "Redis: stopped"; fi
}

cmd_chromium() {
	if [ -n "${TSUNAGU_CHROMIUM:-}" ] || command -v chromium >/dev/null || command -v chromium-browser >/dev/null; then return; fi
	# Debian's package is chromium; where there is none (Ubuntu), take
	# chromium-browser (it installs the snap). fonts-noto-cjk renders Japanese.
	command -v apt-get >/dev/null || die "apt-get not found: install chromium by hand, or set TSUNAGU_CHROMIUM"
	apt_update
	local pkg=chromium
	if ! apt-cache show chromium >/dev/null 2>&1 && apt-cache show chromium-browser >/dev/null 2>&1; then
		pkg=chromium-browser
	fi
	apt_install "$pkg" fonts-noto-cjk
}

# go test -race needs cgo, and Go quietly turns cgo off when its C compiler is
# missing ("-race requires cgo"): a fresh Debian or Ubuntu has no gcc. gcc only
# recommends libc6-dev, which cgo needs too, so both are named.
cc_works() {
	printf '#include <stdlib.h>\nint main(void) { return 0; }\n' | "${CC:-gcc}" -x c -o /dev/null - >/dev/null 2>&1
}

cmd_cc() {
	if cc_works; then return; fi
	apt_install gcc libc6-dev
	cc_works || die "${CC:-gcc} cannot build a C program after install (go test -race needs cgo)"
}

case "${1:-}" in
	env | test-env) cmd_env ;;
	stop) cmd_stop ;;
	status) cmd_status ;;
	chromium) cmd_chromium ;;
	cc) cmd_cc ;;
	*) echo "usage: $0 env|test-env|stop|status|chromium|cc" >&2; exit 2 ;;
esac
