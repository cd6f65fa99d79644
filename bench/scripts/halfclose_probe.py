"""Half-close probe (chaos11): two 0800 echoes (70=301, terminal CHAO0039) in one write, then
shutdown(SHUT_WR); prints every answer read before the switch closes. usage: python3 halfclose_probe.py PORT"""
import socket, sys
port = int(sys.argv[1])
body = bytes.fromhex("08008220000000800000040000000000000011271605001234564348414F303033390301")
body2 = bytes.fromhex("08008220000000800000040000000000000011271605001234574348414F303033390301")
frame = lambda b: len(b).to_bytes(2, "big") + b
s = socket.create_connection(("127.0.0.1", port), timeout=20)
s.sendall(frame(body) + frame(body2))
s.shutdown(socket.SHUT_WR)
data = b""
while True:
    chunk = s.recv(4096)
    if not chunk:
        break
    data += chunk
n = 0
while data:
    l = int.from_bytes(data[:2], "big"); m = data[2:2 + l]; data = data[2 + l:]; n += 1
    print("answer", m[:2].hex(), m.hex())
print("answers", n)
