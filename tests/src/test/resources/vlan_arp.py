# Asks for IPv4 address DST in VLAN VID through a packet socket on IFNAME, as a host on an 802.1Q
# trunk would, and prints the VLAN of the ARP reply ("reply vlan N", "reply vlan none" if
# untagged); exits 1 if no reply comes within 3 s. Used by ForwardingDaemonTest where the kernel
# has no 8021q module for a VLAN device.
import socket
import struct
import sys
import time

ifname, vid, src_ip, dst_ip = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
SOL_PACKET, PACKET_AUXDATA, TP_STATUS_VLAN_VALID = 263, 8, 1 << 4
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
s.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
s.bind((ifname, 0))
mac = s.getsockname()[4]
arp = struct.pack('!HHBBH6s4s6s4s', 1, 0x0800, 6, 4, 1, mac, socket.inet_aton(src_ip), b'\0' * 6,
                  socket.inet_aton(dst_ip))
frame = b'\xff' * 6 + mac + struct.pack('!HH', 0x8100, vid) + b'\x08\x06' + arp
s.settimeout(0.2)
deadline = time.time() + 3
while time.time() < deadline:
    s.send(frame)
    end = time.time() + 0.5
    while time.time() < end:
        try:
            data, anc, flags, addr = s.recvmsg(65535, 4096)
        except socket.timeout:
            break
        if addr[2] == socket.PACKET_OUTGOING:
            continue
        tci = None
        for level, kind, d in anc:
            if level == SOL_PACKET and kind == PACKET_AUXDATA:
                status, _, _, _, _, t, _ = struct.unpack('IIIHHHH', d[:20])
                if status & TP_STATUS_VLAN_VALID or t:
                    tci = t
        if tci is None and data[12:14] == b'\x81\x00':
            tci = struct.unpack('!H', data[14:16])[0]
            data = data[:12] + data[16:]
        if (data[12:14] == b'\x08\x06' and struct.unpack('!H', data[20:22])[0] == 2
                and data[28:32] == socket.inet_aton(dst_ip) and data[32:38] == mac):
            print('reply vlan', 'none' if tci is None else tci & 0xfff)
            sys.exit(0)
sys.exit(1)
