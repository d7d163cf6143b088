#!/usr/bin/env python3
"""Holds N half-sent requests open against 127.0.0.1:PORT until killed (bench/http/front.sh).

Each connection sends a request line and part of a header, then nothing: the slow-headers attack.
Connections come from 127.0.0.10 and up (a new source address per PER_ADDRESS connections), as
clients behind many addresses would. A connection the server closes (its header timeout) is opened
again, so the load stays at N. Bounded: N sockets, one thread, epoll.
Usage: slow_clients.py PORT N [PER_ADDRESS]
"""
import selectors, socket, sys

port, n = int(sys.argv[1]), int(sys.argv[2])
per_address = int(sys.argv[3]) if len(sys.argv) > 3 else 200
HALF = b"GET /api/v1/challenges HTTP/1.1\r\nHost: x\r\nX-Slow: "
sel = selectors.DefaultSelector()


def open_one(i):
    s = socket.socket()
    s.bind(("127.0.0.%d" % (10 + i // per_address), 0))
    s.setblocking(False)
    try:
        s.connect(("127.0.0.1", port))
    except BlockingIOError:
        pass
    sel.register(s, selectors.EVENT_WRITE, (i, False))


for i in range(n):
    open_one(i)
print("slow_clients: %d connections" % n, flush=True)
reopened = 0
while True:
    for key, events in sel.select(timeout=1.0):
        s, (i, sent) = key.fileobj, key.data
        if not sent and events & selectors.EVENT_WRITE:
            try:
                s.send(HALF)
                sel.modify(s, selectors.EVENT_READ, (i, True))
                continue
            except OSError:
                pass
        try:
            data = s.recv(4096) if sent else b""
        except OSError:
            data = b""
        if not data:  # closed by the server (or refused): open it again
            sel.unregister(s)
            s.close()
            reopened += 1
            open_one(i)
