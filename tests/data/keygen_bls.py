#!/usr/bin/env python3
"""Independent reference for Concordium's BLS key generation, from the description only
(docs/recovery.md): hashlib/hmac HKDF-SHA256 and Python integers, nothing shared with the Rust
code. Reads lines "standard|deprecated <ikm hex>" on stdin, prints the scalar as 64 hex digits.

- standard (keygen_bls, draft-irtf-cfrg-bls-signature-04 KeyGen): info = key_info || I2OSP(48, 2),
  OKM read big-endian;
- deprecated (keygen_bls_deprecated): info = key_info || [48, 0], OKM read little-endian.
Both: salt = SHA-256("BLS-SIG-KEYGEN-SALT-"), IKM || 0x00, retry with salt = SHA-256(salt) on 0.
"""
import hashlib
import hmac
import sys

R = 0x73EDA753299D7D483339D80809A1D80553BDA402FFFE5BFEFFFFFFFF00000001


def hkdf(salt, ikm, info, length):
    prk = hmac.new(salt, ikm, hashlib.sha256).digest()
    okm, t, i = b"", b"", 1
    while len(okm) < length:
        t = hmac.new(prk, t + info + bytes([i]), hashlib.sha256).digest()
        okm += t
        i += 1
    return okm[:length]


def keygen(ikm, deprecated):
    info = bytes([48, 0]) if deprecated else bytes([0, 48])
    salt = hashlib.sha256(b"BLS-SIG-KEYGEN-SALT-").digest()
    while True:
        okm = hkdf(salt, ikm + b"\x00", info, 48)
        sk = int.from_bytes(okm, "little" if deprecated else "big") % R
        if sk != 0:
            return sk
        salt = hashlib.sha256(salt).digest()


for line in sys.stdin:
    kind, ikm_hex = line.split()
    print("%064x" % keygen(bytes.fromhex(ikm_hex), kind == "deprecated"))
