#!/usr/bin/env python3
"""Writes the small video samples the emulator tests upload (checked in next to this
script, so no test needs an encoder):

* sample.mp4 / sample.mov: H.264 (Baseline, every frame an IDR of I_PCM macroblocks,
  so the bitstream is written by hand and decodes in any player), 32x32, 5 frames at
  10 fps (0.5 s), in an MP4 (brand isom) and a QuickTime (brand "qt  ") container.
* sample.webm: VP8, 64x48, 5 key frames at 10 fps (0.5 s). A VP8 key frame is what a
  lossy WebP holds, so the frames come from Pillow's WebP encoder
  (`pip install Pillow` to regenerate; the MP4/MOV need nothing but Python).

Usage: python3 make_samples.py [OUT_DIR]   (default: this script's directory)
"""
import io
import os
import struct
import sys

W, H, FRAMES, FPS = 32, 32, 5, 10


# ---------------------------------------------------------------- H.264 (I_PCM)

class Bits:
    def __init__(self):
        self.bits = []

    def u(self, n, v):
        for i in range(n - 1, -1, -1):
            self.bits.append((v >> i) & 1)

    def ue(self, v):
        v += 1
        n = v.bit_length()
        self.u(n - 1, 0)
        self.u(n, v)

    def se(self, v):
        self.ue(2 * v - 1 if v > 0 else -2 * v)

    def align_zero(self):
        while len(self.bits) % 8:
            self.bits.append(0)

    def trailing(self):
        self.bits.append(1)
        self.align_zero()

    def bytes(self):
        assert len(self.bits) % 8 == 0
        out = bytearray()
        for i in range(0, len(self.bits), 8):
            b = 0
            for bit in self.bits[i:i + 8]:
                b = (b << 1) | bit
            out.append(b)
        return bytes(out)


def nal(header, rbsp):
    """A NAL unit with emulation prevention bytes."""
    out = bytearray([header])
    zeros = 0
    for b in rbsp:
        if zeros >= 2 and b <= 3:
            out.append(3)
            zeros = 0
        out.append(b)
        zeros = zeros + 1 if b == 0 else 0
    return bytes(out)


PROFILE, CONSTRAINTS, LEVEL = 66, 0xC0, 12


def sps():
    b = Bits()
    b.u(8, PROFILE)
    b.u(8, CONSTRAINTS)
    b.u(8, LEVEL)
    b.ue(0)  # seq_parameter_set_id
    b.ue(0)  # log2_max_frame_num_minus4
    b.ue(2)  # pic_order_cnt_type
    b.ue(1)  # max_num_ref_frames
    b.u(1, 0)  # gaps_in_frame_num_value_allowed_flag
    b.ue(W // 16 - 1)
    b.ue(H // 16 - 1)
    b.u(1, 1)  # frame_mbs_only_flag
    b.u(1, 1)  # direct_8x8_inference_flag
    b.u(1, 0)  # frame_cropping_flag
    b.u(1, 0)  # vui_parameters_present_flag
    b.trailing()
    return nal(0x67, b.bytes())


def pps():
    b = Bits()
    b.ue(0)
    b.ue(0)
    b.u(1, 0)  # entropy_coding_mode_flag (CAVLC)
    b.u(1, 0)
    b.ue(0)  # num_slice_groups_minus1
    b.ue(0)
    b.ue(0)
    b.u(1, 0)
    b.u(2, 0)
    b.se(0)
    b.se(0)
    b.se(0)
    b.u(1, 1)  # deblocking_filter_control_present_flag
    b.u(1, 0)
    b.u(1, 0)
    b.trailing()
    return nal(0x68, b.bytes())


def idr(index):
    b = Bits()
    b.ue(0)  # first_mb_in_slice
    b.ue(7)  # slice_type: I (all slices)
    b.ue(0)  # pic_parameter_set_id
    b.u(4, 0)  # frame_num
    b.ue(index % 2)  # idr_pic_id: consecutive IDRs differ
    b.u(1, 0)  # no_output_of_prior_pics_flag
    b.u(1, 0)  # long_term_reference_flag
    b.se(0)  # slice_qp_delta
    b.ue(1)  # disable_deblocking_filter_idc
    for mby in range(H // 16):
        for mbx in range(W // 16):
            b.ue(25)  # mb_type I_PCM
            b.align_zero()
            for y in range(16):
                for x in range(16):
                    # A diagonal gradient that moves with the frame (16..235).
                    v = 16 + ((mbx * 16 + x + mby * 16 + y) * 3 + index * 40) % 220
                    b.u(8, v)
            for _ in range(64):
                b.u(8, 90 + 30 * (index % 3))  # Cb
            for _ in range(64):
                b.u(8, 160 - 20 * (index % 3))  # Cr
    b.trailing()
    return nal(0x65, b.bytes())


def box(kind, payload):
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def full(kind, version, flags, payload):
    return box(kind, struct.pack(">I", (version << 24) | flags) + payload)


MATRIX = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)


def mp4(quicktime):
    timescale, delta = 1000, 1000 // FPS
    duration = FRAMES * delta
    s, p = sps(), pps()
    samples = [idr(i) for i in range(FRAMES)]
    samples = [struct.pack(">I", len(x)) + x for x in samples]
    if quicktime:
        ftyp = box(b"ftyp", b"qt  " + struct.pack(">I", 0x200) + b"qt  ")
    else:
        ftyp = box(b"ftyp", b"isom" + struct.pack(">I", 0x200) + b"isomiso2avc1mp41")
    avcc = box(b"avcC", bytes([1, PROFILE, CONSTRAINTS, LEVEL, 0xFF, 0xE1])
               + struct.pack(">H", len(s)) + s + bytes([1]) + struct.pack(">H", len(p)) + p)
    avc1 = box(b"avc1", bytes(6) + struct.pack(">H", 1) + bytes(16)
               + struct.pack(">HHIIIH", W, H, 0x480000, 0x480000, 0, 1)
               + bytes(32) + struct.pack(">Hh", 0x18, -1) + avcc)
    stsd = full(b"stsd", 0, 0, struct.pack(">I", 1) + avc1)
    stts = full(b"stts", 0, 0, struct.pack(">III", 1, FRAMES, delta))
    stsc = full(b"stsc", 0, 0, struct.pack(">IIII", 1, 1, FRAMES, 1))
    stsz = full(b"stsz", 0, 0, struct.pack(">II", 0, FRAMES)
                + b"".join(struct.pack(">I", len(x)) for x in samples))

    def moov(offset):
        stco = full(b"stco", 0, 0, struct.pack(">II", 1, offset))
        stbl = box(b"stbl", stsd + stts + stsc + stsz + stco)
        dinf = box(b"dinf", full(b"dref", 0, 0, struct.pack(">I", 1) + full(b"url ", 0, 1, b"")))
        vmhd = full(b"vmhd", 0, 1, bytes(8))
        minf = box(b"minf", vmhd + dinf + stbl)
        hdlr = full(b"hdlr", 0, 0, (b"mhlr" if quicktime else bytes(4)) + b"vide" + bytes(12)
                    + b"VideoHandler\0")
        mdhd = full(b"mdhd", 0, 0, struct.pack(">IIIIHH", 0, 0, timescale, duration, 0x55C4, 0))
        mdia = box(b"mdia", mdhd + hdlr + minf)
        tkhd = full(b"tkhd", 0, 3, struct.pack(">IIIII", 0, 0, 1, 0, duration) + bytes(8)
                    + struct.pack(">hhhH", 0, 0, 0, 0) + MATRIX + struct.pack(">II", W << 16, H << 16))
        trak = box(b"trak", tkhd + mdia)
        mvhd = full(b"mvhd", 0, 0, struct.pack(">IIIIIH", 0, 0, timescale, duration, 0x10000, 0x100)
                    + bytes(10) + MATRIX + bytes(24) + struct.pack(">I", 2))
        return box(b"moov", mvhd + trak)

    first = moov(0)
    offset = len(ftyp) + len(first) + 8
    data = b"".join(samples)
    return ftyp + moov(offset) + box(b"mdat", data)


# ---------------------------------------------------------------- WebM (VP8)

def vint_size(n):
    for length in range(1, 9):
        if n < (1 << (7 * length)) - 1:
            return bytes([(1 << (8 - length)) | (n >> (8 * (length - 1)))]) + \
                (n & ((1 << (8 * (length - 1))) - 1)).to_bytes(length - 1, "big")
    raise ValueError(n)


def el(ident, payload):
    return ident + vint_size(len(payload)) + payload


def uint(ident, v):
    return el(ident, v.to_bytes(max(1, (v.bit_length() + 7) // 8), "big"))


def vp8_frames():
    from PIL import Image  # noqa: only needed to regenerate sample.webm

    frames = []
    for i in range(FRAMES):
        img = Image.new("RGB", (64, 48))
        img.putdata([((x * 4 + i * 40) % 256, (y * 5) % 256, 128 + 20 * i)
                     for y in range(48) for x in range(64)])
        buf = io.BytesIO()
        img.save(buf, "WEBP", quality=80, method=0)
        data = buf.getvalue()
        assert data[12:16] == b"VP8 ", "Pillow wrote a lossless or extended WebP"
        n = struct.unpack("<I", data[16:20])[0]
        frames.append(data[20:20 + n])
    return frames


def webm():
    header = el(b"\x1a\x45\xdf\xa3",
                uint(b"\x42\x86", 1) + uint(b"\x42\xf7", 1) + uint(b"\x42\xf2", 4)
                + uint(b"\x42\xf3", 8) + el(b"\x42\x82", b"webm") + uint(b"\x42\x87", 2)
                + uint(b"\x42\x85", 2))
    info = el(b"\x15\x49\xa9\x66",
              uint(b"\x2a\xd7\xb1", 1000000) + el(b"\x44\x89", struct.pack(">d", 1000.0 * FRAMES / FPS))
              + el(b"\x4d\x80", b"cldkit") + el(b"\x57\x41", b"cldkit"))
    video = el(b"\xe0", uint(b"\xb0", 64) + uint(b"\xba", 48))
    entry = el(b"\xae", uint(b"\xd7", 1) + uint(b"\x73\xc5", 1) + uint(b"\x83", 1)
               + el(b"\x86", b"V_VP8") + uint(b"\x23\xe3\x83", 1000000000 // FPS) + video)
    tracks = el(b"\x16\x54\xae\x6b", entry)
    blocks = b"".join(
        el(b"\xa3", b"\x81" + struct.pack(">hB", i * (1000 // FPS), 0x80) + f)
        for i, f in enumerate(vp8_frames()))
    cluster = el(b"\x1f\x43\xb6\x75", uint(b"\xe7", 0) + blocks)
    return header + el(b"\x18\x53\x80\x67", info + tracks + cluster)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    for name, data in (("sample.mp4", mp4(False)), ("sample.mov", mp4(True))):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
    try:
        data = webm()
    except ImportError:
        print("Pillow is missing: sample.webm left as it is", file=sys.stderr)
    else:
        with open(os.path.join(out, "sample.webm"), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
