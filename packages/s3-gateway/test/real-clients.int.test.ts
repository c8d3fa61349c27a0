/**
 * aws-cli v2, boto3 and rclone through the gateway over memory, a folder, Azurite and
 * fake-gcs-server. Fails loudly when a client is missing (support/real-clients.ts says how to
 * install it).
 */
import { realClientsSuite } from './support/real-clients-suite.js';

realClientsSuite('memory');
realClientsSuite('fs');
realClientsSuite('azurite');
realClientsSuite('fake-gcs');
