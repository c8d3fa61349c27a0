"""pytest plugin for ceph/s3-tests through the partcopy S3 gateway (a test client, not product).

The suite empties every bucket it made, before and after each test, by listing object versions
(ListObjectVersions). While the gateway answers that listing NotImplemented, every test would
error in its set-up whatever it checks; this plugin then lists the objects with
ListObjectsV2 instead, so the set-up deletes the same objects. It changes nothing once
ListObjectVersions is served: the first answer that is not NotImplemented is the suite's own.
"""

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
