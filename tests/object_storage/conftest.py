"""A real S3-compatible server (moto's, on 127.0.0.1) for the tests of files in object storage:
one server per test session, one fresh bucket per test, and the app's STORAGES pointed at it as
STORAGE_URL would (config.object_storage)."""

import socket
import uuid
from dataclasses import dataclass

import boto3
import pytest

from config import object_storage

REGION = "eu-west-2"
KEYS = {"access_key": "test-key", "secret_key": "test-secret"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@dataclass
class Bucket:
    name: str
    endpoint: str
    client: object

    def keys(self, prefix="") -> list[str]:
        listing = self.client.list_objects_v2(Bucket=self.name, Prefix=prefix)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def read(self, key) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()


@pytest.fixture
def bucket(s3_endpoint, settings):
    """A new bucket that holds this test's files; the private storage (evidence, recordings, imports,
    exports) and the default storage both live in it, as with STORAGE_URL=s3://<bucket>?endpoint_url=..."""
    name = f"qa-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name=REGION,
                          aws_access_key_id=KEYS["access_key"], aws_secret_access_key=KEYS["secret_key"])
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    options = object_storage._private({"bucket_name": name, "location": "", "endpoint_url": s3_endpoint,
                                       "region_name": REGION, **KEYS})
    settings.STORAGES = {**settings.STORAGES, **object_storage.storages_for(options)}
    return Bucket(name, s3_endpoint, client)
