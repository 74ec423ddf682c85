#!/usr/bin/env bash
# Create a Keep user over the native protocol (NEWU, SETP, QUIT) for imaptest's run.sh --adduser:
# one TCP conversation instead of a node process per user, so the compliance suite stays quick.
#   adduser.sh PORT USER PASSWORD
set -eu
port=$1 user=$2 pass=$3
exec 3<>"/dev/tcp/127.0.0.1/$port"
read -r -t 60 greeting <&3
printf 'NEWU %s\r\n' "$user" >&3
read -r -t 60 reply <&3
case $reply in 2*) ;; *) echo "NEWU $user: $reply" >&2; exit 1;; esac
printf 'SETP %s\r\n' "$pass" >&3
read -r -t 60 reply <&3
case $reply in 2*) ;; *) echo "SETP: $reply" >&2; exit 1;; esac
printf 'QUIT\r\n' >&3
timeout 5 cat <&3 >/dev/null || true
exec 3<&-
