#!/usr/bin/env python3
"""Frames the system tests send where ping cannot (standard library only).

  frames.py tun NAME SRC DST COUNT
      writes COUNT ICMP echo requests from SRC to DST into the tun device
      NAME (IFF_TUN, frames start at the IP header), then reads for up to
      2 seconds and prints how many echo replies came back.
  frames.py linktype NAME TYPE
      gives the persistent tun device NAME (down) the hardware type TYPE
      (an ARPHRD_* number, TUNSETLINK): a link of a kind bouclier cannot
      filter, without kernel modules.
  frames.py udp SRC DST SECONDS
      sends UDP datagrams from SRC to DST port 9 as fast as it can for
      SECONDS, and prints how many it sent (soak traffic that, unlike ping,
      does not wait for replies).
  frames.py pppoe IFACE DSTMAC SRC DST COUNT [SESSION]
      sends COUNT PPPoE session frames (ethertype 0x8864, PPP protocol
      0x0021) holding an ICMP echo request from SRC to DST out of IFACE
      with an AF_PACKET socket, and prints COUNT.

  frames.py answer PORT SECONDS
      answers every UDP datagram to PORT from PORT (a SIP 401), as a server
      of the town does, for SECONDS at most; prints "ready", then how many.
  frames.py probe IFACE DSTMAC SRC DST KIND PORTS [REPEAT]
      sends probes out of IFACE (AF_PACKET, so SRC may be any address,
      forged or not, IPv4 or IPv6): KIND syn (TCP SYN), ack (TCP ACK with
      data), udp (a datagram from port 40000), ike (an IKE_SA_INIT from an
      initiator, UDP 500), sip (a SIP REGISTER from port 40000), echo (ICMP
      or ICMPv6 echo request, PORTS ignored); PORTS a comma-separated list of ports and FIRST-LAST
      ranges, each probed REPEAT times (1); DST may be FIRST-LAST too
      (counted up), every port sent to every address; SRC may be
      FIRST-LAST as well, every source sending all of it (an IPv6 range
      counts up the /64: each source in a /64 of its own).  Prints the
      number of frames sent.

Addresses are IPv4 unless said.  Every loop is bounded by COUNT and by time.
"""
import fcntl
import os
import select
import socket
import struct
import sys
import time

TUNSETIFF = 0x400454CA
TUNSETLINK = 0x400454CD
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def echo_request(src, dst, seq):
    icmp = struct.pack("!BBHHH", 8, 0, 0, 0x4242, seq) + b"bouclier-test" * 4
    icmp = icmp[:2] + struct.pack("!H", checksum(icmp)) + icmp[4:]
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(icmp), seq, 0, 64, 1, 0,
                      socket.inet_aton(src), socket.inet_aton(dst))
    hdr = hdr[:10] + struct.pack("!H", checksum(hdr)) + hdr[12:]
    return hdr + icmp


def tun(name, src, dst, count):
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    # Attached, the device has its carrier, but its queue discipline is set
    # up later by the kernel's link watch (operstate "up" then): until then
    # the replies are dropped on the way out, and on a loaded machine that
    # was all 20 of them.
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        with open("/sys/class/net/%s/operstate" % name) as f:
            if f.read().strip() == "up":
                break
        time.sleep(0.01)
    for seq in range(count):
        os.write(fd, echo_request(src, dst, seq + 1))
    # until 2 s pass with nothing to read (at most 10 s in all): a loaded
    # machine that leaves this process waiting must not lose the replies
    # that wait in the queue meanwhile
    replies, deadline = 0, time.monotonic() + 10
    while time.monotonic() < deadline and replies < count:
        r, _, _ = select.select([fd], [], [], min(2, max(0, deadline - time.monotonic())))
        if not r:
            break
        pkt = os.read(fd, 4096)
        if len(pkt) >= 28 and pkt[0] >> 4 == 4 and pkt[9] == 1 and pkt[20] == 0 \
                and pkt[16:20] == socket.inet_aton(src):
            replies += 1
    print(replies)


def linktype(name, arphrd):
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    fcntl.ioctl(fd, TUNSETLINK, arphrd)
    os.close(fd)


def udp(src, dst, seconds):
    family = socket.AF_INET6 if ":" in dst else socket.AF_INET
    s = socket.socket(family, socket.SOCK_DGRAM)
    s.bind((src, 0))
    s.setblocking(False)
    sent, end, payload = 0, time.monotonic() + seconds, b"soak" * 4
    while True:
        for _ in range(256):
            try:
                s.sendto(payload, (dst, 9))
                sent += 1
            except BlockingIOError:
                pass
        if time.monotonic() >= end:
            break
    print(sent)


def pppoe(iface, dstmac, src, dst, count, session=0x2a):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    mac = bytes(int(x, 16) for x in dstmac.split(":"))
    for seq in range(count):
        ip = echo_request(src, dst, seq + 1)
        ppp = struct.pack("!BBHHH", 0x11, 0, session, len(ip) + 2, 0x0021) + ip
        s.send(mac + s.getsockname()[4][:6].ljust(6, b"\0") + b"\x88\x64" + ppp)
    print(count)


def ports_of(spec):
    out = []
    for part in spec.split(","):
        if "-" in part:
            a, b = part.split("-")
            out.extend(range(int(a), int(b) + 1))
        elif part:
            out.append(int(part))
    return out[:65536]


def addrs_of(spec, step64=False):
    if "-" not in spec:
        return [spec]
    first, last = spec.split("-")
    family = socket.AF_INET6 if ":" in first else socket.AF_INET
    a = int.from_bytes(socket.inet_pton(family, first), "big")
    b = int.from_bytes(socket.inet_pton(family, last), "big")
    n = 16 if family == socket.AF_INET6 else 4
    step = 1 << 64 if step64 and family == socket.AF_INET6 else 1
    count = min((b - a) // step + 1, 4096)
    return [socket.inet_ntop(family, (a + i * step).to_bytes(n, "big")) for i in range(count)]


def l4_checksum(src, dst, proto, seg):
    if ":" in dst:
        pseudo = socket.inet_pton(socket.AF_INET6, src) + socket.inet_pton(socket.AF_INET6, dst) \
            + struct.pack("!IxxxB", len(seg), proto)
    else:
        pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!xBH", proto, len(seg))
    return checksum(pseudo + seg)


def probe_frame(src, dst, kind, port, seq):
    v6 = ":" in dst
    if kind in ("syn", "ack"):
        proto, flags = 6, (0x02 if kind == "syn" else 0x18)
        payload = b"" if kind == "syn" else b"bouclier"
        seg = struct.pack("!HHIIBBHHH", 40000 + seq % 20000, port, 0x1000 + seq, 0 if kind == "syn" else 1,
                          5 << 4, flags, 65535, 0, 0) + payload
        seg = seg[:16] + struct.pack("!H", l4_checksum(src, dst, proto, seg)) + seg[18:]
    elif kind in ("udp", "ike", "sip"):
        proto = 17
        if kind == "sip":
            payload, sport = ("REGISTER sip:%s SIP/2.0\r\nCSeq: %d REGISTER\r\n\r\n"
                              % (dst, seq)).encode(), 40000
        elif kind == "ike":
            port = 500
            ike = struct.pack("!QQBBBBII", 0x1122334455667788 + seq, 0, 33, 0x20, 34, 0x08, 0, 28)
            payload, sport = ike, 500 + 1 + seq % 1000
        else:
            payload, sport = b"bouclier-probe", 40000
        seg = struct.pack("!HHHH", sport, port, 8 + len(payload), 0) + payload
        seg = seg[:6] + struct.pack("!H", l4_checksum(src, dst, proto, seg) or 0xFFFF) + seg[8:]
    else:  # echo
        proto = 58 if v6 else 1
        seg = struct.pack("!BBHHH", 128 if v6 else 8, 0, 0, 0x4243, seq) + b"bouclier-probe"
        cs = l4_checksum(src, dst, proto, seg) if v6 else checksum(seg)
        seg = seg[:2] + struct.pack("!H", cs) + seg[4:]
    if v6:
        hdr = struct.pack("!IHBB16s16s", 6 << 28, len(seg), proto, 64,
                          socket.inet_pton(socket.AF_INET6, src), socket.inet_pton(socket.AF_INET6, dst))
        return b"\x86\xdd", hdr + seg
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(seg), seq & 0xFFFF, 0, 64, proto, 0,
                      socket.inet_aton(src), socket.inet_aton(dst))
    hdr = hdr[:10] + struct.pack("!H", checksum(hdr)) + hdr[12:]
    return b"\x08\x00", hdr + seg


def probe(iface, dstmac, src, dst, kind, ports, repeat=1):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    mac = bytes(int(x, 16) for x in dstmac.split(":"))
    own = s.getsockname()[4][:6].ljust(6, b"\0")
    sent, seq, end = 0, 0, time.monotonic() + 30
    for a in addrs_of(src, step64=True):
        for d in addrs_of(dst):
            for port in (ports_of(ports) if kind != "echo" else [0]):
                for _ in range(repeat):
                    seq += 1
                    etype, ip = probe_frame(a, d, kind, port, seq)
                    s.send(mac + own + etype + ip)
                    sent += 1
                    if time.monotonic() > end:
                        print(sent)
                        return
    print(sent)


def answer(port, seconds):
    """Answers every UDP datagram to PORT, from PORT, as a server of the town
    would (a SIP 401), for SECONDS at most."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", port))
    s.settimeout(0.2)
    end, n = time.monotonic() + seconds, 0
    print("ready", flush=True)
    while time.monotonic() < end:
        try:
            _, peer = s.recvfrom(2048)
        except socket.timeout:
            continue
        s.sendto(b"SIP/2.0 401 Unauthorized\r\n\r\n", peer)
        n += 1
    print(n)


if __name__ == "__main__":
    a = sys.argv[1:]
    if a[:1] == ["tun"] and len(a) == 5:
        tun(a[1], a[2], a[3], int(a[4]))
    elif a[:1] == ["linktype"] and len(a) == 3:
        linktype(a[1], int(a[2]))
    elif a[:1] == ["udp"] and len(a) == 4:
        udp(a[1], a[2], float(a[3]))
    elif a[:1] == ["probe"] and len(a) in (7, 8):
        probe(a[1], a[2], a[3], a[4], a[5], a[6], int(a[7]) if len(a) == 8 else 1)
    elif a[:1] == ["answer"] and len(a) == 3:
        answer(int(a[1]), float(a[2]))
    elif a[:1] == ["pppoe"] and len(a) in (6, 7):
        pppoe(a[1], a[2], a[3], a[4], int(a[5]), int(a[6]) if len(a) == 7 else 0x2a)
    else:
        sys.exit(__doc__)
