#!/usr/bin/env bash
# The part of the official mariadb image's entrypoint drctl's testenv relies on: MARIADB_ROOT_PASSWORD (or
# MYSQL_ROOT_PASSWORD), MARIADB_ALLOW_EMPTY_ROOT_PASSWORD, MARIADB_RANDOM_ROOT_PASSWORD, MARIADB_ROOT_HOST,
# MARIADB_DATABASE, MARIADB_USER, MARIADB_PASSWORD (and their MYSQL_ names), /docker-entrypoint-initdb.d/*.sql|*.sh,
# a first run with a temporary server without networking and without binary logging (so a new server holds no GTID
# of its own), the server running as the mysql user, and `--x` arguments meaning `mariadbd --x`.
set -Eeo pipefail
if [ "${1:0:1}" = '-' ]; then set -- mariadbd "$@"; fi
as_mysql() { if [ "$(id -u)" = 0 ]; then setpriv --reuid=mysql --regid=mysql --init-groups "$@"; else "$@"; fi; }
if [ "$1" = mariadbd ] || [ "$1" = mysqld ]; then
  datadir=/var/lib/mysql
  if [ ! -d "$datadir/mysql" ]; then
    root_pw=${MARIADB_ROOT_PASSWORD:-${MYSQL_ROOT_PASSWORD:-}}
    empty=${MARIADB_ALLOW_EMPTY_ROOT_PASSWORD:-${MYSQL_ALLOW_EMPTY_PASSWORD:-}}
    random=${MARIADB_RANDOM_ROOT_PASSWORD:-${MYSQL_RANDOM_ROOT_PASSWORD:-}}
    if [ -z "$root_pw" ] && [ -z "$empty" ] && [ -z "$random" ]; then
      echo "Error: Database is uninitialized and password option is not specified (MARIADB_ROOT_PASSWORD)." >&2
      exit 1
    fi
    if [ -n "$random" ]; then
      root_pw=$(tr -dc 'A-Za-z0-9' </dev/urandom | head -c 32)
      echo "GENERATED ROOT PASSWORD: $root_pw"
    fi
    mariadb-install-db --user=mysql --datadir="$datadir" --auth-root-authentication-method=normal \
      --skip-test-db --skip-name-resolve >/dev/null
    sock=/run/mysqld/init.sock
    as_mysql mariadbd --datadir="$datadir" --skip-networking --skip-log-bin --socket="$sock" --wsrep_on=OFF &
    for _ in $(seq 300); do mariadb-admin --socket="$sock" -uroot ping >/dev/null 2>&1 && break; sleep 0.1; done
    root_host=${MARIADB_ROOT_HOST:-%}
    db=${MARIADB_DATABASE:-${MYSQL_DATABASE:-}}
    user=${MARIADB_USER:-${MYSQL_USER:-}}
    pass=${MARIADB_PASSWORD:-${MYSQL_PASSWORD:-}}
    q() { printf "%s" "${1//\'/\'\'}"; }
    {
      echo "SET @@SESSION.SQL_LOG_BIN=0;"
      echo "DELETE FROM mysql.global_priv WHERE User='';"
      echo "ALTER USER 'root'@'localhost' IDENTIFIED BY '$(q "$root_pw")';"
      if [ "$root_host" != localhost ]; then
        echo "CREATE OR REPLACE USER 'root'@'$(q "$root_host")' IDENTIFIED BY '$(q "$root_pw")';"
        echo "GRANT ALL ON *.* TO 'root'@'$(q "$root_host")' WITH GRANT OPTION;"
      fi
      [ -n "$db" ] && echo "CREATE DATABASE IF NOT EXISTS \`$db\`;"
      if [ -n "$user" ]; then
        echo "CREATE OR REPLACE USER '$(q "$user")'@'%' IDENTIFIED BY '$(q "$pass")';"
        [ -n "$db" ] && echo "GRANT ALL ON \`$db\`.* TO '$(q "$user")'@'%';"
      fi
      echo "FLUSH PRIVILEGES;"
    } | mariadb --socket="$sock" -uroot
    for f in /docker-entrypoint-initdb.d/*; do
      case "$f" in
        *.sh) echo "running $f"; . "$f" ;;
        *.sql) echo "running $f"; mariadb --socket="$sock" -uroot ${root_pw:+"-p$root_pw"} ${db:+"$db"} <"$f" ;;
        *) ;;
      esac
    done
    mariadb-admin --socket="$sock" -uroot ${root_pw:+"-p$root_pw"} shutdown
    wait
    echo "MariaDB init process done. Ready for start up."
  fi
  if [ "$(id -u)" = 0 ]; then
    exec setpriv --reuid=mysql --regid=mysql --init-groups "$@"
  fi
fi
exec "$@"
