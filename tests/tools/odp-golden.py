#!/usr/bin/env python3
"""Captures what the real OVS 3.1 ovs-vswitchd makes of `netdev-dummy/receive` arguments.

Usage: tests/tools/odp-golden.py [SAMPLES [GOLDEN]]
  (defaults: vswitchd/src/test/resources/odp/samples.txt and golden.txt beside it)

For every line of SAMPLES (one `ovs-appctl netdev-dummy/receive p1 ARGS...` call a line, the
arguments separated by TABs, '' for an empty argument; "!vlan-limit N" sets
other_config:vlan-limit for the lines after it; '#' starts a comment), it runs the call against
a private real ovs-vswitchd (--enable-dummy=override --disable-system, its own ovsdb-server, all
in a temporary directory) and writes to GOLDEN one block per call:

    case: ARG<TAB>ARG...            (the line as given)
    vlan-limit: N
    frame: HEX                      (one per packet queued on p1, in order)
    error: TEXT                     (the error reply, if any; newlines as \\n)

The frames are read from p1's rxq_pcap, which netdev-dummy writes (and flushes) as it queues
each packet, before replying: these are exactly the bytes OVS composed, whether or not the
datapath could forward them.  p1 and p2 are both in br0 with in_port=1,actions=output:2, and at
the end the script checks that p2's tx_pcap holds the same frames (less those over p2's MTU):
the port a frame is received on is what the datapath uses, whatever in_port(N) the flow names.
The daemons are stopped by their pid files and the directory is removed, also on failure.
"""

import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
RES = os.path.join(HERE, '..', '..', 'vswitchd', 'src', 'test', 'resources', 'odp')
SCHEMA = '/usr/share/openvswitch/vswitch.ovsschema'
MTU_FRAME = 1500 + 14


def read_pcap(path):
    """Frames of a pcap file: 24-byte global header, then 16-byte record headers."""
    if not os.path.exists(path):
        return []
    data = open(path, 'rb').read()
    frames, off = [], 24
    while off + 16 <= len(data):
        _, _, incl, _ = struct.unpack_from('<IIII', data, off)
        off += 16
        frames.append(data[off:off + incl])
        off += incl
    return frames


class Ovs:
    def __init__(self, d):
        self.d = d
        self.env = dict(os.environ, OVS_RUNDIR=d, OVS_LOGDIR=d, OVS_DBDIR=d, OVS_SYSCONFDIR=d)
        self.db = 'unix:' + os.path.join(d, 'db.sock')

    def run(self, *argv, check=True):
        p = subprocess.run(argv, env=self.env, capture_output=True, text=True)
        if check and p.returncode:
            raise RuntimeError('%s failed: %s' % (' '.join(argv), p.stderr))
        return p

    def start(self):
        d = self.d
        self.run('ovsdb-tool', 'create', os.path.join(d, 'conf.db'), SCHEMA)
        self.run('ovsdb-server', '--remote=punix:' + os.path.join(d, 'db.sock'), '--detach',
                 '--pidfile=' + os.path.join(d, 'ovsdb-server.pid'),
                 '--log-file=' + os.path.join(d, 'ovsdb-server.log'), os.path.join(d, 'conf.db'))
        self.vsctl('--no-wait', 'init')
        self.run('ovs-vswitchd', '--enable-dummy=override', '--disable-system', '--detach',
                 '--pidfile=' + os.path.join(d, 'ovs-vswitchd.pid'),
                 '--log-file=' + os.path.join(d, 'ovs-vswitchd.log'), self.db)
        self.vsctl('add-br', 'br0', '--', 'set', 'bridge', 'br0', 'datapath-type=dummy',
                   '--', 'add-port', 'br0', 'p1', '--', 'set', 'Interface', 'p1', 'type=dummy',
                   'ofport_request=1', 'options:rxq_pcap=' + os.path.join(d, 'p1-rx.pcap'),
                   '--', 'add-port', 'br0', 'p2', '--', 'set', 'Interface', 'p2', 'type=dummy',
                   'ofport_request=2', 'options:tx_pcap=' + os.path.join(d, 'p2-tx.pcap'))
        self.run('ovs-ofctl', 'del-flows', 'br0')
        self.run('ovs-ofctl', 'add-flow', 'br0', 'in_port=1,actions=output:2')

    def vsctl(self, *args):
        return self.run('ovs-vsctl', '--db=' + self.db, *args)

    def appctl(self, *args):
        pid = open(os.path.join(self.d, 'ovs-vswitchd.pid')).read().strip()
        target = os.path.join(self.d, 'ovs-vswitchd.%s.ctl' % pid)
        return self.run('ovs-appctl', '-t', target, *args, check=False)

    def stop(self):
        for name in ('ovs-vswitchd', 'ovsdb-server'):
            path = os.path.join(self.d, name + '.pid')
            try:
                pid = int(open(path).read().strip())
            except (OSError, ValueError):
                continue
            try:
                os.kill(pid, signal.SIGTERM)
                for _ in range(50):
                    os.kill(pid, 0)
                    time.sleep(0.1)
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def parse_samples(path):
    """(vlan_limit, line, args) for each call in the samples file."""
    limit = '1'
    for line in open(path).read().split('\n'):
        if not line or line.startswith('#'):
            continue
        if line.startswith('!vlan-limit '):
            limit = line.split()[1]
            continue
        yield limit, line, ['' if a == "''" else a for a in line.split('\t')]


def main():
    samples = sys.argv[1] if len(sys.argv) > 1 else os.path.join(RES, 'samples.txt')
    golden = sys.argv[2] if len(sys.argv) > 2 else os.path.join(RES, 'golden.txt')
    d = tempfile.mkdtemp(prefix='odp-golden.')
    ovs = Ovs(d)
    try:
        ovs.start()
        rx_path = os.path.join(d, 'p1-rx.pcap')
        out, all_rx, limit_now = [], [], None
        for limit, line, args in parse_samples(samples):
            if limit != limit_now:
                ovs.vsctl('set', 'Open_vSwitch', '.', 'other_config:vlan-limit=' + limit)
                limit_now = limit
            before = len(read_pcap(rx_path))
            p = ovs.appctl('netdev-dummy/receive', 'p1', *args)
            frames = read_pcap(rx_path)[before:]
            all_rx += frames
            out.append('case: ' + line)
            out.append('vlan-limit: ' + limit)
            out += ['frame: ' + f.hex() for f in frames]
            if p.returncode:
                # appctl prints the reply, then its own line about the error.
                err = p.stderr.split('ovs-appctl: ')[0]
                if err.endswith('\n'):
                    err = err[:-1]
                out.append('error: ' + err.replace('\\', '\\\\').replace('\n', '\\n'))
            out.append('')
        with open(golden, 'w') as f:
            f.write('# Written by tests/tools/odp-golden.py from samples.txt with %s.\n'
                    % ovs.run('ovs-vswitchd', '--version').stdout.split('\n')[0])
            f.write('\n'.join(out))
        time.sleep(2)
        tx = read_pcap(os.path.join(d, 'p2-tx.pcap'))
        # netdev-dummy sends up to its MTU plus the Ethernet header, plus 4 for an 802.1Q tag.
        expect = [f for f in all_rx if len(f) <= MTU_FRAME + (4 if f[12:14] == b'\x81\x00' else 0)]
        print('%d calls, %d frames received on p1, %d sent on p2 (%d expected)'
              % (len(out) and sum(1 for l in out if l.startswith('case: ')), len(all_rx),
                 len(tx), len(expect)))
        if tx != expect:
            print('p2 did not send the frames p1 received', file=sys.stderr)
            return 1
        return 0
    finally:
        ovs.stop()
        shutil.rmtree(d, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
