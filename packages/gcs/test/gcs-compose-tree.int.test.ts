import { describeComposeTree } from './support/compose-tree-check.js';

// One part, one full 32-source call, and one past it (a second level): seconds on any machine.
// The large counts (32², S3's 10,000) are in gcs-compose-tree.scale.test.ts (scripts/test.sh --scale).
describeComposeTree('compose tree (fake-gcs-server)', [1, 32, 33]);
