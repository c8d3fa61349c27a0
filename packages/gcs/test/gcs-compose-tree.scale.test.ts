import { describeComposeTree } from './support/compose-tree-check.js';

// Scale tier (scripts/test.sh --scale): 32² parts and S3's maximum of 10,000. fake-gcs-server
// scans its bucket under one lock per call, so this takes minutes (2.5 min quiet, 9 min loaded
// on 2 cores for 10,000) and stays out of the default run.
describeComposeTree('compose tree at scale (fake-gcs-server)', [1024, 10_000], 900_000);
