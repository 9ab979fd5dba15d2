"""Reading stored files the same way whether they are on local disk or in S3-compatible object storage.

Views stream private files after checking access (never a public URL), so they need three things a
storage's `open()` does not give cheaply: a stream that starts at once (django-storages' S3File first
downloads the whole object into a temporary file), a byte range without reading what comes before it
(players seek in long recordings), and, for libraries that insist on a file name (audio decoders), a
local copy that goes away afterwards. Each takes a FieldFile or (storage, name).
"""

import contextlib
import hashlib
import os
import shutil
import tempfile

CHUNK = 256 * 1024


def _where(file, name=None):
    if name is None:
        return file.storage, file.name
    return file, name


def _s3_object(storage, name):
    """The boto3 object behind a name in an S3Storage, or None for any other storage."""
    if not hasattr(storage, "bucket") or not hasattr(storage, "_normalize_name"):
        return None
    from storages.utils import clean_name

    return storage.bucket.Object(storage._normalize_name(clean_name(name)))


def _s3_get(obj, **params):
    from botocore.exceptions import ClientError

    try:
        return obj.get(**params)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404") or \
                exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") == 404:
            raise FileNotFoundError(obj.key) from exc
        raise


class _Limited:
    """At most `length` bytes of an open file, then end of file; closing closes the file."""

    def __init__(self, handle, length):
        self.handle, self.left = handle, length

    def read(self, size=-1):
        if self.left <= 0:
            return b""
        size = self.left if size is None or size < 0 else min(size, self.left)
        data = self.handle.read(size)
        self.left -= len(data)
        return data

    def close(self):
        self.handle.close()


def open_stream(file, name=None):
    """A readable, closable stream of the whole file, started without downloading it first.
    Raises FileNotFoundError when the file is gone."""
    storage, name = _where(file, name)
    obj = _s3_object(storage, name)
    if obj is None:
        return storage.open(name, "rb")
    return _s3_get(obj)["Body"]


def open_range(file, start: int, end: int, name=None):
    """A readable, closable stream of bytes start..end (inclusive) of the file."""
    storage, name = _where(file, name)
    obj = _s3_object(storage, name)
    if obj is None:
        handle = storage.open(name, "rb")
        handle.seek(start)
        return _Limited(handle, end - start + 1)
    return _s3_get(obj, Range=f"bytes={start}-{end}")["Body"]


def iterate(stream, chunk: int = CHUNK):
    """The stream's bytes in chunks, closing it at the end (for StreamingHttpResponse)."""
    try:
        while data := stream.read(chunk):
            yield data
    finally:
        stream.close()


def digest(file, name=None) -> tuple[int, str]:
    """(size in bytes, SHA-256) of the stored bytes, read back from the storage."""
    sha, size = hashlib.sha256(), 0
    for data in iterate(open_stream(file, name)):
        sha.update(data)
        size += len(data)
    return size, sha.hexdigest()


@contextlib.contextmanager
def local_copy(file, name=None):
    """A path on local disk holding the file, for libraries that need a file name (audio decoders,
    ffmpeg). On local storage it is the file itself (do not change it); otherwise a temporary copy,
    deleted when the block ends. Never use `FieldFile.path`: object storage has none."""
    storage, name = _where(file, name)
    try:
        path = storage.path(name)
    except NotImplementedError:
        path = None
    if path is not None:
        if not os.path.exists(path):
            raise FileNotFoundError(name)
        yield path
        return
    suffix = os.path.splitext(name)[1]
    with tempfile.NamedTemporaryFile(suffix=suffix, delete=False) as out:
        try:
            source = open_stream(storage, name)
            try:
                shutil.copyfileobj(source, out, CHUNK)
            finally:
                source.close()
        except BaseException:
            os.unlink(out.name)
            raise
    try:
        yield out.name
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(out.name)


def file_response(file, content_type: str, *, filename: str | None = None, as_attachment: bool = False,
                  size: int | None = None):
    """The whole stored file as a streamed response with its length (after the caller checked access).
    Raises FileNotFoundError when the file is gone."""
    from django.http import FileResponse

    response = FileResponse(open_stream(file), content_type=content_type, as_attachment=as_attachment,
                            filename=filename or "")
    response["Content-Length"] = str(size if size is not None else file.size)
    return response
