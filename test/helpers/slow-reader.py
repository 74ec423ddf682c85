"""A client that reads slowly, as over a real link (issue 16 fair-turns tests).

Node cannot set socket options on TCP, and on loopback the segment size is 64 KiB: a receiver
that reads 1 KiB/s then opens its window only once a minute, so no server could tell it from a
client that reads nothing. This client clamps its segment size and receive buffer to what a
network link has, so its window opens every few seconds while it reads.

argv: port slow_seconds bytes_per_second out_path end_marker_hex end_count timeout_seconds
stdin: the bytes to send at once (login and pipelined commands). The reply bytes go to
out_path; a JSON summary goes to stdout.
"""
import json
import socket
import sys
import time

port, slow_s, rate, out_path, marker, end_count, timeout_s = sys.argv[1:8]
slow_s, rate, end_count, timeout_s = float(slow_s), int(rate), int(end_count), float(timeout_s)
marker = bytes.fromhex(marker)
payload = sys.stdin.buffer.read()

s = socket.socket()
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, 1460)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8192)
s.connect(('127.0.0.1', int(port)))
s.sendall(payload)

got = bytearray()
found = 0
searched = 0
closed_during_slow = False
closed = False


def take(chunk):
    global found, searched
    got.extend(chunk)
    while True:
        at = got.find(marker, searched)
        if at < 0:
            searched = max(searched, len(got) - len(marker) + 1)
            return
        found += 1
        searched = at + len(marker)


slow_end = time.monotonic() + slow_s
start = time.monotonic()
slow_bytes = 0
while time.monotonic() < slow_end and found < end_count:
    s.settimeout(max(0.05, slow_end - time.monotonic()))
    try:
        chunk = s.recv(min(1024, rate))
    except socket.timeout:
        continue
    except ConnectionError:
        chunk = b''
    if not chunk:
        closed_during_slow = closed = True
        break
    take(chunk)
    slow_bytes += len(chunk)
    # no faster than the rate, measured from the start of the slow phase
    wait = start + slow_bytes / rate - time.monotonic()
    if wait > 0:
        time.sleep(min(wait, max(0.0, slow_end - time.monotonic())))

deadline = time.monotonic() + timeout_s
timed_out = False
while not closed and found < end_count:
    left = deadline - time.monotonic()
    if left <= 0:
        timed_out = True
        break
    s.settimeout(left)
    try:
        chunk = s.recv(65536)
    except socket.timeout:
        continue
    except ConnectionError:
        chunk = b''
    if not chunk:
        closed = True
        break
    take(chunk)

s.close()
with open(out_path, 'wb') as f:
    f.write(got)
print(json.dumps({'slowBytes': slow_bytes, 'total': len(got), 'found': found, 'closedDuringSlow': closed_during_slow, 'closed': closed, 'timedOut': timed_out}))
