"""pytest plugin for ceph/s3-tests through the partcopy S3 gateway (a test client, not product).

Each test's outcome is appended to $PARTCOPY_S3TESTS_LIVE (JSON lines) as soon as it is known,
so a run of many minutes can be followed and read before it ends.

The suite empties every bucket it made, before and after each test, by listing object versions
(ListObjectVersions). While the gateway answers that listing NotImplemented, every test would
error in its set-up whatever it checks; this plugin then lists the objects with
ListObjectsV2 instead, so the set-up deletes the same objects. It changes nothing once
ListObjectVersions is served: the first answer that is not NotImplemented is the suite's own.
"""

import json
import os
import time

from botocore.exceptions import ClientError

import s3tests.functional as functional

_suite_list_versions = functional.list_versions


def _list_versions(client, bucket, batch_size):
    try:
        yield from _suite_list_versions(client, bucket, batch_size)
        return
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != "NotImplemented":
            raise
    paginator = client.get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=bucket, PaginationConfig={"PageSize": batch_size}):
        objects = [{"Key": o["Key"]} for o in page.get("Contents", [])]
        if objects:
            yield objects


functional.list_versions = _list_versions


_live = os.environ.get("PARTCOPY_S3TESTS_LIVE")


def pytest_runtest_logreport(report):
    if not _live or not (report.when == "call" or report.outcome != "passed"):
        return
    message = ""
    if report.failed:
        crash = getattr(report.longrepr, "reprcrash", None)
        message = crash.message if crash is not None else str(report.longrepr)
    with open(_live, "a", encoding="utf-8") as out:
        out.write(json.dumps({"test": report.nodeid.split("::")[-1], "when": report.when,
                              "outcome": report.outcome, "seconds": round(report.duration, 2),
                              "at": round(time.time(), 1),
                              "message": message.splitlines()[0] if message else ""}) + "\n")
