#!/usr/bin/env python3
"""Known answers for tests/unit/test_igvm_measure.c, computed independently.

This script shares no code with igvm/igvm_measure.c or the C test builder:
it lays out the same two small IGVM files from the format's description
(docs/igvm.md; the reference's Part A) and computes their launch
measurements with hashlib.  It was run once; its output is pasted into the
test, which does not need Python.  Run it again after changing a vector on
both sides:

    python3 tests/unit/igvm_measure_vectors.py
"""
import hashlib
import struct
import zlib

PAGE = 4096

SUPPORTED_PLATFORM = 0x001
GUEST_POLICY = 0x101
PARAMETER_AREA = 0x301
PAGE_DATA = 0x302
PARAMETER_INSERT = 0x303
VP_CONTEXT = 0x304
VP_COUNT = 0x307
MEMORY_MAP = 0x30C

NATIVE, VSM, SNP = 0, 1, 2

UNMEASURED, SHARED = 0x2, 0x4
NORMAL, SECRETS, CPUID_DATA, CPUID_XF = 0, 1, 2, 3

REG_RIP, REG_RSP, REG_CR0 = 0x00020010, 0x00020004, 0x00040000


def pattern_page(seed):
    return bytes((((i * 7 + seed * 13 + (i >> 8)) ^ seed) & 0xFF) for i in range(PAGE))


def native_x64_context(rip, rsp):
    """IgvmNativeVpContextX64 as the test builder fills it, padded to a page."""
    b = bytearray(PAGE)
    gprs = [0] * 16  # rax rcx rdx rbx rsp rbp rsi rdi r8..r15
    gprs[4] = rsp
    gprs[6] = 0x3F0000
    struct.pack_into("<16Q", b, 0, *gprs)
    struct.pack_into("<QQ", b, 0x80, rip, 0x2)  # rip, rflags
    struct.pack_into("<H", b, 0x9E, 0x17)  # gdtr_limit
    struct.pack_into("<Q", b, 0xA0, 0x201000)  # gdtr_base
    struct.pack_into("<HHII", b, 0xA8, 0x8, 0xA09B, 0, 0xFFFFFFFF)  # code
    struct.pack_into("<HHII", b, 0xB4, 0x10, 0xC093, 0, 0xFFFFFFFF)  # data
    struct.pack_into("<QQQQ", b, 0xC8, 0x80010033, 0x202000, 0x20, 0xD00)  # cr0 cr3 cr4 efer
    return bytes(b)


def vbs_context(regs):
    """VbsVpContextHeader + registers: vtl u8, name u32, 11 zero bytes, value 16."""
    out = struct.pack("<I", len(regs))
    for vtl, name, value in regs:
        out += struct.pack("<BI11x", vtl, name) + value.to_bytes(16, "little")
    return out


class File:
    def __init__(self):
        self.records = []  # (type, body bytes, blob index or None, field offset)
        self.blobs = []

    def blob(self, data):
        self.blobs.append(data)
        return len(self.blobs) - 1

    def rec(self, typ, body, blob=None, field=None):
        self.records.append((typ, body, blob, field))

    def layout(self):
        vh = 0
        for _, body, _, _ in self.records:
            vh += (8 + len(body) + 7) & ~7
        offsets, pos = [], 24 + vh
        for b in self.blobs:
            offsets.append(pos)
            pos += len(b)
        total = pos
        varhdr = bytearray()
        for typ, body, blob, field in self.records:
            body = bytearray(body)
            if blob is not None:
                struct.pack_into("<I", body, field, offsets[blob])
            rec = struct.pack("<II", typ, len(body)) + body
            rec += bytes((-len(rec)) % 8)
            varhdr += rec
        header = struct.pack("<6I", 0x4D564749, 1, 24, len(varhdr), total, 0)
        crc = zlib.crc32(header + varhdr) & 0xFFFFFFFF
        header = struct.pack("<6I", 0x4D564749, 1, 24, len(varhdr), total, crc)
        self.offsets = offsets
        return header + bytes(varhdr) + b"".join(self.blobs)

    # Record helpers (bodies per the format).
    def platform(self, mask, ptype, vtl):
        self.rec(SUPPORTED_PLATFORM, struct.pack("<IBBHQ", mask, vtl, ptype, 1, 0))

    def area(self, index, size):
        self.rec(PARAMETER_AREA, struct.pack("<QII", size, index, 0))

    def param(self, typ, index, off):
        self.rec(typ, struct.pack("<II", index, off))

    def page(self, gpa, mask, flags, dtype, blob=None):
        self.rec(PAGE_DATA, struct.pack("<QIIIHH", gpa, mask, 0, flags, dtype, 0), blob, 12)

    def insert(self, gpa, mask, index):
        self.rec(PARAMETER_INSERT, struct.pack("<QII", gpa, mask, index))

    def vp(self, gpa, mask, vp_index, blob):
        self.rec(VP_CONTEXT, struct.pack("<QIIHH", gpa, mask, 0, vp_index, 0), blob, 12)


def directives(f, mask):
    """(type, body, data) of the directive records applying to mask, in order."""
    areas = {}
    for typ, body, blob, _ in f.records:
        data = f.blobs[blob] if blob is not None else None
        if typ == PARAMETER_AREA:
            size, index, _ = struct.unpack("<QII", body)
            areas[index] = size
        elif typ in (PAGE_DATA, PARAMETER_INSERT, VP_CONTEXT):
            m = struct.unpack_from("<I", body, 8)[0]
            if m & mask:
                yield typ, body, data, areas


def vbs_digest(f, mask, platform_types):
    d = bytes(32)

    def chunk(c):
        nonlocal d
        d = hashlib.sha256(d + c).digest()

    for typ, body, data, areas in directives(f, mask):
        if typ == PAGE_DATA:
            gpa, _, _, flags, dtype, _ = struct.unpack("<QIIIHH", body)
            if flags & SHARED:
                continue
            assert dtype == NORMAL
            unmeasured = bool(flags & UNMEASURED)
            page = bytes(PAGE) if unmeasured or data is None else data
            chunk(struct.pack("<IIQQQ", 4128, 2, 0, 4 if unmeasured else 0, gpa // PAGE) + page)
        elif typ == PARAMETER_INSERT:
            gpa, _, index = struct.unpack("<QII", body)
            for off in range(0, areas[index], PAGE):
                chunk(struct.pack("<IIQQQ", 4128, 2, 0, 4, (gpa + off) // PAGE) + bytes(PAGE))
    # Registers after every page, VBS contexts only.
    for typ, body, data, _ in directives(f, mask):
        m = struct.unpack_from("<I", body, 8)[0]
        if typ != VP_CONTEXT or platform_types[m & mask] != VSM:
            continue
        (count,) = struct.unpack_from("<I", data, 0)
        for i in range(count):
            vtl, name = struct.unpack_from("<BI", data, 4 + 32 * i)
            value = data[4 + 32 * i + 16 : 4 + 32 * i + 32]
            chunk(struct.pack("<IIQIB7xI", 48, 0, 0, 0, vtl, name) + value)
    return d.hex()


def snp_digest(f, mask):
    ld = bytes(48)

    def page_info(gpa, ptype, contents):
        nonlocal ld
        if contents is None:
            h = bytes(48)
        else:
            h = hashlib.sha384(contents.ljust(PAGE, b"\0")).digest()
        ld = hashlib.sha384(ld + h + struct.pack("<HBBIQ", 0x70, ptype, 0, 0, gpa)).digest()

    for typ, body, data, areas in directives(f, mask):
        if typ == PAGE_DATA:
            gpa, _, _, flags, dtype, _ = struct.unpack("<QIIIHH", body)
            if flags & SHARED:
                continue
            if dtype == SECRETS:
                page_info(gpa, 5, None)
            elif dtype in (CPUID_DATA, CPUID_XF):
                page_info(gpa, 6, None)
            elif flags & UNMEASURED:
                page_info(gpa, 4, None)
            else:
                page_info(gpa, 1, data if data is not None else bytes(PAGE))
        elif typ == PARAMETER_INSERT:
            gpa, _, index = struct.unpack("<QII", body)
            for off in range(0, areas[index], PAGE):
                page_info(gpa + off, 4, None)
        elif typ == VP_CONTEXT:
            gpa = struct.unpack_from("<Q", body, 0)[0]
            page_info(gpa, 2, data)
    return ld.hex()


def vector_vbs():
    """NATIVE (mask 1) + VSM_ISOLATION (mask 2), x86_64."""
    f = File()
    p = [f.blob(pattern_page(s)) for s in (1, 2, 3, 4, 5)]
    regs = [(2, REG_RIP, 0x100000), (2, REG_RSP, 0x101FF0), (2, REG_CR0, 0x80010033)]
    vbs = f.blob(vbs_context(regs))
    native = f.blob(native_x64_context(0x100000, 0x101FF0))
    f.platform(1, NATIVE, 0)
    f.platform(2, VSM, 2)
    f.area(0, 2 * PAGE)
    f.param(VP_COUNT, 0, 0)
    f.page(0x100000, 3, 0, NORMAL, p[0])
    f.page(0x101000, 3, 0, NORMAL)  # zero page
    f.page(0x102000, 2, UNMEASURED, NORMAL, p[1])
    f.page(0x103000, 3, SHARED, NORMAL, p[2])
    f.page(0x104000, 1, 0, NORMAL, p[3])
    f.insert(0x110000, 3, 0)
    f.vp(0, 2, 0, vbs)
    f.vp(0, 1, 0, native)
    f.page(0x105000, 3, 0, NORMAL, p[4])  # after the VP contexts
    image = f.layout()
    types = {1: NATIVE, 2: VSM}
    return {
        "file_sha256": hashlib.sha256(image).hexdigest(),
        "vbs_vsm": vbs_digest(f, 2, types),
        "vbs_native": vbs_digest(f, 1, types),
        "snp_vsm": snp_digest(f, 2),
        "snp_native": snp_digest(f, 1),
    }


def vector_snp():
    """SEV_SNP (mask 1) + NATIVE (mask 2), x86_64: every SNP page type."""
    f = File()
    p = [f.blob(pattern_page(s)) for s in (11, 12, 13, 14)]
    vmsa = f.blob(pattern_page(15))
    native = f.blob(native_x64_context(0x800000, 0x801000))
    f.platform(1, SNP, 0)
    f.platform(2, NATIVE, 0)
    f.rec(GUEST_POLICY, struct.pack("<QII", 0x30000, 1, 0))
    f.area(5, PAGE)
    f.param(MEMORY_MAP, 5, 0)
    f.page(0x800000, 3, 0, NORMAL, p[0])
    f.page(0x801000, 1, 0, SECRETS)
    f.page(0x802000, 1, 0, CPUID_DATA, p[1])
    f.page(0x803000, 1, UNMEASURED, NORMAL, p[2])
    f.page(0x804000, 3, SHARED, NORMAL, p[3])
    f.page(0x805000, 3, 0, NORMAL)  # zero page
    f.insert(0x900000, 3, 5)
    f.vp(0xFFF000, 1, 0, vmsa)
    f.vp(0, 2, 0, native)
    f.page(0x806000, 1, 0, CPUID_XF)
    image = f.layout()
    types = {1: SNP, 2: NATIVE}
    return {
        "file_sha256": hashlib.sha256(image).hexdigest(),
        "snp_snp": snp_digest(f, 1),
        "snp_native": snp_digest(f, 2),
        "vbs_native": vbs_digest(f, 2, types),
    }


if __name__ == "__main__":
    for name, vec in (("vbs", vector_vbs()), ("snp", vector_snp())):
        for key, value in vec.items():
            print(f"{name}.{key} = {value}")
