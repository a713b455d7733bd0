#!/usr/bin/env python3
"""Reference reader and writer for the wallet backup format "concordium-wallet-core-backup" v1.

This is an independent implementation of docs/backup-format.md, written from that text (not
from the Rust code), for cross-implementation tests and for the worked example in the spec. It
uses only the Python standard library and the `cryptography` package.

Usage:

    reference_reader.py decrypt FILE PASSWORD
        Prints the decrypted plaintext (the wallet JSON, byte for byte as it was encrypted) to
        stdout and exits 0. On failure it prints `ErrorClass: reason` on stderr and exits 1,
        where ErrorClass is one of FileTooLarge, NotABackup, UnsupportedVersion,
        UnsupportedEncryption, Damaged, ParamsOutOfRange, WrongPassword, PayloadInvalid,
        NotAWalletBackup, DesktopWalletExport (the error classes of the spec, section 13).

    reference_reader.py encrypt PLAINTEXT_JSON_FILE PASSWORD --iterations N --salt-hex H --nonce-hex H [--show-keys]
        Writes a backup file to stdout. The plaintext file's bytes are encrypted verbatim (they
        must be wallet JSON, see spec section 7); the metadata's `environment` is taken from it.
        --show-keys prints the intermediate values (master key, encryption key, key check, AAD,
        checksum) on stderr. Iteration counts below the writer minimum of 600,000 are accepted
        with a warning, because they are useful for test vectors; real backups must not use them.
        A fixed salt and nonce are for test vectors only: real writers draw both at random.

    Exit status: 0 on success, 1 on a format error (class name on stderr), 2 on a usage error.

THE PASSWORD IS TAKEN FROM THE COMMAND LINE ONLY BECAUSE THIS IS A TEST TOOL. Command lines
are visible to other users of the machine (ps, /proc) and end up in shell history. Never use
this script with a real backup password.
"""

import argparse
import base64
import binascii
import hashlib
import hmac
import json
import os
import sys
import unicodedata

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDFExpand

# --- Constants of the spec (sections 3, 5 and 9) --------------------------------------------

FORMAT_NAME = "concordium-wallet-core-backup"
FORMAT_VERSION = 1
ENCRYPTION_METHOD = "AES-256-GCM"
KDF_METHOD = "PBKDF2WithHmacSHA256"
LEGACY_ENCRYPTION_METHOD = "AES-256"

WRITER_MIN_ITERATIONS = 600_000
READER_MIN_ITERATIONS = 1_000
READER_MAX_ITERATIONS = 10_000_000
U64_MAX = 2**64 - 1
WRITER_SALT_LEN = 32
READER_SALT_MIN, READER_SALT_MAX = 16, 64
NONCE_LEN = 12
KEY_CHECK_LEN = 16
TAG_LEN = 16
MAX_FILE_BYTES = 64 * 1024 * 1024
MIN_PASSWORD_CHARS = 6

INFO_ENC = b"concordium-wallet-core-backup v1 encryption key"
INFO_CHECK = b"concordium-wallet-core-backup v1 key check"

ENVIRONMENTS = ("mainnet", "testnet", "staging", "mock", "local")
ENVIRONMENT_UNKNOWN = "unknown"

WALLET_TYPE = "concordium-mobile-wallet-data"
WALLET_VERSION = 1

CHECKSUM_TAIL_LEN = 66  # 64 hex digits + `"}`


class FormatError(Exception):
    """A failure of one of the spec's error classes; the class name is the error's name."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


class FileTooLarge(FormatError):
    pass


class NotABackup(FormatError):
    pass


class UnsupportedVersion(FormatError):
    pass


class UnsupportedEncryption(FormatError):
    pass


class Damaged(FormatError):
    pass


class ParamsOutOfRange(FormatError):
    pass


class WrongPassword(FormatError):
    pass


class PayloadInvalid(FormatError):
    pass


class NotAWalletBackup(FormatError):
    pass


class DesktopWalletExport(FormatError):
    pass


class UsageError(Exception):
    pass


# --- Encodings (spec section 4) --------------------------------------------------------------


def b64(data):
    """Standard Base64 (RFC 4648 section 4) with padding and no line breaks."""
    return base64.b64encode(data).decode("ascii")


def b64_strict(text):
    """Decodes canonical standard Base64: padded, no whitespace, zero trailing bits.

    Returns None when `text` is not exactly what `b64` would produce for some byte string.
    """
    if not isinstance(text, str):
        return None
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, binascii.Error, UnicodeEncodeError):
        return None
    # validate=True still accepts non-zero trailing bits; re-encoding catches those.
    if b64(raw) != text:
        return None
    return raw


def _json_int(text):
    """JSON integer hook: `-0` becomes a float, so that it is not taken for the integer 0 (a
    reader following the spec treats a signed zero as "not a non-negative integer")."""
    value = int(text)
    if value == 0 and text.startswith("-"):
        return -0.0
    return value


class DuplicateMember(ValueError):
    pass


def _no_duplicates(pairs):
    obj = {}
    for key, value in pairs:
        if key in obj:
            raise DuplicateMember("duplicate member name %r" % key)
        obj[key] = value
    return obj


def loads(text, reject_duplicates=False):
    """Parses RFC 8259 JSON text (NaN and Infinity are not JSON and are refused). Duplicate
    member names: the last one wins, unless reject_duplicates is set."""

    def no_constants(name):
        raise ValueError("%s is not JSON" % name)

    return json.loads(
        text,
        parse_int=_json_int,
        parse_constant=no_constants,
        object_pairs_hook=_no_duplicates if reject_duplicates else None,
    )


def is_u64(v):
    """True for a JSON number that is a non-negative integer below 2^64 (not a boolean/float)."""
    return isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= U64_MAX


# --- Byte layout (spec section 3) ------------------------------------------------------------


def metadata_json(iterations, salt, nonce, environment, key_check):
    """The canonical metadata object M: these bytes are in the file and are the AEAD AAD."""
    return (
        '{"format":"%s","version":%d,"encryptionMethod":"%s","keyDerivationMethod":"%s",'
        '"iterations":%d,"salt":"%s","nonce":"%s","environment":"%s","keyCheck":"%s"}'
        % (
            FORMAT_NAME,
            FORMAT_VERSION,
            ENCRYPTION_METHOD,
            KDF_METHOD,
            iterations,
            b64(salt),
            b64(nonce),
            environment,
            b64(key_check),
        )
    ).encode("ascii")


def file_bytes(m_bytes, ciphertext_and_tag):
    """The whole file, given the metadata bytes and the ciphertext with its tag."""
    body = b'{"metadata":' + m_bytes + b',"cipherText":"' + b64(ciphertext_and_tag).encode("ascii") + b'"'
    checksum = hashlib.sha256(body).hexdigest()  # lowercase
    return body + b',"checksum":"' + checksum.encode("ascii") + b'"}'


# --- Key schedule (spec section 5) -----------------------------------------------------------


def password_bytes(password):
    """NFKC-normalised UTF-8 bytes of the password."""
    return unicodedata.normalize("NFKC", password).encode("utf-8")


def derive(password, salt, iterations):
    master = hashlib.pbkdf2_hmac("sha256", password_bytes(password), salt, iterations, 32)
    # HKDF-Expand only (RFC 5869 section 2.3), PRK = master; no HKDF-Extract step.
    enc_key = HKDFExpand(algorithm=hashes.SHA256(), length=32, info=INFO_ENC).derive(master)
    key_check = HKDFExpand(algorithm=hashes.SHA256(), length=KEY_CHECK_LEN, info=INFO_CHECK).derive(master)
    return master, enc_key, key_check


# --- Plaintext (spec section 7) --------------------------------------------------------------


def _need(cond, what):
    if not cond:
        raise PayloadInvalid(what)


def _opt(obj, key, check, what):
    v = obj.get(key)
    if v is not None:
        _need(check(v), what)


def _is_str(v):
    return isinstance(v, str)


def _check_account(a):
    _need(isinstance(a, dict), "an account is not an object")
    _need(_is_str(a.get("name")), "an account has no string `name`")
    _need(_is_str(a.get("address")), "an account has no string `address`")
    _need("accountKeys" in a, "an account has no `accountKeys`")
    _need(_is_str(a.get("encryptionSecretKey")), "an account has no string `encryptionSecretKey`")
    _opt(a, "submissionId", _is_str, "`submissionId` is not a string")
    _opt(a, "revealedAttributes", lambda v: isinstance(v, dict), "`revealedAttributes` is not an object")


def _check_identity(i):
    _need(isinstance(i, dict), "an identity is not an object")
    _need(_is_str(i.get("name")), "an identity has no string `name`")
    _need("privateIdObjectData" in i, "an identity has no `privateIdObjectData`")
    _opt(i, "nextAccountNumber", is_u64, "`nextAccountNumber` is not a non-negative integer")
    _need(isinstance(i.get("accounts", []), list), "`accounts` is not an array")
    for a in i.get("accounts", []):
        _check_account(a)


def parse_wallet(plain):
    """Checks decrypted bytes as Concordium mobile wallet data v1 and returns its environment
    (None when it names none). Raises PayloadInvalid, NotAWalletBackup, DesktopWalletExport or
    UnsupportedVersion."""
    try:
        doc = loads(plain.decode("utf-8"), reject_duplicates=True)
    except DuplicateMember as err:
        raise PayloadInvalid(str(err))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise PayloadInvalid("it is not JSON")
    if not isinstance(doc, dict):
        raise NotAWalletBackup("JSON that is not an object")
    kind = doc.get("type")
    if kind != WALLET_TYPE:
        if kind is None and all(doc.get(k) is not None for k in ("identities", "accounts", "addressBook")):
            raise DesktopWalletExport("a Concordium Desktop Wallet export")
        raise NotAWalletBackup("JSON data of an unknown kind")
    v = doc.get("v")
    if not is_u64(v):
        raise PayloadInvalid("the wallet data has no version number `v`")
    if v < WALLET_VERSION:
        raise PayloadInvalid("wallet data version %d (version 1 is the first)" % v)
    if v != WALLET_VERSION:
        raise UnsupportedVersion("wallet data version %d (this reader reads 1)" % v)
    env = doc.get("environment")
    _need(env is None or env in ENVIRONMENTS, "`environment` is not a known network")
    value = doc.get("value")
    _need(isinstance(value, dict), "`value` is missing or not an object")
    _need(isinstance(value.get("identities"), list), "`value.identities` is missing or not an array")
    for i in value["identities"]:
        _check_identity(i)
    _need(isinstance(value.get("recipients", []), list), "`value.recipients` is not an array")
    for r in value.get("recipients", []):
        _need(isinstance(r, dict) and _is_str(r.get("name")) and _is_str(r.get("address")),
              "a recipient lacks a string `name` or `address`")
    return env


# --- Reader (spec section 10) ----------------------------------------------------------------


def read_envelope(data):
    """Steps 1-5: size, JSON, envelope and dispatch. Returns the parsed top-level object."""
    if len(data) > MAX_FILE_BYTES:
        raise FileTooLarge("%d bytes, more than %d" % (len(data), MAX_FILE_BYTES))
    if len(data) == 0:
        raise NotABackup("the file is empty")
    try:
        doc = loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        if data[:1] == b"{":
            raise Damaged("it is not valid JSON (or it was cut off)")
        raise NotABackup("it is not a JSON backup envelope")
    if not (isinstance(doc, dict) and isinstance(doc.get("metadata"), dict) and "cipherText" in doc):
        raise NotABackup("it has no `metadata` object and `cipherText`")
    meta = doc["metadata"]
    if meta.get("format") == FORMAT_NAME:
        return doc
    if meta.get("encryptionMethod") == LEGACY_ENCRYPTION_METHOD:
        raise UnsupportedEncryption(
            "the legacy Concordium format (AES-256-CBC), which this reference reader does not implement")
    raise UnsupportedEncryption("%r without this format's marker" % (meta.get("encryptionMethod"),))


def parse(data, doc):
    """Steps 6-16: field checks, canonical form and checksum. No password needed."""
    meta = doc["metadata"]
    version = meta.get("version")
    if not is_u64(version):
        raise Damaged("the format version is missing")
    if version < FORMAT_VERSION:
        raise Damaged("format version %d (version 1 is the first)" % version)
    if version != FORMAT_VERSION:
        raise UnsupportedVersion("format version %d (this reader reads 1)" % version)
    if meta.get("encryptionMethod") != ENCRYPTION_METHOD:
        raise UnsupportedEncryption("encryption method %r" % (meta.get("encryptionMethod"),))
    if meta.get("keyDerivationMethod") != KDF_METHOD:
        raise UnsupportedEncryption("key derivation %r" % (meta.get("keyDerivationMethod"),))
    iterations = meta.get("iterations")
    if not is_u64(iterations):
        raise Damaged("the iteration count is missing")
    fields = {}
    for name in ("salt", "nonce", "keyCheck"):
        raw = b64_strict(meta.get(name))
        if raw is None:
            raise Damaged("the metadata field `%s` is missing or not canonical Base64" % name)
        fields[name] = raw
    environment = meta.get("environment")
    if not isinstance(environment, str):
        raise Damaged("the network field is missing")
    if environment != ENVIRONMENT_UNKNOWN and environment not in ENVIRONMENTS:
        raise Damaged("the network name is not one this format writes")
    ciphertext = b64_strict(doc.get("cipherText"))
    if ciphertext is None:
        raise Damaged("the ciphertext is missing or not canonical Base64")
    m_bytes = metadata_json(iterations, fields["salt"], fields["nonce"], environment, fields["keyCheck"])
    expected = file_bytes(m_bytes, ciphertext)
    body = len(expected) - CHECKSUM_TAIL_LEN
    if len(data) != len(expected) or data[:body] != expected[:body]:
        raise Damaged("it is not byte for byte in canonical form (edited or truncated)")
    if data[body:] != expected[body:]:
        raise Damaged("its checksum does not match its contents")
    if len(ciphertext) < TAG_LEN:
        raise Damaged("the ciphertext is shorter than its authentication tag")
    return {
        "iterations": iterations,
        "salt": fields["salt"],
        "nonce": fields["nonce"],
        "key_check": fields["keyCheck"],
        "environment": None if environment == ENVIRONMENT_UNKNOWN else environment,
        "aad": m_bytes,
        "ciphertext": ciphertext,
    }


def check_limits(p):
    """Step 17: parameter limits, before any key derivation."""
    n = p["iterations"]
    if n > READER_MAX_ITERATIONS:
        raise ParamsOutOfRange("%d iterations; at most %d are accepted" % (n, READER_MAX_ITERATIONS))
    if n < READER_MIN_ITERATIONS:
        raise ParamsOutOfRange("%d iterations; at least %d are required" % (n, READER_MIN_ITERATIONS))
    if not READER_SALT_MIN <= len(p["salt"]) <= READER_SALT_MAX:
        raise ParamsOutOfRange("a %d-byte salt (16 to 64 are accepted)" % len(p["salt"]))
    if len(p["nonce"]) != NONCE_LEN:
        raise ParamsOutOfRange("a %d-byte nonce (12 are used)" % len(p["nonce"]))
    if len(p["key_check"]) != KEY_CHECK_LEN:
        raise ParamsOutOfRange("a %d-byte key check (16 are written)" % len(p["key_check"]))


def decrypt(data, password):
    """Opens a file of this format; returns the plaintext bytes or raises a FormatError."""
    doc = read_envelope(data)
    p = parse(data, doc)
    check_limits(p)
    _master, enc_key, key_check = derive(password, p["salt"], p["iterations"])
    if not hmac.compare_digest(key_check, p["key_check"]):
        raise WrongPassword("the password is wrong")
    try:
        plain = AESGCM(enc_key).decrypt(p["nonce"], p["ciphertext"], p["aad"])
    except InvalidTag:
        raise Damaged("its contents were changed after it was written")
    env = parse_wallet(plain)
    if env != p["environment"]:
        raise Damaged("the network in the metadata differs from the wallet's")
    return plain


# --- Writer (spec section 9) -----------------------------------------------------------------


def encrypt(plain, password, iterations, salt, nonce, show_keys=False):
    if len(password) < MIN_PASSWORD_CHARS:
        raise UsageError("the password must have at least %d characters" % MIN_PASSWORD_CHARS)
    if not READER_MIN_ITERATIONS <= iterations <= READER_MAX_ITERATIONS:
        raise UsageError("iterations must be within %d..%d" % (READER_MIN_ITERATIONS, READER_MAX_ITERATIONS))
    if iterations < WRITER_MIN_ITERATIONS:
        print("warning: %d iterations is below the writer minimum of %d; for test vectors only"
              % (iterations, WRITER_MIN_ITERATIONS), file=sys.stderr)
    if not READER_SALT_MIN <= len(salt) <= READER_SALT_MAX:
        raise UsageError("the salt must be 16 to 64 bytes (writers use 32)")
    if len(nonce) != NONCE_LEN:
        raise UsageError("the nonce must be 12 bytes")
    env = parse_wallet(plain)
    master, enc_key, key_check = derive(password, salt, iterations)
    m_bytes = metadata_json(iterations, salt, nonce, env or ENVIRONMENT_UNKNOWN, key_check)
    ct = AESGCM(enc_key).encrypt(nonce, plain, m_bytes)
    out = file_bytes(m_bytes, ct)
    if show_keys:
        body = out[: len(out) - CHECKSUM_TAIL_LEN - len(',"checksum":"')]
        for label, value in (
            ("password (NFKC, UTF-8) hex", password_bytes(password).hex()),
            ("salt hex", salt.hex()),
            ("nonce hex", nonce.hex()),
            ("iterations", str(iterations)),
            ("master key hex", master.hex()),
            ("encryption key hex", enc_key.hex()),
            ("key check hex", key_check.hex()),
            ("AAD (metadata bytes)", m_bytes.decode("ascii")),
            ("plaintext length", str(len(plain))),
            ("ciphertext hex", ct[:-TAG_LEN].hex()),
            ("tag hex", ct[-TAG_LEN:].hex()),
            ("checksummed bytes", body.decode("ascii")),
            ("checksum", hashlib.sha256(body).hexdigest()),
            ("file length", str(len(out))),
        ):
            print("%s: %s" % (label, value), file=sys.stderr)
    return out


# --- Command line ----------------------------------------------------------------------------


def arg_password(text):
    """The password argument as text; its bytes must be UTF-8."""
    try:
        return os.fsencode(text).decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError("the password is not UTF-8 text")


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("decrypt", help="decrypt FILE and print the wallet JSON")
    d.add_argument("file")
    d.add_argument("password")
    e = sub.add_parser("encrypt", help="encrypt a wallet JSON file (test vectors only)")
    e.add_argument("plaintext")
    e.add_argument("password")
    e.add_argument("--iterations", type=int, required=True)
    e.add_argument("--salt-hex", required=True)
    e.add_argument("--nonce-hex", required=True)
    e.add_argument("--show-keys", action="store_true")
    args = ap.parse_args(argv)
    try:
        password = arg_password(args.password)
        if args.cmd == "decrypt":
            with open(args.file, "rb") as f:
                data = f.read(MAX_FILE_BYTES + 1)
                if len(data) > MAX_FILE_BYTES:
                    data += f.read()  # only to report the size
            sys.stdout.buffer.write(decrypt(data, password))
        else:
            try:
                salt = bytes.fromhex(args.salt_hex)
                nonce = bytes.fromhex(args.nonce_hex)
            except ValueError:
                raise UsageError("--salt-hex and --nonce-hex must be hex")
            with open(args.plaintext, "rb") as f:
                plain = f.read()
            sys.stdout.buffer.write(encrypt(plain, password, args.iterations, salt, nonce, args.show_keys))
        sys.stdout.buffer.flush()
        return 0
    except FormatError as err:
        print("%s: %s" % (type(err).__name__, err.reason), file=sys.stderr)
        return 1
    except (UsageError, OSError) as err:
        print("usage error: %s" % err, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
