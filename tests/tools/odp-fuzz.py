#!/usr/bin/env python3
"""Writes mutated netdev-dummy/receive calls, for a differential run against the real OVS.

Usage: tests/tools/odp-fuzz.py [N [SEED]] > calls.txt
       tests/tools/odp-golden.py calls.txt golden.txt
       mvn -B -o -q -pl vswitchd -am test -Dtest=OvsGoldenTest -Dodp.golden=$PWD/golden.txt \
           -Dsurefire.failIfNoSpecifiedTests=false

It reads vswitchd/src/test/resources/odp/samples.txt and writes N calls (default 2000) in the
same format, each a sample with some of: numbers replaced by others (small, hex, over 32 bits),
a character deleted, replaced or inserted, a cut, two attributes swapped, a --len added; the
calls are written again under vlan-limit 0. The same SEED (default 1) gives the same calls.
"""

import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLES = os.path.join(HERE, '..', '..', 'vswitchd', 'src', 'test', 'resources', 'odp',
                       'samples.txt')
CHARS = ',()=/:.x0123456789abcdefABCDEF -+|_ghilnoprstuvwy'


def number(rnd, m):
    r = rnd.random()
    if r < 0.4:
        return str(rnd.randint(0, 300))
    if r < 0.6:
        return hex(rnd.randint(0, 70000))
    if r < 0.7:
        return str(rnd.randint(0, 2 ** 33))
    return m.group(0)


def mutate(rnd, a):
    a = re.sub(r'(?<==)(0x[0-9a-f]+|\d+)(?=[,)])',
               lambda m: number(rnd, m) if rnd.random() < 0.3 else m.group(0), a)
    for _ in range(rnd.choice([0, 0, 1, 1, 2, 3])):
        if not a:
            break
        p = rnd.randrange(len(a))
        r = rnd.random()
        if r < 0.3:
            a = a[:p] + a[p + 1:]
        elif r < 0.6:
            a = a[:p] + rnd.choice(CHARS) + a[p + 1:]
        elif r < 0.85:
            a = a[:p] + rnd.choice(CHARS) + a[p:]
        else:
            a = a[:p]
    parts = a.split('),')
    if rnd.random() < 0.2 and len(parts) > 2:
        i, j = rnd.sample(range(len(parts) - 1), 2)
        parts[i], parts[j] = parts[j], parts[i]
        a = '),'.join(parts)
    return a


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    rnd = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    samples = [l for l in open(SAMPLES).read().split('\n')
               if l and l[0] not in '#!' and len(l) < 2000]
    calls = []
    for _ in range(n):
        args = rnd.choice(samples).split('\t')
        args[0] = mutate(rnd, args[0]) or "''"
        if rnd.random() < 0.25:
            args = args[:1] + ['--len', str(rnd.choice(
                [0, 59, 60, 61, 64, 70, 100, 128, 1514, 1600, rnd.randint(40, 400)]))]
        calls.append('\t'.join(args))
    print('!vlan-limit 1')
    print('\n'.join(calls))
    print('!vlan-limit 0')
    print('\n'.join(calls))


if __name__ == '__main__':
    main()
