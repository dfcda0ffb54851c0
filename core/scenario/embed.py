#!/usr/bin/env python3
"""Embed text files as one C string (the scenario prelude), so the binary needs no data file at run time.

usage: embed.py OUTPUT NAME INPUT...  -- the inputs are concatenated in the order given: the prelude's parts
(core/scenario/prelude-*.lua) are one Lua chunk whose locals the later parts use."""
import sys

dst, name, srcs = sys.argv[1], sys.argv[2], sys.argv[3:]
if not srcs:
    sys.exit('usage: embed.py OUTPUT NAME INPUT...')
data = b''.join(open(src, 'rb').read() for src in srcs)
with open(dst, 'w') as out:
    out.write('/* Generated from %s by embed.py; do not edit. */\n' % ', '.join(s.split('/')[-1] for s in srcs))
    out.write('const char %s[] = {\n' % name)
    for i in range(0, len(data), 16):
        out.write('  ' + ', '.join('0x%02x' % b for b in data[i:i + 16]) + ',\n')
    out.write('  0x00\n};\n')
    out.write('const unsigned int %s_len = %d;\n' % (name, len(data)))
