#!/usr/bin/env python3
# Convert a raw CPUID dump in another tool's format into the `cpuid -r`
# format of Debian's cpuid (Todd Allen's), without changing a value:
#
#   Fuchsia converter.py output (.inc):
#     DEFINE_CPUID_VALUES(0x00000004, 0x01, EAX, EBX, ECX, EDX)
#       -> one "CPU:" block (the .inc files were made from `cpuid -r1`)
#   AIDA64 / InstLatX64 CPUID dump (as stored by libcpuid's tests):
#     ------[ CPUID Registers / Logical CPU #N ]------  -> "CPU N:"
#     CPUID 0000000B: EAX-EBX-ECX-EDX [SL 01] [...]      -> leaf, subleaf 0x01
#     (no "[SL nn]": subleaf 0; bracketed annotations are dropped)
#
# Output lines: "   0x%08x 0x%02x: eax=0x%08x ebx=0x%08x ecx=0x%08x edx=0x%08x"
# Usage: to-cpuid-raw.py FILE > NAME.cpuid-raw.txt
import re
import sys

LINE = "   0x%08x 0x%02x: eax=0x%08x ebx=0x%08x ecx=0x%08x edx=0x%08x"
INC = re.compile(r"^DEFINE_CPUID_VALUES\((0x[0-9a-fA-F]+), (0x[0-9a-fA-F]+), "
                 r"(0x[0-9a-fA-F]+), (0x[0-9a-fA-F]+), (0x[0-9a-fA-F]+), "
                 r"(0x[0-9a-fA-F]+)\)$")
AIDA_CPU = re.compile(r"^------\[ CPUID Registers / Logical CPU #(\d+) \]------$")
AIDA = re.compile(r"^CPUID ([0-9A-F]{8}): ([0-9A-F]{8})-([0-9A-F]{8})-"
                  r"([0-9A-F]{8})-([0-9A-F]{8})(?: \[SL ([0-9A-F]{2})\])?")


def main():
    text = open(sys.argv[1]).read().splitlines()
    out = []
    if any(INC.match(l) for l in text):
        out.append("CPU:")
        for l in text:
            m = INC.match(l)
            if m:
                out.append(LINE % tuple(int(g, 16) for g in m.groups()))
            elif l and not l.startswith("//"):
                sys.exit("unexpected line: " + l)
    else:
        for l in text:
            m = AIDA_CPU.match(l)
            if m:
                out.append("CPU %d:" % int(m.group(1)))
                continue
            m = AIDA.match(l)
            if not m:
                sys.exit("unexpected line: " + l)
            leaf, a, b, c, d, sl = m.groups()
            out.append(LINE % (int(leaf, 16), int(sl or "0", 16), int(a, 16),
                               int(b, 16), int(c, 16), int(d, 16)))
    print("\n".join(out))


main()
