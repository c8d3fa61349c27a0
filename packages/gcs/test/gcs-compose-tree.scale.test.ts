import { describeComposeTree } from './support/compose-tree-check.js';

// Scale tier (scripts/test.sh --scale): 32² parts and S3's maximum of 10,000. fake-gcs-server
// scans its bucket under one lock per call, so 10,000 parts take minutes (2.5 min quiet, 9 to
// 12.5 min on 2 cores under load): out of the default run, with 30 minutes per test.
describeComposeTree('compose tree at scale (fake-gcs-server)', [1024, 10_000], 1_800_000);
