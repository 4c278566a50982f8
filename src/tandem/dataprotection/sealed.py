"""A sealed stream: bytes encrypted and authenticated in chunks with a Fernet key, so an archive
of any size is written and read without holding it in memory.

The file is a header, then for each chunk its length (4 bytes) and a Fernet token (AES-CBC with
an HMAC-SHA256). Inside each token the chunk's number and whether it is the last come before its
bytes, so chunks moved, dropped or cut off at the end are refused, not silently read.
"""

import base64
import struct
from types import TracebackType
from typing import BinaryIO, Self

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

HEADER = b"TANDEM-SEALED-1\n"
CHUNK_SIZE = 1024 * 1024
_LENGTH = struct.Struct(">I")
_POSITION = struct.Struct(">Q?")


class SealBroken(Exception):
    """The stream cannot be opened with the key given, or is not whole."""


def cipher_for(keys: list[str]) -> MultiFernet:
    """The first key seals; every key opens (a retired key stays listed for older archives)."""
    return MultiFernet([Fernet(key) for key in keys])


class SealedWriter:
    """A write-only file object: what is written is sealed chunk by chunk into `sink`.
    `close()` seals the last chunk; without it the stream is incomplete and will be refused."""

    def __init__(self, sink: BinaryIO, cipher: MultiFernet) -> None:
        self._sink = sink
        self._cipher = cipher
        self._pending = bytearray()
        self._number = 0
        self._closed = False
        sink.write(HEADER)

    def write(self, data: bytes) -> int:
        self._pending += data
        while len(self._pending) > CHUNK_SIZE:
            self._seal(bytes(self._pending[:CHUNK_SIZE]), last=False)
            del self._pending[:CHUNK_SIZE]
        return len(data)

    def close(self) -> None:
        if not self._closed:
            self._seal(bytes(self._pending), last=True)
            self._pending.clear()
            self._closed = True

    def _seal(self, chunk: bytes, *, last: bool) -> None:
        token = self._cipher.encrypt(_POSITION.pack(self._number, last) + chunk)
        raw = base64.urlsafe_b64decode(token)
        self._sink.write(_LENGTH.pack(len(raw)) + raw)
        self._number += 1

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        # An error while writing leaves the stream without its last chunk: unreadable, on purpose.
        if kind is None:
            self.close()


class SealedReader:
    """A read-only file object over a sealed stream; raises SealBroken on a wrong key, a
    changed chunk, chunks out of order, or a stream cut short."""

    def __init__(self, source: BinaryIO, cipher: MultiFernet) -> None:
        self._source = source
        self._cipher = cipher
        self._buffer = bytearray()
        self._number = 0
        self._finished = False
        if source.read(len(HEADER)) != HEADER:
            raise SealBroken("this is not a Tandem backup (its first bytes are not a backup's)")

    def read(self, size: int = -1) -> bytes:
        while not self._finished and (size < 0 or len(self._buffer) < size):
            self._open_next()
        if size < 0:
            size = len(self._buffer)
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data

    def _open_next(self) -> None:
        length = self._source.read(_LENGTH.size)
        if len(length) < _LENGTH.size:
            raise SealBroken("the backup is incomplete: it ends before its last part")
        (size,) = _LENGTH.unpack(length)
        raw = self._source.read(size)
        if len(raw) < size:
            raise SealBroken("the backup is incomplete: it ends before its last part")
        try:
            plain = self._cipher.decrypt(base64.urlsafe_b64encode(raw))
        except InvalidToken:
            raise SealBroken(
                "the backup key does not open this backup (or the file was changed): check "
                "TANDEM_BACKUP_KEY"
            ) from None
        number, last = _POSITION.unpack_from(plain)
        if number != self._number:
            raise SealBroken("the backup's parts are out of order: the file was changed")
        self._buffer += plain[_POSITION.size :]
        self._number += 1
        if last:
            if self._source.read(1):
                raise SealBroken("the backup has data after its last part: the file was changed")
            self._finished = True
