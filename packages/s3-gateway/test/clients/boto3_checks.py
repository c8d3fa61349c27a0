"""boto3 against the partcopy S3 gateway: a multipart copy with UploadPartCopy ranges and
conditions, presigned GET and PUT URLs, and S3's error codes. Prints one JSON object; the
vitest file real-clients.int.test.ts runs it and asserts on it.

Usage: python3 boto3_checks.py ENDPOINT BUCKET ACCESS_KEY SECRET_KEY
"""
import json
import sys
import urllib.error
import urllib.request

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

endpoint, bucket, access_key, secret_key = sys.argv[1:5]
s3 = boto3.client(
    "s3",
    endpoint_url=endpoint,
    aws_access_key_id=access_key,
    aws_secret_access_key=secret_key,
    region_name="us-east-1",
    config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}, signature_version="s3v4"),
)
MiB = 1024 * 1024
results = {}


def error_of(call):
    try:
        call()
    except ClientError as error:
        return [error.response["Error"]["Code"], error.response["ResponseMetadata"]["HTTPStatusCode"]]
    return None


# A 12 MiB source, copied into three parts: two ranges of it and a part of new bytes.
source = bytes((i * 7) % 251 for i in range(12 * MiB))
put = s3.put_object(Bucket=bucket, Key="boto3/source.bin", Body=source)
upload = s3.create_multipart_upload(Bucket=bucket, Key="boto3/copied.bin")["UploadId"]
p1 = s3.upload_part_copy(
    Bucket=bucket, Key="boto3/copied.bin", UploadId=upload, PartNumber=1,
    CopySource={"Bucket": bucket, "Key": "boto3/source.bin"},
    CopySourceRange="bytes=0-%d" % (5 * MiB - 1), CopySourceIfMatch=put["ETag"],
)
p2 = s3.upload_part_copy(
    Bucket=bucket, Key="boto3/copied.bin", UploadId=upload, PartNumber=2,
    CopySource="%s/boto3/source.bin" % bucket, CopySourceRange="bytes=%d-%d" % (7 * MiB, 12 * MiB - 1),
)
p3 = s3.upload_part(Bucket=bucket, Key="boto3/copied.bin", UploadId=upload, PartNumber=3, Body=b"tail")
results["listedParts"] = [
    [p["PartNumber"], p["Size"]] for p in s3.list_parts(Bucket=bucket, Key="boto3/copied.bin", UploadId=upload)["Parts"]
]
s3.complete_multipart_upload(
    Bucket=bucket, Key="boto3/copied.bin", UploadId=upload,
    MultipartUpload={"Parts": [
        {"PartNumber": 1, "ETag": p1["CopyPartResult"]["ETag"]},
        {"PartNumber": 2, "ETag": p2["CopyPartResult"]["ETag"]},
        {"PartNumber": 3, "ETag": p3["ETag"]},
    ]},
)
copied = s3.get_object(Bucket=bucket, Key="boto3/copied.bin")["Body"].read()
results["multipartCopyMatches"] = copied == source[: 5 * MiB] + source[7 * MiB:] + b"tail"

# The condition that fails, and a range past the end.
upload2 = s3.create_multipart_upload(Bucket=bucket, Key="boto3/refused.bin")["UploadId"]
results["copyIfMatchFails"] = error_of(lambda: s3.upload_part_copy(
    Bucket=bucket, Key="boto3/refused.bin", UploadId=upload2, PartNumber=1,
    CopySource={"Bucket": bucket, "Key": "boto3/source.bin"}, CopySourceIfMatch='"0123"'))
results["copyRangePastEnd"] = error_of(lambda: s3.upload_part_copy(
    Bucket=bucket, Key="boto3/refused.bin", UploadId=upload2, PartNumber=1,
    CopySource={"Bucket": bucket, "Key": "boto3/source.bin"}, CopySourceRange="bytes=0-%d" % (12 * MiB)))
s3.abort_multipart_upload(Bucket=bucket, Key="boto3/refused.bin", UploadId=upload2)
results["partAfterAbort"] = error_of(lambda: s3.upload_part(
    Bucket=bucket, Key="boto3/refused.bin", UploadId=upload2, PartNumber=1, Body=b"x"))
results["missingKey"] = error_of(lambda: s3.get_object(Bucket=bucket, Key="boto3/none"))
results["missingBucket"] = error_of(lambda: s3.list_objects_v2(Bucket="no-such-bucket-boto3"))
results["invalidRange"] = error_of(lambda: s3.get_object(Bucket=bucket, Key="boto3/source.bin", Range="bytes=%d-" % (12 * MiB)))
results["unknownOperation"] = error_of(lambda: s3.get_bucket_website(Bucket=bucket))
results["bucketPolicy"] = error_of(lambda: s3.get_bucket_policy(Bucket=bucket))
acl = s3.get_object_acl(Bucket=bucket, Key="boto3/copied.bin")
results["objectAcl"] = [[g["Grantee"].get("ID"), g["Permission"]] for g in acl["Grants"]]
results["publicReadPut"] = error_of(lambda: s3.put_object(Bucket=bucket, Key="boto3/public", Body=b"x", ACL="public-read"))
head = s3.head_object(Bucket=bucket, Key="boto3/copied.bin", Range="bytes=0-9")
results["headRange"] = [head["ResponseMetadata"]["HTTPStatusCode"], head["ContentLength"], head["ContentRange"].split("/")[0]]

# Presigned URLs: a GET, a PUT, and the GET with a wrong secret.
get_url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "boto3/copied.bin"}, ExpiresIn=300)
with urllib.request.urlopen(urllib.request.Request(get_url, headers={"Range": "bytes=0-9"})) as answer:
    results["presignedGet"] = [answer.status, answer.read() == copied[:10]]
put_url = s3.generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": "boto3/presigned.txt"}, ExpiresIn=300)
with urllib.request.urlopen(urllib.request.Request(put_url, data=b"put through a presigned URL", method="PUT")) as answer:
    results["presignedPut"] = answer.status
results["presignedPutStored"] = s3.get_object(Bucket=bucket, Key="boto3/presigned.txt")["Body"].read().decode()
wrong = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=access_key, aws_secret_access_key="wrong",
                     region_name="us-east-1", config=Config(s3={"addressing_style": "path"}, signature_version="s3v4"))
bad_url = wrong.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "boto3/copied.bin"}, ExpiresIn=300)
try:
    urllib.request.urlopen(bad_url)
    results["presignedWrongSecret"] = None
except urllib.error.HTTPError as error:
    body = error.read().decode()
    results["presignedWrongSecret"] = [error.code, body.split("<Code>")[1].split("</Code>")[0]]

print(json.dumps(results))
